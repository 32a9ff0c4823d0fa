"""Core API: sign-in for clients, me, tokens, jurisdictions, organisations, staff accounts, the audit trail."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Query, Router, Status
from ninja.pagination import paginate

from .. import exports, privacy, queries, services
from ..auth import API_AUTH
from ..errors import NotAuthenticated, PermissionDenied
from ..models import Role
from ..pagination import PageNumberPagination
from ..schemas import (
    AuditEntryOut,
    AuditFilter,
    JurisdictionFilter,
    JurisdictionOut,
    MeOut,
    OrganisationFilter,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PasswordChangeIn,
    PasswordLoginIn,
    RoleOut,
    RolesIn,
    StaffIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserFilter,
    UserOut,
    UserPatch,
)

router = Router(tags=["平台基础"])


# --- sign-in and the current user -----------------------------------------------------------------------------


class AccountLocked(PermissionDenied):
    status_code = 429
    code = "account_locked"


@router.post(
    "/auth/token", response={201: TokenCreatedOut}, auth=None, summary="用账号密码换取访问令牌（移动终端）"
)
def obtain_token(request, payload: PasswordLoginIn, response: HttpResponse):
    patch_cache_control(response, no_store=True)  # the token is in this answer only
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # Answer in the API's JSON error convention instead of axes's HTML lockout page.
            request.axes_locked_out = False
            minutes = round(settings.AXES_COOLOFF_TIME * 60)
            raise AccountLocked(
                f"连续登录失败次数过多，账号已被临时锁定，请 {minutes} 分钟后再试或联系管理员"
            )
        raise NotAuthenticated("账号或密码错误；连续失败多次后账号将被临时锁定")
    # A sign-in like the web's: recorded in the trail, and the lockout counter starts again (AXES_RESET_ON_SUCCESS).
    user_logged_in.send(sender=type(user), request=request, user=user)
    token, plaintext = services.issue_api_token(actor=user, name=payload.name, days=payload.days)
    token.token = plaintext
    return Status(201, token)


@router.get("/me", response=MeOut, auth=API_AUTH, summary="当前用户")
def me(request):
    return request.auth


@router.post("/me/password", response={204: None}, auth=API_AUTH, summary="修改密码")
def change_password(request, payload: PasswordChangeIn):
    services.change_password(
        request.auth, actor=request.auth, old_password=payload.old_password, new_password=payload.new_password
    )
    return Status(204, None)


@router.get("/tokens", response=list[TokenOut], auth=API_AUTH, summary="我的访问令牌")
def list_tokens(request):
    return list(queries.list_tokens(request.auth))


@router.post("/tokens", response={201: TokenCreatedOut}, auth=API_AUTH, summary="创建访问令牌")
def create_token(request, payload: TokenIn, response: HttpResponse):
    patch_cache_control(response, no_store=True)  # the token is in this answer only
    token, plaintext = services.issue_api_token(actor=request.auth, name=payload.name, days=payload.days)
    token.token = plaintext
    return Status(201, token)


@router.delete("/tokens/{token_id}", response=TokenOut, auth=API_AUTH, summary="吊销访问令牌")
def revoke_token(request, token_id: int):
    token = queries.get_token_for(request.auth, token_id, action="change")
    return services.revoke_api_token(token, actor=request.auth)


@router.get("/roles", response=list[RoleOut], auth=API_AUTH, summary="角色列表")
def list_roles(request):
    return list(Role.objects.all())


# --- jurisdictions -----------------------------------------------------------------------------------------------


@router.get("/jurisdictions", response=list[JurisdictionOut], auth=API_AUTH, summary="行政区划")
@paginate(PageNumberPagination)
def list_jurisdictions(request, filters: Query[JurisdictionFilter]):
    return queries.list_jurisdictions(**filters.dict())


@router.get("/jurisdictions/{code}", response=JurisdictionOut, auth=API_AUTH, summary="行政区划详情")
def get_jurisdiction(request, code: str):
    return queries.get_jurisdiction(code)


# --- organisations -------------------------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], auth=API_AUTH, summary="组织机构列表")
@paginate(PageNumberPagination)
def list_organisations(request, filters: Query[OrganisationFilter]):
    return queries.list_organisations(request.auth, **filters.dict())


@router.get("/organisations/export.csv", auth=API_AUTH, summary="导出组织机构（CSV）")
def export_organisations(request, filters: Query[OrganisationFilter]):
    return exports.csv_response(
        actor=request.auth,
        queryset=queries.list_organisations(request.auth, action="export", **filters.dict()),
        columns=ORGANISATION_COLUMNS,
        object_type="core.organisation",
        filename="organisations",
        filters=filters.dict(),
    )


@router.post("/organisations", response={201: OrganisationOut}, auth=API_AUTH, summary="新增组织机构")
def create_organisation(request, payload: OrganisationIn):
    data = payload.dict()
    jurisdiction = queries.get_jurisdiction(data.pop("jurisdiction"))
    parent_id = data.pop("parent_id")
    parent = queries.get_organisation_for(request.auth, parent_id) if parent_id else None
    org = services.create_organisation(actor=request.auth, jurisdiction=jurisdiction, parent=parent, **data)
    return Status(201, queries.get_organisation_for(request.auth, org.pk))


@router.get("/organisations/{org_id}", response=OrganisationOut, auth=API_AUTH, summary="组织机构详情")
def get_organisation(request, org_id: int):
    return queries.get_organisation_for(request.auth, org_id)


@router.patch("/organisations/{org_id}", response=OrganisationOut, auth=API_AUTH, summary="修改组织机构")
def update_organisation(request, org_id: int, payload: OrganisationPatch):
    org = queries.get_organisation_for(request.auth, org_id, action="change")
    changes = payload.dict(exclude_unset=True)
    if "parent_id" in changes:
        parent_id = changes.pop("parent_id")
        changes["parent"] = queries.get_organisation_for(request.auth, parent_id) if parent_id else None
    return services.update_organisation(org, actor=request.auth, **changes)


ORGANISATION_COLUMNS = [
    ("ID", lambda o: o.pk),
    ("名称", lambda o: o.name),
    ("类型", lambda o: o.get_kind_display()),
    ("执法领域", lambda o: o.get_enforcement_domain_display()),
    ("区划代码", lambda o: o.jurisdiction_id),
    ("所属区划", lambda o: o.jurisdiction.full_name),
    ("统一社会信用代码", lambda o: o.uscc),
    ("地址", lambda o: o.address),
    ("电话", lambda o: o.phone),
    ("状态", lambda o: "启用" if o.is_active else "停用"),
]


# --- accounts ---------------------------------------------------------------------------------------------------


@router.get("/users", response=list[UserOut], auth=API_AUTH, summary="用户列表（个人信息脱敏）")
@paginate(PageNumberPagination)
def list_users(request, filters: Query[UserFilter]):
    return queries.list_users(request.auth, **filters.dict())


@router.get("/users/export.csv", auth=API_AUTH, summary="导出用户（CSV，个人信息脱敏）")
def export_users(request, filters: Query[UserFilter]):
    return exports.csv_response(
        actor=request.auth,
        queryset=queries.list_users(request.auth, action="export", **filters.dict()),
        columns=USER_COLUMNS,
        object_type="core.user",
        filename="users",
        filters=filters.dict(),
    )


@router.post("/users", response={201: UserOut}, auth=API_AUTH, summary="新增工作人员账号")
def create_staff(request, payload: StaffIn):
    data = payload.dict()
    organisation = queries.get_organisation_for(request.auth, data.pop("organisation_id"))
    return Status(201, services.create_staff_account(actor=request.auth, organisation=organisation, **data))


@router.get("/users/{user_id}", response=UserOut, auth=API_AUTH, summary="用户详情（个人信息脱敏）")
def get_user(request, user_id: int):
    return queries.get_user_for(request.auth, user_id)


@router.post(
    "/users/{user_id}/reveal",
    response=UserOut,
    auth=API_AUTH,
    summary="查看完整个人信息（须有权限，记入审计日志）",
)
def reveal_user(request, user_id: int):
    user = queries.get_user_for(request.auth, user_id)
    if not services.reveal_personal_information(user, actor=request.auth, channel="API"):
        raise PermissionDenied("您没有查看完整个人信息的权限")
    return user


@router.patch("/users/{user_id}", response=UserOut, auth=API_AUTH, summary="修改用户")
def update_user(request, user_id: int, payload: UserPatch):
    user = queries.get_user_for(request.auth, user_id, action="change")
    return services.update_account(user, actor=request.auth, **payload.dict(exclude_unset=True))


@router.put("/users/{user_id}/roles", response=UserOut, auth=API_AUTH, summary="设置角色")
def set_roles(request, user_id: int, payload: RolesIn):
    user = queries.get_user_for(request.auth, user_id, action="change")
    return services.set_roles(user, actor=request.auth, roles=payload.roles)


USER_COLUMNS = [
    ("ID", lambda u: u.pk),
    ("账号", lambda u: u.username),
    ("类型", lambda u: u.get_kind_display()),
    ("姓名/名称", lambda u: u.display_name),
    ("所属单位", lambda u: u.organisation.name if u.organisation else ""),
    ("区划代码", lambda u: u.jurisdiction_id or ""),
    ("角色", lambda u: "、".join(r.name for r in u.roles.all())),
    ("身份证号码", lambda u: privacy.mask_field("id_number", u.id_number)),
    ("手机号码", lambda u: privacy.mask_field("phone", u.phone)),
    ("状态", lambda u: "启用" if u.is_active else "停用"),
]


# --- audit trail --------------------------------------------------------------------------------------------------


@router.get("/audit", response=list[AuditEntryOut], auth=API_AUTH, summary="审计日志（审计员，本辖区）")
@paginate(PageNumberPagination)
def list_audit(request, filters: Query[AuditFilter]):
    return queries.list_audit_entries(request.auth, **filters.dict())


@router.get("/audit/{entry_id}", response=AuditEntryOut, auth=API_AUTH, summary="审计记录详情")
def get_audit_entry(request, entry_id: int):
    return queries.get_audit_entry_for(request.auth, entry_id)
