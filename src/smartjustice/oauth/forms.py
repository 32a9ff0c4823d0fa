"""Page form for registering a client application."""

from django import forms

from smartjustice.core.forms import StyledForm

from .choices import ClientType, GrantType


class ClientForm(StyledForm):
    name = forms.CharField(label="应用名称", max_length=255, help_text="如“移动执法终端”“省政务服务网”")
    client_type = forms.ChoiceField(
        label="客户端类型", choices=ClientType.choices, initial=ClientType.CONFIDENTIAL
    )
    grant_type = forms.ChoiceField(
        label="授权方式", choices=GrantType.choices, initial=GrantType.AUTHORIZATION_CODE
    )
    redirect_uris = forms.CharField(
        label="回调地址",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="授权码方式必填，每行一个完整地址；客户端凭证方式留空",
    )
    skip_authorization = forms.BooleanField(
        label="本平台自有应用，用户登录后无需再次确认授权", required=False
    )
