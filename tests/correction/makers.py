"""Shared factories of 社区矫正 tests (every part's tests and matrix use them; each part adds its own makers in
tests/correction/<part>_makers.py). Records are made directly, not through the services, so a page or API test
does not depend on every step of the service layer. Identities are generated (valid check digits, never real)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from django.utils import timezone

from smartjustice.core import identity
from smartjustice.core.choices import AccountKind
from smartjustice.core.models import User
from smartjustice.core.testing import PASSWORD, Place
from smartjustice.correction.choices import CorrectionCategory, Gender, SubjectStatus, SupervisionLevel
from smartjustice.correction.models import CorrectionSubject

_rng = random.Random(20261206 + 12)
_serial = itertools.count(1)


def person_id(*, region_code: str = "440106", sex: str = "男", born: date | None = None) -> str:
    n = next(_serial)
    born = born or date(1970, 1, 1) + timedelta(days=n * 41 % 12000)
    return identity.generate_citizen_id(_rng, region_code=region_code, birth_date=born, sex=sex)


def subject(place: Place, **fields) -> CorrectionSubject:
    """An active subject executed by the organisation of `place`, in jurisdiction `place.code`."""
    n = next(_serial)
    today = timezone.localdate()
    gender = fields.pop("gender", Gender.MALE)
    values = {
        "number": f"T{place.code[:6]}{n:06d}",
        "name": f"测试对象{n:04d}",
        "id_number": person_id(sex="女" if gender == Gender.FEMALE else "男"),
        "gender": gender,
        "birth_date": date(1985, 5, 1),
        "phone": "13800138000",
        "address": "广州市天河区五山路100号",
        "category": CorrectionCategory.PROBATION,
        "offence": "危险驾驶罪",
        "sentence": "拘役二个月，缓刑四个月",
        "judgment_number": f"（2026）粤0106刑初{n}号",
        "deciding_authority": "广州市天河区人民法院",
        "judgment_effective_on": today - timedelta(days=40),
        "starts_on": today - timedelta(days=35),
        "ends_on": today + timedelta(days=300),
        "agency": place.organisation,
        "jurisdiction_id": place.code,
        "level": SupervisionLevel.ORDINARY,
        "status": SubjectStatus.ACTIVE,
        "intake_on": today - timedelta(days=34),
    }
    values.update(fields)
    return CorrectionSubject.objects.create(**values)


def subject_account(obj: CorrectionSubject, *, username: str | None = None) -> User:
    """The subject's 粤矫通 (citizen portal) account, linked to the record."""
    user = User(
        username=username or f"subject-{obj.pk}-{next(_serial)}",
        kind=AccountKind.CITIZEN,
        real_name=obj.name,
        id_number=obj.id_number,
        jurisdiction_id=obj.jurisdiction_id,
    )
    user.set_password(PASSWORD)
    user.save()
    CorrectionSubject.objects.filter(pk=obj.pk).update(account=user)
    obj.refresh_from_db()
    return user
