"""API of mobile enforcement (移动执法) at /api/v1/enforcement/m/: what a native client on an officer's phone calls —
party look-up (masked), my 行政执法证 and its QR payload, my cases and deadlines, evidence upload with the device's
time and GPS, and the on-the-spot penalty (简易程序) with the party's signature as base64 PNG."""

import base64
import binascii
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from smartjustice.core import access
from smartjustice.core.api.blocks import AttachmentOut
from smartjustice.core.auth import API_AUTH
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.pagination import Id, PageNumberPagination

from . import documents as case_documents
from . import mobile_queries as queries
from . import simplified
from .case_schemas import CaseOut, EvidenceOut, PartyIn, PartyOut
from .mobile import credential_url
from .mobile_forms import SIGNATURE_MAX_BYTES
from .models import EnforcementCase, EnforcementItem, EnforcementOfficer, Party

router = Router(tags=["移动执法"])


# --- schemas -------------------------------------------------------------------------------------------------------


class MobileLookupFilter(Schema):
    by: Literal["name", "id_number", "uscc"] = Field(
        "name", description="查询方式：name 姓名或名称 / id_number 身份证号码 / uscc 统一社会信用代码"
    )
    q: str = Field(
        ..., max_length=100, description="查询内容（身份证号码、统一社会信用代码须完整且校验通过）"
    )


class MobileCredentialOut(Schema):
    officer_name: str
    agency_name: str
    number: str = Field(..., description="行政执法证号")
    state: str = Field(..., description="valid 有效 / suspended / revoked / expired / not_yet_valid")
    valid_from: datetime
    valid_until: datetime
    enforcement_area: str
    domains: list[str]
    qr_payload: str = Field(..., description="二维码内容：公开核验地址（扫码即在证照服务核验）")


class MobileDeadlineOut(Schema):
    case_id: int
    case_number: str | None
    cause: str
    label: str
    due_on: date
    days_left: int = Field(..., description="剩余天数（负数为已超期）")
    text: str


class MobileCaseOut(CaseOut):
    days_left: int | None = Field(None, description="当前法定期限剩余天数（负数为已超期）")

    @staticmethod
    def resolve_days_left(obj) -> int | None:
        if not obj.clock_due_on:
            return None
        return (obj.clock_due_on - timezone.localdate()).days


class MobileEvidenceIn(Schema):
    content: str = Field(..., min_length=1, max_length=5000, description="现场检查（勘验）笔录内容")
    latitude: Decimal | None = Field(None, ge=-90, le=90, description="纬度（设备定位）")
    longitude: Decimal | None = Field(None, ge=-180, le=180, description="经度（设备定位）")
    captured_at: datetime | None = Field(None, description="拍摄（检查）时间，设备时间，ISO 8601")


class OnTheSpotPenaltyIn(Schema):
    """当场行政处罚决定 (《行政处罚法》第五十一条、第五十二条)."""

    party_id: Id | None = Field(None, description="已登记的当事人 ID（与 party 二选一）")
    party: PartyIn | None = Field(None, description="新当事人")
    cause: str = Field(..., min_length=1, max_length=300, description="案由")
    facts: str = Field(..., min_length=1, max_length=5000, description="违法事实")
    location: str = Field(..., min_length=1, max_length=300, description="违法地点")
    legal_basis: str = Field(..., min_length=1, max_length=500, description="处罚依据")
    item_id: Id | None = Field(None, description="执法事项 ID（权责清单，可选）")
    fine_amount: Decimal | None = Field(
        None, gt=0, max_digits=14, decimal_places=2, description="罚款（元）：公民≤200，组织≤3000"
    )
    warning: bool = Field(False, description="警告（与罚款二选一）")
    signature_png: str = Field(
        "", max_length=800_000, description="当事人签名：PNG 的 base64（可带 data:image/png;base64, 前缀）"
    )
    signature_refused: bool = Field(False, description="当事人拒绝签收（在决定书上注明）")
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    captured_at: datetime | None = Field(None, description="现场时间（设备时间）")
    co_officer_ids: list[Id] = Field(
        default_factory=list, max_length=10, description="同行执法人员（行政执法人员 ID），连同本人不少于两人"
    )


class OnTheSpotOut(CaseOut):
    party: PartyOut
    facts: str
    location: str
    legal_basis: str
    other_sanctions: list[str]
    service_method: str
    served_on: date | None
    payment_due_on: date | None
    signature_refused: bool
    has_signature: bool
    documents: list[AttachmentOut] = Field(..., description="当场行政处罚决定书（PDF、Word）")

    @staticmethod
    def resolve_has_signature(obj) -> bool:
        return obj.party_signature_id is not None

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(case_documents.documents_of(obj))


# --- helpers -------------------------------------------------------------------------------------------------------

_DATA_URL = re.compile(r"^data:image/png;base64,")


