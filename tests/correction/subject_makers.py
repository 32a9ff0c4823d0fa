"""Places and people of the subjects part's tests (helper A): the 天河区 agency and its 五山街道 司法所, 越秀区 with its
北京街道 司法所, and 乐昌市; officers and heads of each; an intake payload that passes every check."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.testing import make_staff, organisation_in
from tests.correction.makers import person_id

TIANHE = "440106000000"
WUSHAN = "440106001000"  # 五山街道
YUEXIU = "440104000000"
BEIJING_STREET = "440104003000"  # 北京街道
LECHANG = "440281000000"


def agency(code: str = TIANHE):
    names = {
        TIANHE: "广州市天河区社区矫正管理局",
        YUEXIU: "广州市越秀区社区矫正管理局",
        LECHANG: "乐昌市社区矫正中心",
    }
    return organisation_in(code, OrganisationKind.CORRECTION_AGENCY, name=names.get(code))


def station(code: str = WUSHAN):
    names = {WUSHAN: "天河区五山街道司法所", BEIJING_STREET: "越秀区北京街道司法所"}
    return organisation_in(code, OrganisationKind.JUSTICE_STATION, name=names.get(code))


def officer(code: str = TIANHE, *, organisation=None):
    organisation = organisation or (agency(code) if code.endswith("000000") else station(code))
    return make_staff(code, "correction_officer", organisation=organisation)


def head(code: str = TIANHE):
    return make_staff(code, "correction_head", organisation=agency(code))


def intake_payload(**fields) -> dict:
    today = timezone.localdate()
    values = {
        "name": "张测试",
        "id_number": person_id(),
        "category": "probation",
        "offence": "危险驾驶罪",
        "sentence": "拘役二个月，缓刑四个月",
        "judgment_number": "（2026）粤0106刑初100号",
        "deciding_authority": "广州市天河区人民法院",
        "judgment_effective_on": today - timedelta(days=5),
        "starts_on": today - timedelta(days=5),
        "ends_on": today + timedelta(days=120),
        "intake_on": today - timedelta(days=2),
        "phone": "13912345678",
        "address": "广州市天河区五山路1号",
    }
    values.update(fields)
    return values


# --- records for API tests and the access matrix (made directly, not through the services) ----------------------


def contact(place, **fields):
    from smartjustice.correction.models import SubjectContact
    from tests.correction.makers import subject

    values = {
        "relation": "parent",
        "name": "测试家属",
        "phone": "13800138001",
        "address": "广州市天河区五山路2号",
    }
    values.update(fields)
    return SubjectContact.objects.create(subject=values.pop("subject", None) or subject(place), **values)


def group_member(place, **fields):
    from smartjustice.correction.models import CorrectionGroupMember
    from tests.correction.makers import subject

    values = {"role": "social_worker", "name": "测试社工", "gender": "female", "phone": "13800138002"}
    values.update(fields)
    return CorrectionGroupMember.objects.create(
        subject=values.pop("subject", None) or subject(place), **values
    )


def transfer(place, *, to_code: str = LECHANG, **fields):
    """A requested transfer from the organisation of `place` to another county (乐昌市 by default)."""
    from smartjustice.core.testing import make_staff
    from smartjustice.correction.models import SubjectTransfer
    from tests.correction.makers import subject

    moving = fields.pop("subject", None) or subject(place, status="transferring")
    target = agency(to_code)
    values = {
        "from_agency": moving.agency,
        "from_jurisdiction_id": moving.jurisdiction_id,
        "to_agency": target,
        "to_jurisdiction_id": target.jurisdiction_id,
        "reason": "迁居",
        "new_address": "韶关市乐昌市乐城街道1号",
        "requested_on": timezone.localdate(),
        "requested_by": fields.pop("requested_by", None)
        or make_staff(place.code, organisation=place.organisation),
    }
    values.update(fields)
    return SubjectTransfer.objects.create(subject=moving, **values)


def archive_item(place, **fields):
    from smartjustice.correction.models import ArchiveItem
    from tests.correction.makers import subject

    values = {
        "kind": "record",
        "title": "走访记录",
        "content": "入户走访，情况稳定。",
        "filed_on": timezone.localdate(),
    }
    values.update(fields)
    return ArchiveItem.objects.create(subject=values.pop("subject", None) or subject(place), **values)


def intake_api_payload(place) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in intake_payload().items()}


def contact_payload(place) -> dict:
    from tests.correction.makers import subject

    return {"subject_id": subject(place).pk, "relation": "spouse", "name": "李配偶", "phone": "13900001111"}


def group_member_payload(place) -> dict:
    from tests.correction.makers import subject

    return {"subject_id": subject(place).pk, "role": "volunteer", "name": "赵志愿者", "gender": "female"}


def transfer_payload(place) -> dict:
    from tests.correction.makers import subject

    return {
        "subject_id": subject(place).pk,
        "to_agency_id": agency(LECHANG).pk,
        "reason": "迁居至乐昌市",
        "new_address": "韶关市乐昌市乐城街道2号",
    }
