"""Core API: real-name verification (实名核验) and lifting sign-in locks."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from .. import lockout, queries, verification
from ..auth import API_AUTH
from ..errors import NotAuthenticated

router = Router(tags=["账号安全"])


class InPersonIdentityVerificationIn(Schema):
    username: str = Field(..., min_length=1, max_length=150, description="申请人在平台注册的用户名")
    real_name: str = Field(..., min_length=1, max_length=64, description="证件上的姓名")
    id_number: str = Field(..., min_length=15, max_length=32, description="证件上的身份证号码")
    note: str = Field("", max_length=300, description="备注，如服务窗口名称")


class IdentityVerificationOut(Schema):
    id: int
    username: str = Field(..., alias="user.username")
    method: str
    method_label: str
    verified_at: datetime
    verified_by: str = Field(..., description="核验人用户名（系统核验时为空）")

    @staticmethod
    def resolve_method_label(obj) -> str:
        return verification.method_label(obj.method)

    @staticmethod
    def resolve_verified_by(obj) -> str:
        return obj.verified_by.get_username() if obj.verified_by_id else ""


class IdentityVerificationStatusOut(Schema):
    verified: bool
    method_label: str = Field("", description="核验方式")
    verified_at: datetime | None = None
    instructions: list[str] = Field(default_factory=list, description="尚未核验时：办理实名核验的方式")


class AccountUnlockOut(Schema):
    username: str
    cleared: int = Field(..., description="清除的失败登录记录数")


@router.post(
    "/identity-verifications",
    response={201: IdentityVerificationOut},
    auth=API_AUTH,
    summary="服务窗口现场实名核验（核对居民身份证原件）",
)
def verify_in_person(request, payload: InPersonIdentityVerificationIn):
    done = verification.verify_in_person(actor=request.auth, **payload.dict())
    return Status(201, done)


@router.get(
    "/me/identity-verification",
    response=IdentityVerificationStatusOut,
    auth=API_AUTH,
    summary="本人实名核验状态",
)
def my_verification(request):
    if not request.auth or not request.auth.is_authenticated:
        raise NotAuthenticated()
    status = verification.status_of(request.auth)
    return {
        "verified": status.verified,
        "method_label": status.method_label,
        "verified_at": status.verified_at,
        "instructions": list(status.instructions),
    }


@router.post(
    "/users/{user_id}/unlock", response=AccountUnlockOut, auth=API_AUTH, summary="解除账号的登录锁定"
)
def unlock_user(request, user_id: int):
    subject = queries.get_user_for(request.auth, user_id)
    cleared = lockout.unlock_account(subject, actor=request.auth)
    return {"username": subject.get_username(), "cleared": cleared}
