"""Factories of education and identity-check tests (helper F): records made directly, photos from
tests/correction/data (public-domain portraits, see its README)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from smartjustice.core.attachments import store_attachment
from smartjustice.core.testing import Place
from smartjustice.correction.models import (
    CorrectionSubject,
    IdentityCheck,
    IdentityMethod,
    IdentityPurpose,
    IdentityStatus,
    LearningAssignment,
    LearningKind,
    LearningSession,
    LearningTask,
)
from tests.correction import makers

DATA = Path(__file__).parent / "data"


def collins_bytes() -> bytes:
    """Intake photo of person A (Eileen Collins, NASA, public domain)."""
    return (DATA / "face_collins.jpg").read_bytes()


def hopper_bytes() -> bytes:
    """Person B (Grace Hopper, U.S. Navy, public domain): a different person."""
    return (DATA / "face_hopper.jpg").read_bytes()


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def collins_live_bytes() -> bytes:
    """Person A again as a "live" photo: another crop, scaled up, mirrored and brighter (the same person)."""
    from PIL import Image, ImageEnhance

    image = Image.open(DATA / "face_collins.jpg").convert("RGB")
    live = image.crop((20, 20, 180, 200)).resize((260, 292)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return _jpeg(ImageEnhance.Brightness(live).enhance(1.15))


def no_face_bytes() -> bytes:
    """A grey gradient: no face at all."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((240, 240)).convert("RGB")
    return _jpeg(image)


def two_faces_bytes() -> bytes:
    """Person A and person B side by side in one photo."""
    from PIL import Image

    a = Image.open(DATA / "face_collins.jpg").convert("RGB").resize((220, 240))
    b = Image.open(DATA / "face_hopper.jpg").convert("RGB").resize((220, 240))
    both = Image.new("RGB", (460, 240), "white")
    both.paste(a, (0, 0))
    both.paste(b, (240, 0))
    return _jpeg(both)


def intake_photo(subject: CorrectionSubject, data: bytes | None = None) -> CorrectionSubject:
    """Give the subject an intake photo (person A unless told otherwise)."""
    photo = store_attachment(
        data or collins_bytes(), actor=None, owner=subject, filename="intake.jpg", purpose="intake_photo"
    )
    CorrectionSubject.objects.filter(pk=subject.pk).update(photo=photo)
    subject.refresh_from_db()
    return subject


def task(place: Place, **fields) -> LearningTask:
    values = {
        "title": "宪法和社区矫正法学习",
        "kind": LearningKind.LAW,
        "hours": Decimal("8"),
        "content": "学习《中华人民共和国社区矫正法》",
        "agency": place.organisation,
        "jurisdiction_id": place.code,
    }
    values.update(fields)
    return LearningTask.objects.create(**values)


def task_payload(place: Place) -> dict:
    return {"title": "心理健康讲座", "kind": "psychology", "hours": "2.0", "content": "情绪管理"}


def assignment(place: Place, *, subject: CorrectionSubject | None = None, **fields) -> LearningAssignment:
    subject = subject or makers.subject(place)
    the_task = fields.pop("task", None) or task(place)
    values = {
        "subject": subject,
        "task": the_task,
        "due_on": timezone.localdate() + timedelta(days=30),
        "required_hours": the_task.hours,
    }
    values.update(fields)
    return LearningAssignment.objects.create(**values)


def assignment_payload(place: Place) -> dict:
    return {
        "subject_id": makers.subject(place).pk,
        "task_id": task(place).pk,
        "due_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }


def passed_check(subject: CorrectionSubject, **fields) -> IdentityCheck:
    """A face check that passed just now (made directly; the service tests make real ones)."""
    values = {
        "subject": subject,
        "purpose": IdentityPurpose.LEARNING,
        "method": IdentityMethod.FACE,
        "status": IdentityStatus.PASSED,
        "passed": True,
        "score": 0.21,
        "threshold": 0.5,
        "submitted_at": timezone.now(),
        "reason": "人脸比对通过",
    }
    values.update(fields)
    return IdentityCheck.objects.create(**values)


def identity_check(place: Place) -> IdentityCheck:
    """A live-challenge check waiting for review."""
    return passed_check(
        makers.subject(place),
        method=IdentityMethod.CHALLENGE,
        status=IdentityStatus.PENDING,
        passed=None,
        score=None,
        threshold=None,
        challenge_digits="402816",
        challenge_answer="402816",
        reason="待工作人员复核",
    )


def challenge_payload(place: Place) -> dict:
    return {"subject_id": makers.subject(place).pk, "purpose": "learning"}


def session(place: Place) -> LearningSession:
    item = assignment(place)
    return LearningSession.objects.create(
        assignment=item,
        subject=item.subject,
        started_at=timezone.now(),
        identity_check=passed_check(item.subject),
    )


def session_payload(place: Place) -> dict:
    item = assignment(place)
    return {"assignment_id": item.pk, "identity_check_id": passed_check(item.subject).pk}
