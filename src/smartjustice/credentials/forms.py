"""Page forms of e-certificates: issue (fields from the credential type), status changes, disclosure links."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import StyledForm

from .types import CredentialType


class IssueForm(StyledForm):
    """Issue one credential of `kind`: the holder's account plus the claims the issuer types in."""

    holder = forms.CharField(label="持证人账号", max_length=150, help_text="持证人在平台的登录账号")
    valid_until = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空按类型默认有效期",
    )

    def __init__(self, *args, kind: CredentialType, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)
        for claim in kind.claims:
            if claim.source:
                continue  # filled by the platform (name, number, organisations)
            field = forms.CharField(
                label=claim.label, max_length=200, required=claim.required, help_text=claim.help
            )
            field.widget.attrs["class"] = "form-control"
            self.fields[f"claim_{claim.key}"] = field

    def claims(self) -> dict:
        return {k.removeprefix("claim_"): v for k, v in self.cleaned_data.items() if k.startswith("claim_")}


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(StyledForm):
    label = forms.CharField(label="用途说明", max_length=100, required=False, help_text="如“向当事人出示”")
    claims = forms.MultipleChoiceField(label="披露的内容", widget=forms.CheckboxSelectMultiple)
    expires_at = forms.DateTimeField(
        label="链接有效期至",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="留空则一直有效，直到您撤回",
    )

    def __init__(self, *args, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].choices = list(labels.items())
