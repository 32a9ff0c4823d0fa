"""Forms of the subject app (粤矫通) and the kiosk: they parse; the services of the other parts decide."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import StyledForm

PHOTO_ATTRS = {"accept": "image/jpeg,image/png", "capture": "user"}
REPORT_MAX = 1000

# The kinds of request the app offers, as ApprovalRequest stores them (helper E: approvals.submit_request). When
# that part declares its own choices they are used instead (see `request_kinds`).
DEFAULT_REQUEST_KINDS = [
    ("leave", "外出"),
    ("residence_change", "迁居（变更执行地）"),
    ("special_place", "进入特定场所"),
    ("meet_person", "会见特定人员"),
]


def request_kinds() -> list[tuple[str, str]]:
    from .app_queries import part_model

    model = part_model("ApprovalRequest")
    if model is not None:
        try:
            choices = model._meta.get_field("kind").choices
        except Exception:  # noqa: BLE001 — a model without a `kind` field keeps the defaults
            choices = None
        if choices:
            return [(str(value), str(label)) for value, label in choices]
    return DEFAULT_REQUEST_KINDS


class PositionFields(forms.Form):
    """Where the phone is (navigator.geolocation), filled by the page's script; optional (a refusal is allowed)."""

    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, max_digits=9, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        max_digits=10,
        widget=forms.HiddenInput,
    )
    accuracy_m = forms.FloatField(required=False, min_value=0, max_value=100_000, widget=forms.HiddenInput)

    def position(self) -> dict:
        data = self.cleaned_data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is None or longitude is None:
            return {"latitude": None, "longitude": None, "accuracy_m": None}
        return {
            "latitude": float(latitude),
            "longitude": float(longitude),
            "accuracy_m": data.get("accuracy_m"),
        }


class CheckInForm(StyledForm, PositionFields):
    """每日报告 from the phone: a live photo, the position, a short report of what the subject did."""

    photo = forms.FileField(
        label="现场照片",
        help_text="请用手机前置摄像头拍摄本人正面照片",
        widget=forms.ClearableFileInput(attrs=PHOTO_ATTRS),
    )
    report = forms.CharField(
        label="活动情况",
        max_length=REPORT_MAX,
        help_text="简要报告近期的工作、学习、生活和思想情况",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def add_domain_error(self, exc) -> None:
        """The position fields are hidden: a service's complaint about them is shown above the form."""
        if set(exc.fields or {}) & {"latitude", "longitude", "accuracy_m"}:
            self.add_error(None, exc.message)
            return
        super().add_domain_error(exc)


class ApprovalRequestForm(StyledForm):
    """外出、迁居、进入特定场所、会见特定人员: what, where, why and when."""

    kind = forms.ChoiceField(label="申请事项", choices=DEFAULT_REQUEST_KINDS)
    destination = forms.CharField(label="目的地（场所、人员）", max_length=200)
    reason = forms.CharField(label="事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = request_kinds()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data


class IdentityPhotoForm(StyledForm):
    """The identity check before learning or at the kiosk: a live photo and, when a challenge was shown, its digits."""

    photo = forms.FileField(
        label="本人照片",
        help_text="请正对摄像头拍照，用于与入矫时的照片比对",
        widget=forms.ClearableFileInput(attrs=PHOTO_ATTRS),
    )
    challenge_answer = forms.CharField(
        label="屏幕上显示的数字",
        required=False,
        max_length=12,
        help_text="如屏幕显示了随机数字，请输入这些数字（并在拍照时念出）",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class KioskIdForm(StyledForm):
    id_number = forms.CharField(
        label="身份证号码",
        max_length=18,
        min_length=15,
        widget=forms.TextInput(
            attrs={
                "inputmode": "text",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class KioskCheckInForm(StyledForm):
    report = forms.CharField(
        label="活动情况（可选）",
        required=False,
        max_length=REPORT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
