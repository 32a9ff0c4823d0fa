"""In/Out schemas of client applications."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from .choices import ClientType, GrantType


class ClientIn(Schema):
    name: str = Field(..., min_length=1, max_length=255, description="应用名称")
    client_type: str = Field(
        ClientType.CONFIDENTIAL, description="confidential（机密）/ public（公开，须 PKCE）"
    )
    grant_type: str = Field(
        GrantType.AUTHORIZATION_CODE,
        description="authorization-code（授权码）/ client-credentials（客户端凭证）",
    )
    redirect_uris: list[str] = Field(default_factory=list, description="回调地址（授权码方式必填）")
    post_logout_redirect_uris: list[str] = Field(
        default_factory=list, description="退出后跳转地址（OIDC 退出登录后只跳转到这些地址；授权码方式可填）"
    )
    skip_authorization: bool = Field(False, description="平台自有应用：登录后不再询问授权")


class ClientPatch(Schema):
    """Only the fields sent are changed; client type and grant type stay as registered."""

    name: str | None = Field(None, min_length=1, max_length=255, description="应用名称")
    redirect_uris: list[str] | None = Field(None, description="回调地址（整体替换）")
    post_logout_redirect_uris: list[str] | None = Field(None, description="退出后跳转地址（整体替换）")
    skip_authorization: bool | None = Field(None, description="平台自有应用：登录后不再询问授权")


class ClientOut(Schema):
    id: int
    name: str
    client_id: str
    client_type: str
    grant_type: str = Field(..., alias="authorization_grant_type")
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    skip_authorization: bool
    created: datetime

    @staticmethod
    def resolve_redirect_uris(obj) -> list[str]:
        return obj.redirect_uris.split()

    @staticmethod
    def resolve_post_logout_redirect_uris(obj) -> list[str]:
        return obj.post_logout_redirect_uris.split()


class ClientCreatedOut(ClientOut):
    client_secret: str = Field("", description="客户端密钥明文，只在登记时返回这一次（公开客户端为空）")
