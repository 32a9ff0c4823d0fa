"""API of 可验证电子证照 at /api/v1/credentials/: parse → query/service → schema."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.models import User
from smartjustice.core.pagination import PageNumberPagination

from . import bundles, queries, services
from .models import Credential
from .schemas import (
    CredentialDetailOut,
    CredentialFilter,
    CredentialOut,
    CredentialVerificationOut,
    IssueIn,
    LinkIn,
    LinkOut,
    ReasonIn,
)
from .types import credential_types

router = Router(tags=["可验证电子证照"])


@router.get("/types", auth=None, summary="证照类型")
def list_types(request):
    return [
        {
            "code": t.code,
            "name": t.name,
            "vc_type": t.vc_type,
            "claims": [
                {"key": c.key, "label": c.label, "required": c.required, "filled_by_platform": bool(c.source)}
                for c in t.claims
            ],  # fmt: skip
            "default_disclosed": list(t.default_disclosed),
            "legal_basis": [str(c) for c, _ in t.legal_basis],
        }
        for t in credential_types().values()
    ]


@router.get("/trust", auth=None, summary="信任文件（离线核验须固定的发证机关公钥与存证日志公钥）")
def get_trust_file(request):
    return bundles.trust_document()


@router.get(
    "/credentials",
    response=list[CredentialOut],
    auth=API_AUTH,
    summary="电子证照列表（本辖区；持证人：本人）",
)
@paginate(PageNumberPagination)
def list_credentials(request, filters: Query[CredentialFilter]):
    return queries.list_credentials(request.auth, **filters.dict())


@router.post("/credentials", response={201: CredentialDetailOut}, auth=API_AUTH, summary="签发电子证照")
def issue_credential(request, payload: IssueIn):
    holder = get_object_or_404(User, pk=payload.holder_id)
    credential = services.issue_credential(
        actor=request.auth,
        type_code=payload.type_code,
        holder=holder,
        claims=payload.claims,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, credential)


@router.get(
    "/credentials/{credential_pk}", response=CredentialDetailOut, auth=API_AUTH, summary="电子证照详情"
)
def get_credential(request, credential_pk: int):
    return queries.get_credential_for(request.auth, credential_pk)


# 暂停 / 恢复 / 吊销: GET /credentials/{credential_pk}/transitions and POST …/transitions/<step> (core.workflow_api).
workflow_api.transition_routes(
    router,
    path="/credentials",
    model=Credential,
    get_for=queries.get_credential_for,
    detail=lambda request, credential: credential,
    response=CredentialDetailOut,
    services=services.TRANSITION_SERVICES,
    inputs=dict.fromkeys(services.TRANSITION_SERVICES, ReasonIn),
    id_param="credential_pk",
)


@router.get(
    "/credentials/{credential_pk}/bundle", auth=API_AUTH, summary="离线核验文件（持证人可选择披露内容）"
)
def get_bundle(request, credential_pk: int, claim: list[str] = Query(None)):  # noqa: B008
    credential = queries.get_credential_for(request.auth, credential_pk)
    keys = claim or None
    if credential.holder_id != request.auth.pk and keys is None:
        from .types import get_type

        keys = list(get_type(credential.type_code).default_disclosed)
    return bundles.build_bundle(credential, keys=keys)


@router.get(
    "/credentials/{credential_pk}/links", response=list[LinkOut], auth=API_AUTH, summary="我的核验链接"
)
def list_links(request, credential_pk: int):
    credential = queries.get_credential_for(request.auth, credential_pk)
    if credential.holder_id != request.auth.pk:
        return []
    return list(queries.links_of(credential))


@router.post(
    "/credentials/{credential_pk}/links",
    response={201: LinkOut},
    auth=API_AUTH,
    summary="创建核验链接（持证人）",
)
def create_link(request, credential_pk: int, payload: LinkIn):
    credential = queries.get_credential_for(request.auth, credential_pk)
    link = services.create_disclosure_link(
        credential,
        actor=request.auth,
        claims=payload.claims,
        label=payload.label,
        expires_at=payload.expires_at,
    )
    return Status(201, link)


@router.post("/links/{link_pk}/withdraw", response=LinkOut, auth=API_AUTH, summary="撤回核验链接")
def withdraw_link(request, link_pk: int):
    link = queries.get_link_for_holder(request.auth, link_pk)
    return services.withdraw_disclosure_link(link, actor=request.auth)


@router.get(
    "/verify/{token}",
    response=CredentialVerificationOut,
    auth=None,
    summary="公开核验（只返回持证人选择披露的内容）",
)
def verify(request, token: str):
    link = queries.get_public_link(token)
    return queries.verify_online(link.credential, link.claims).as_dict()