def _signature(value: str) -> bytes | None:
    text = re.sub(r"\s", "", _DATA_URL.sub("", (value or "").strip()))
    if not text:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            "签名图像不是有效的 base64", fields={"signature_png": ["签名图像不是有效的 base64"]}
        ) from None
    if len(data) > SIGNATURE_MAX_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        message = "签名图像须为不超过 512 KB 的 PNG"
        raise ValidationFailed(message, fields={"signature_png": [message]})
    return data


def _officers(user, ids) -> list[EnforcementOfficer]:
    ids = list(dict.fromkeys(ids or ()))
    found = list(queries.officer_qs(user).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationFailed(
            "同行执法人员不存在", fields={"co_officer_ids": ["同行执法人员不存在或不可见"]}
        )
    return found


# --- routes --------------------------------------------------------------------------------------------------------


@router.get(
    "/parties",
    response=list[PartyOut],
    auth=API_AUTH,
    summary="当事人查询（姓名、身份证号码、统一社会信用代码）",
)
def lookup_parties(request, filters: Query[MobileLookupFilter]):
    access.require(request.auth, "view", Party)
    return list(queries.find_parties(request.auth, by=filters.by, q=filters.q))


@router.get(
    "/credential", response=MobileCredentialOut, auth=API_AUTH, summary="我的行政执法证（二维码内容）"
)
def my_credential(request):
    officer = queries.my_officer(request.auth)
    credential = officer.credential if officer is not None else None
    if credential is None or credential.holder_id != request.auth.pk:
        raise NotFound("您没有行政执法证")
    return {
        "officer_name": officer.user.display_name,
        "agency_name": officer.agency.name,
        "number": credential.number,
        "state": credential.verification_state,
        "valid_from": credential.valid_from,
        "valid_until": credential.valid_until,
        "enforcement_area": str(officer.jurisdiction),
        "domains": [
            str(EnforcementDomain(d).label) for d in officer.domains if d in EnforcementDomain.values
        ],
        "qr_payload": credential_url(credential),
    }


@router.get("/cases", response=list[MobileCaseOut], auth=API_AUTH, summary="我承办的案件（最紧迫的期限在前）")
@paginate(PageNumberPagination)
def my_cases(request, open_only: bool = True):
    return queries.my_cases(request.auth, open_only=open_only)


@router.get(
    "/deadlines", response=list[MobileDeadlineOut], auth=API_AUTH, summary="我的期限（法定期限和缴款期限）"
)
def my_deadlines(request):
    return [
        {
            "case_id": d.case.pk,
            "case_number": d.case.number,
            "cause": d.case.cause,
            "label": d.label,
            "due_on": d.due_on,
            "days_left": d.days_left,
            "text": d.text,
        }
        for d in queries.my_deadlines(request.auth)
    ]


@router.post(
    "/cases/{case_id}/evidence",
    response={201: list[EvidenceOut]},
    auth=API_AUTH,
    summary="上传现场检查笔录和照片（含设备时间、经纬度）",
)
def upload_evidence(
    request, case_id: int, payload: Form[MobileEvidenceIn], photos: File[list[UploadedFile]] = None
):
    case = queries.get_my_case(request.auth, case_id, action="change")
    recorded = simplified.record_on_site_inspection(
        case,
        content=payload.content,
        photos=photos or [],
        latitude=payload.latitude,
        longitude=payload.longitude,
        captured_at=payload.captured_at,
        actor=request.auth,
    )
    return Status(201, recorded)


@router.post(
    "/penalties",
    response={201: OnTheSpotOut},
    auth=API_AUTH,
    summary="当场作出行政处罚决定（简易程序，《行政处罚法》第五十一条、第五十二条）",
)
def issue_penalty(request, payload: OnTheSpotPenaltyIn):
    user = request.auth
    access.require(user, "add", EnforcementCase)
    if (payload.party_id is None) == (payload.party is None):
        raise ValidationFailed(
            "请选择已登记的当事人或填写新当事人（二选一）", fields={"party": ["请填写当事人"]}
        )
    party = (
        queries.get_party_for(user, payload.party_id)
        if payload.party_id is not None
        else payload.party.dict()
    )
    item = None
    if payload.item_id is not None:
        item = EnforcementItem.objects.restrict(user, "view").filter(pk=payload.item_id).first()
        if item is None:
            raise ValidationFailed("执法事项不存在", fields={"item_id": ["执法事项不存在"]})
    case = simplified.issue_on_the_spot_penalty(
        officer=queries.my_officer(user) or user,
        party=party,
        cause=payload.cause,
        facts=payload.facts,
        location=payload.location,
        legal_basis=payload.legal_basis,
        item=item,
        fine_amount=payload.fine_amount,
        warning=payload.warning,
        signature_png=_signature(payload.signature_png),
        signature_refused=payload.signature_refused,
        latitude=payload.latitude,
        longitude=payload.longitude,
        captured_at=payload.captured_at,
        co_officers=_officers(user, payload.co_officer_ids),
        actor=user,
    )
    return Status(201, queries.get_my_case(user, case.pk))
