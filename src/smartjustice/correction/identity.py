"""Identity checks of a 社区矫正对象 (《社区矫正法》第二十六条 信息化核查): one interface for the subject app, the kiosk,
check-ins and learning sessions.

* Face matching (the default): `verify_identity(subject, image_bytes=…)` detects exactly one face in the live photo,
  computes its 128-dimension encoding with dlib's ResNet model (PyPI `face_recognition` + `face_recognition_models`,
  weights inside the package, no network) and its distance to the encoding of the intake photo
  (`CorrectionSubject.photo`). Passed when the distance is at most `rules.FACE_MATCH_THRESHOLD`; the distance, the
  threshold and the live photo are stored either way, so a refusal can be looked at later.
* Live challenge (where the model cannot be imported, or the subject has no intake photo): `issue_challenge` hands
  out random digits; the subject writes them down and takes a live photo holding them; `verify_identity(...,
  challenge_answer=…)` stores the photo and keeps the check pending until an officer compares the person with the
  intake photo and the digits (`review_identity_check`: approve or refuse, with a reason). Typed digits that differ
  from those issued are refused at once. Nothing here ever passes without a face match or an officer's decision.

`identity_method(subject)` tells a caller which of the two to offer. A refused or pending check is returned, not
raised: the caller shows its `status` and `reason`. Bad input (no photo, no face, several faces, an unreadable file,
no intake photo for face matching, no or an expired challenge) raises ValidationFailed with a Chinese message.
"""

from __future__ import annotations

import importlib
import io
import secrets
from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartjustice.core import access, attachments, audit, notifications
from smartjustice.core.errors import (
    NotAuthenticated,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from smartjustice.core.models import User

from . import rules
from .choices import CorrectionAuditEvent
from .models import CorrectionSubject, IdentityCheck, IdentityMethod, IdentityPurpose, IdentityStatus

FACE_MODEL_NAME = "dlib ResNet 人脸特征（face_recognition_models）"
CHALLENGE_LENGTH = 6
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo at most
# Live photos are scaled down to this before detection (phones send 4000 px; detection is O(pixels)).
MAX_SIDE = 1024
REVIEW_PERMISSION = "correction.change_identitycheck"
LIVE_PHOTO_PURPOSE = "identity_live_photo"


# --- the face model ----------------------------------------------------------------------------------------------


def _import_face_library():
    """Import face_recognition (tests replace this function to simulate a machine without the model)."""
    return importlib.import_module("face_recognition")


def face_library():
    """The face_recognition module, or None where it cannot be imported or `CORRECTION_FACE_MATCHING` is off.

    face_recognition calls quit() when its model package is missing, hence SystemExit among the failures.
    """
    if not getattr(settings, "CORRECTION_FACE_MATCHING", True):
        return None
    try:
        return _import_face_library()
    except (ImportError, OSError, RuntimeError, SystemExit):
        return None


def face_matching_available() -> bool:
    return face_library() is not None


def identity_method(subject: CorrectionSubject) -> str:
    """Which check to offer: face matching where the model and an intake photo exist, else the live challenge."""
    if subject.photo_id and face_matching_available():
        return IdentityMethod.FACE
    return IdentityMethod.CHALLENGE


def _image_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"image": [message]})


def decode_photo(image_bytes: bytes):
    """(RGB pixels as a numpy array, file extension) of a JPG or PNG photo, upright and at most MAX_SIDE pixels."""
    import numpy
    from PIL import Image, ImageOps

    if not image_bytes:
        raise _image_error("请拍摄或上传本人现场照片")
    if image_bytes.startswith(b"\xff\xd8\xff"):
        ext = "jpg"
    elif image_bytes.startswith(b"\x89PNG\r\n\x1a\n"):
        ext = "png"
    else:
        raise _image_error("照片须为 JPG 或 PNG 格式")
    if len(image_bytes) > settings.ATTACHMENT_MAX_BYTES:
        raise _image_error(f"照片超过 {settings.ATTACHMENT_MAX_BYTES / 1024 / 1024:g} MB 的上限")
    try:
        with Image.open(io.BytesIO(image_bytes)) as opened:
            # Read before decoding: a small file may unpack huge.
            if opened.width * opened.height > MAX_PIXELS:
                raise _image_error("照片尺寸过大，请压缩后重新上传")
            # Phone photos carry their rotation in EXIF.
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001  (untrusted bytes: Pillow raises many kinds, SyntaxError among them)
        raise _image_error("无法读取照片，请重新拍摄") from None
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return numpy.asarray(image), ext


