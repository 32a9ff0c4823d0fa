"""API of 统一身份认证 at /api/v1/oauth/: client applications (the oauth2_provider.*_application permissions).

The OAuth2/OIDC protocol endpoints themselves live under /oauth/ (see urls.py).
"""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Router, Status
from ninja.pagination import paginate

from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import queries, services
from .schemas import ClientCreatedOut, ClientIn, ClientOut, ClientPatch

router = Router(tags=["统一身份认证（OAuth2/OIDC）"])


@router.get("/clients", response=list[ClientOut], auth=API_AUTH, summary="接入应用列表")
@paginate(PageNumberPagination)
def list_clients(request, q: str = ""):
    return queries.list_clients(request.auth, search=q)


@router.post(
    "/clients", response={201: ClientCreatedOut}, auth=API_AUTH, summary="登记接入应用（密钥只返回一次）"
)
def register_client(request, payload: ClientIn, response: HttpResponse):
    patch_cache_control(response, no_store=True)  # the secret is in this answer only
    application, secret = services.register_client(
        actor=request.auth,
        name=payload.name,
        client_type=payload.client_type,
        grant_type=payload.grant_type,
        redirect_uris=payload.redirect_uris,
        post_logout_redirect_uris=payload.post_logout_redirect_uris,
        skip_authorization=payload.skip_authorization,
    )
    application.client_secret = secret  # the plaintext, for this one response; the database holds the hash
    return Status(201, application)


@router.patch("/clients/{client_pk}", response=ClientOut, auth=API_AUTH, summary="修改接入应用（名称、地址）")
def update_client(request, client_pk: int, payload: ClientPatch):
    application = queries.get_client_for(request.auth, client_pk, action="change")
    return services.update_client(application, actor=request.auth, **payload.dict(exclude_unset=True))


@router.delete("/clients/{client_pk}", response={204: None}, auth=API_AUTH, summary="删除接入应用")
def remove_client(request, client_pk: int):
    application = queries.get_client_for(request.auth, client_pk, action="delete")
    services.remove_client(application, actor=request.auth)
    return Status(204, None)
