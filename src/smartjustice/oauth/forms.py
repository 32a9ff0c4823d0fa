"""Page forms for registering and editing a client application."""

from django import forms

from smartjustice.core.forms import StyledForm

from .choices import ClientType, GrantType


def _uris_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text
    )


class ClientEditForm(StyledForm):
    """What may change after registration: the name, the addresses and the consent setting."""

    name = forms.CharField(label="应用名称", max_length=255, help_text="如“移动执法终端”“省政务服务网”")
    redirect_uris = _uris_field("回调地址", "授权码方式必填，每行一个完整地址；客户端凭证方式留空")
    post_logout_redirect_uris = _uris_field(
        "退出后跳转地址",
        "选填，每行一个完整地址：应用请求退出平台统一登录后，只会跳回这里登记的地址；客户端凭证方式留空",
    )
    skip_authorization = forms.BooleanField(
        label="本平台自有应用，用户登录后无需再次确认授权", required=False
    )

    @classmethod
    def for_application(cls, application, data=None):
        return cls(
            data,
            initial={
                "name": application.name,
                "redirect_uris": "\n".join(application.redirect_uris.split()),
                "post_logout_redirect_uris": "\n".join(application.post_logout_redirect_uris.split()),
                "skip_authorization": application.skip_authorization,
            },
        )


class ClientForm(ClientEditForm):
    """Registration: the edit fields plus the client type and grant type, which are fixed once registered."""

    client_type = forms.ChoiceField(
        label="客户端类型", choices=ClientType.choices, initial=ClientType.CONFIDENTIAL
    )
    grant_type = forms.ChoiceField(
        label="授权方式", choices=GrantType.choices, initial=GrantType.AUTHORIZATION_CODE
    )

    field_order = [
        "name",
        "client_type",
        "grant_type",
        "redirect_uris",
        "post_logout_redirect_uris",
        "skip_authorization",
    ]