def _face_locations(library, pixels):
    return library.face_locations(pixels)


def _area(location) -> int:
    top, right, bottom, left = location
    return (bottom - top) * (right - left)


def live_face_encoding(library, pixels):
    """The encoding of the one face in a live photo; no face or several faces are refused."""
    found = _face_locations(library, pixels)
    if not found:
        raise _image_error("照片中没有检测到人脸：请正对镜头、摘下帽子和口罩、在光线充足处重新拍摄")
    if len(found) > 1:
        raise _image_error(f"照片中检测到 {len(found)} 张人脸：请确保画面中只有本人后重新拍摄")
    return library.face_encodings(pixels, known_face_locations=found)[0]


# Reference encodings by the intake photo's SHA-256: the photo is hashed and immutable (core.attachments), so its
# encoding never changes, and a kiosk checking many subjects does not re-encode each intake photo every time.
_REFERENCES: OrderedDict[str, object] = OrderedDict()
_REFERENCE_CACHE_SIZE = 512


def reference_encoding(library, photo):
    """The encoding of the largest face in the intake photo (taken by staff: a small background detection does not
    count); an intake photo without a face is refused."""
    cached = _REFERENCES.get(photo.sha256)
    if cached is not None:
        _REFERENCES.move_to_end(photo.sha256)
        return cached
    try:
        pixels, _ = decode_photo(attachments.read_bytes(photo))
    except (ValidationFailed, FileNotFoundError, OSError):
        raise _image_error("入矫照片无法读取：请联系司法所工作人员重新采集入矫照片") from None
    found = _face_locations(library, pixels)
    if not found:
        raise _image_error("入矫照片中没有检测到人脸：请联系司法所工作人员重新采集入矫照片")
    largest = max(found, key=_area)
    encoding = library.face_encodings(pixels, known_face_locations=[largest])[0]
    _REFERENCES[photo.sha256] = encoding
    if len(_REFERENCES) > _REFERENCE_CACHE_SIZE:
        _REFERENCES.popitem(last=False)
    return encoding


# --- who may check whom ------------------------------------------------------------------------------------------


def _is_subject_account(actor, subject: CorrectionSubject) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False) and subject.account_id and actor.pk == subject.account_id
    )


