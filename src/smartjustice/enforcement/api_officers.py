"""API of 行政执法主体 and 行政执法人员 (mounted on the enforcement router): agencies by jurisdiction and domain,
officers with their 行政执法证 state, and the registration of an officer."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import officers
from .officer_schemas import AgencyFilter, AgencyOut, OfficerFilter, OfficerIn, OfficerOut

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
