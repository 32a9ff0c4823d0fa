"""API of 行政执法主体 and 行政执法人员 (mounted on the enforcement router): agencies by jurisdiction and domain,
officers with their 行政执法证 state, and the registration of an officer."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import officers
from .officer_schemas import (
    AgencyFilter,
    AgencyOut,
    CertificateIssueIn,
    CertificateRevokeIn,
    MyCertificateOut,
    OfficerFilter,
    OfficerIn,
    OfficerOut,
    TrainingIn,
)

TAGS = ["行政执法人员"]


def mount(router: Router) -> None:
    """Add the agency and officer routes to the enforcement router (api.py calls it once)."""

    @router.get(
        "/agencies",
        response=list[AgencyOut],
        auth=API_AUTH,
        tags=TAGS,
        summary="行政执法主体（按区划、执法领域）",
    )
    @paginate(PageNumberPagination)
    def list_agencies(request, filters: Query[AgencyFilter]):
        return officers.list_agencies(
            request.auth, jurisdiction_code=filters.jurisdiction or None, domain=filters.domain or None
        )

    @router.get("/officers", response=list[OfficerOut], auth=API_AUTH, tags=TAGS, summary="行政执法人员")
    @paginate(PageNumberPagination)
    def list_officers(request, filters: Query[OfficerFilter]):
        return officers.filter_officers(officers.list_officers(request.auth), **filters.dict())

    @router.get(
        "/officers/me",
        response=MyCertificateOut,
        auth=API_AUTH,
        tags=TAGS,
        summary="我的执法证（状态与核验二维码）",
    )
    def my_certificate(request):
        return officers.certificate_card(request.auth)

    @router.get(
        "/officers/{officer_id}", response=OfficerOut, auth=API_AUTH, tags=TAGS, summary="行政执法人员详情"
    )
    def get_officer(request, officer_id: int):
        return officers.get_officer_for(request.auth, officer_id)

    @router.post(
        "/officers", response={201: OfficerOut}, auth=API_AUTH, tags=TAGS, summary="登记行政执法人员"
    )
    def create_officer(request, payload: OfficerIn):
        officer = officers.register_officer_by_ids(actor=request.auth, **payload.dict())
        return Status(201, officers.get_officer_for(request.auth, officer.pk))

    @router.post(
        "/officers/{officer_id}/certificate",
        response={201: OfficerOut},
        auth=API_AUTH,
        tags=TAGS,
        summary="签发行政执法证（经电子证照服务，二维码可核验）",
    )
    def issue_certificate(request, officer_id: int, payload: CertificateIssueIn):
        officer = officers.get_officer_for(request.auth, officer_id)
        officers.issue_certificate(officer, actor=request.auth, valid_until=payload.valid_until)
        return Status(201, officers.get_officer_for(request.auth, officer_id))

    @router.post(
        "/officers/{officer_id}/certificate/revoke",
        response=OfficerOut,
        auth=API_AUTH,
        tags=TAGS,
        summary="吊销行政执法证（即时不能再被指派）",
    )
    def revoke_certificate(request, officer_id: int, payload: CertificateRevokeIn):
        officer = officers.get_officer_for(request.auth, officer_id)
        officers.revoke_certificate(officer, actor=request.auth, reason=payload.reason)
        return officers.get_officer_for(request.auth, officer_id)

    @router.post(
        "/officers/{officer_id}/training",
        response=OfficerOut,
        auth=API_AUTH,
        tags=TAGS,
        summary="登记年度培训学时",
    )
    def record_training(request, officer_id: int, payload: TrainingIn):
        officer = officers.get_officer_for(request.auth, officer_id)
        officers.record_training(officer, actor=request.auth, **payload.dict())
        return officers.get_officer_for(request.auth, officer_id)