def require_may_verify(actor, subject: CorrectionSubject) -> None:
    """The subject through their own account, or correction staff who may see the subject (a 司法所 kiosk)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if _is_subject_account(actor, subject):
        return
    if access.may(actor, REVIEW_PERMISSION) and access.can(actor, "view", subject):
        return
    raise PermissionDenied("只有社区矫正对象本人或执行地社区矫正工作人员可以进行身份核验")


def _require_under_correction(subject: CorrectionSubject) -> None:
    if not subject.under_correction:
        raise ValidationFailed("该社区矫正对象已不在社区矫正期内")


def _purpose(purpose: str) -> str:
    if purpose not in IdentityPurpose.values:
        raise ValidationFailed("身份核验用途不正确", fields={"purpose": ["身份核验用途不正确"]})
    return purpose


def _store_photo(check: IdentityCheck, image_bytes: bytes, ext: str, *, actor):
    return attachments.store_attachment(
        image_bytes,
        actor=actor,
        owner=check,
        filename=f"identity-check-{check.pk}.{ext}",
        purpose=LIVE_PHOTO_PURPOSE,
    )


# --- services ----------------------------------------------------------------------------------------------------


@transaction.atomic
def issue_challenge(subject: CorrectionSubject, *, purpose: str, actor) -> IdentityCheck:
    """Hand out random digits for a live-photo check (the subject writes them down and holds them up in the photo);
    an earlier unanswered challenge of the subject is withdrawn."""
    require_may_verify(actor, subject)
    _require_under_correction(subject)
    purpose = _purpose(purpose)
    now = timezone.now()
    digits = "".join(secrets.choice("0123456789") for _ in range(CHALLENGE_LENGTH))
    with audit.operation(
        CorrectionAuditEvent.IDENTITY_CHALLENGE_ISSUED,
        obj=audit.NEW,
        actor=actor,
        detail=f"{subject}：发放随机核验数字",
    ):
        check = IdentityCheck.objects.create(
            subject=subject,
            purpose=purpose,
            method=IdentityMethod.CHALLENGE,
            status=IdentityStatus.ISSUED,
            challenge_digits=digits,
            challenge_expires_at=now + timedelta(minutes=rules.CHALLENGE_VALID_MINUTES.value),
            requested_by=actor,
        )
        for earlier in IdentityCheck.objects.filter(
            subject=subject, method=IdentityMethod.CHALLENGE, status=IdentityStatus.ISSUED
        ).exclude(pk=check.pk):
            earlier.status = IdentityStatus.REFUSED
            earlier.passed = False
            earlier.reason = "未提交照片，已被新的随机数字取代"
            earlier.save(update_fields=["status", "passed", "reason", "updated_at"])
    return check


def verify_identity(
    subject: CorrectionSubject,
    *,
    image_bytes: bytes,
    purpose: str,
    actor,
    challenge_answer: str | None = None,
) -> IdentityCheck:
    """Check that the person in the live photo is the subject: face matching against the intake photo, or — with
    `challenge_answer`, or where face matching is unavailable — the live challenge issued before (pending review).
    Returns the stored check: `passed` True/False, or None while an officer has to review it."""
    require_may_verify(actor, subject)
    _require_under_correction(subject)
    purpose = _purpose(purpose)
    if challenge_answer is not None:
        return _answer_challenge(
            subject, image_bytes=image_bytes, purpose=purpose, actor=actor, answer=challenge_answer
        )
    library = face_library()
    if library is None:
        raise ValidationFailed(
            "本机未启用人脸比对：请先获取随机核验数字，写在纸上与本人一起拍照提交，由工作人员人工复核",
            fields={"challenge_answer": ["请先获取随机核验数字"]},
        )
    return _match_face(library, subject, image_bytes=image_bytes, purpose=purpose, actor=actor)


def _match_face(library, subject, *, image_bytes: bytes, purpose: str, actor) -> IdentityCheck:
    # The model runs before the transaction opens (a second or so of CPU); the operation then writes in one go.
    if subject.photo_id is None:
        raise ValidationFailed(
            "该社区矫正对象尚未采集入矫照片，无法进行人脸比对：请联系司法所工作人员采集，或改用随机数字人工核验",
            fields={"image": ["尚未采集入矫照片"]},
        )
    pixels, ext = decode_photo(image_bytes)
    live = live_face_encoding(library, pixels)
    reference = reference_encoding(library, subject.photo)
    distance = float(library.face_distance([reference], live)[0])
    threshold = float(rules.FACE_MATCH_THRESHOLD.value)
    passed = distance <= threshold
    reason = (
        f"人脸比对通过（特征距离 {distance:.3f}，阈值 {threshold:.2f}）"
        if passed
        else f"人脸比对未通过：现场照片与入矫照片不是同一人（特征距离 {distance:.3f}，超过阈值 {threshold:.2f}）"
    )
    with audit.operation(
        CorrectionAuditEvent.IDENTITY_VERIFIED,
        obj=audit.NEW,
        actor=actor,
        detail=f"{subject}：{reason}"[:500],
    ):
        check = IdentityCheck.objects.create(
            subject=subject,
            purpose=purpose,
            method=IdentityMethod.FACE,
            status=IdentityStatus.PASSED if passed else IdentityStatus.REFUSED,
            passed=passed,
            score=round(distance, 4),
            threshold=threshold,
            model_name=FACE_MODEL_NAME,
            submitted_at=timezone.now(),
            reason=reason,
            requested_by=actor,
        )
        check.photo = _store_photo(check, image_bytes, ext, actor=actor)
        check.save(update_fields=["photo", "updated_at"])
    return check


def _digits(answer: str) -> str:
    return "".join(ch for ch in str(answer) if not ch.isspace())[: CHALLENGE_LENGTH + 2]


@transaction.atomic
def _answer_challenge(subject, *, image_bytes: bytes, purpose: str, actor, answer: str) -> IdentityCheck:
    check = (
        IdentityCheck.objects.select_for_update()
        .filter(
            subject=subject, method=IdentityMethod.CHALLENGE, status=IdentityStatus.ISSUED, purpose=purpose
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if check is None:
        raise ValidationFailed(
            "没有待提交的随机核验数字：请先获取随机核验数字",
            fields={"challenge_answer": ["请先获取随机核验数字"]},
        )
    if check.challenge_expires_at and check.challenge_expires_at < timezone.now():
        raise ValidationFailed(
            "随机核验数字已过期：请重新获取", fields={"challenge_answer": ["随机核验数字已过期，请重新获取"]}
        )
    _, ext = decode_photo(image_bytes)  # a readable JPG/PNG; the officer judges what it shows
    typed = _digits(answer)
    with audit.operation(
        CorrectionAuditEvent.IDENTITY_VERIFIED, obj=check, actor=actor, detail=f"{subject}：提交现场照片"
    ):
        check.photo = _store_photo(check, image_bytes, ext, actor=actor)
        check.challenge_answer = typed
        check.submitted_at = timezone.now()
        if typed != check.challenge_digits:
            check.status = IdentityStatus.REFUSED
            check.passed = False
            check.reason = "输入的数字与发放的随机核验数字不一致"
        else:
            check.status = IdentityStatus.PENDING
            check.passed = None
            check.reason = "待工作人员核对现场照片中的本人与入矫照片、手写数字"
        check.save()
        if check.status == IdentityStatus.PENDING:
            _tell_reviewers(check)
    return check


def _tell_reviewers(check: IdentityCheck) -> None:
    """Notify the staff of the subject's agency and station who may review (after commit)."""
    subject = check.subject
    organisations = [pk for pk in (subject.agency_id, subject.station_id) if pk]
    staff = access.holders_of(REVIEW_PERMISSION, User.objects.filter(organisation_id__in=organisations))
    link = reverse("correction:identity-check-detail", args=[check.pk])
    for user in staff[:20]:
        notifications.notify(
            user,
            title=f"身份核验待复核：{subject.name}",
            body="社区矫正对象提交了随机数字现场照片，请核对本人与手写数字后作出复核结论。",
            link=link,
            category="correction",
        )


@transaction.atomic
def review_identity_check(check: IdentityCheck, *, actor, approve: bool, reason: str) -> IdentityCheck:
    """An officer's decision on a pending live-challenge check (the photo shows the subject holding the digits, or
    not); learning sessions waiting on it are credited or not accordingly."""
    from . import education  # education uses this module's checks; the dependency back is only at call time

    if not access.can(actor, "change", check):
        raise PermissionDenied("您无权复核该身份核验")
    check = IdentityCheck.objects.select_for_update().get(pk=check.pk)
    if check.status != IdentityStatus.PENDING:
        raise TransitionNotAllowed("只有待人工复核的身份核验可以复核")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写复核意见", fields={"reason": ["请填写复核意见"]})
    if _is_subject_account(actor, check.subject):
        raise PermissionDenied("不能复核本人的身份核验")
    with audit.operation(
        CorrectionAuditEvent.IDENTITY_REVIEWED,
        obj=check,
        actor=actor,
        detail=f"{check.subject}：{'复核通过' if approve else '复核不通过'}",
    ):
        check.status = IdentityStatus.PASSED if approve else IdentityStatus.REFUSED
        check.passed = bool(approve)
        check.reason = f"{'人工复核通过' if approve else '人工复核不通过'}：{reason}"[:300]
        check.reviewed_by = actor
        check.reviewed_at = timezone.now()
        check.save()
        education.settle_sessions_for(check)
        if check.subject.account_id:
            notifications.notify(
                check.subject.account,
                title="身份核验复核结果",
                body=check.reason,
                category="correction",
            )
    return check


__all__ = [
    "decode_photo",
    "face_library",
    "face_matching_available",
    "identity_method",
    "issue_challenge",
    "review_identity_check",
    "verify_identity",
]
