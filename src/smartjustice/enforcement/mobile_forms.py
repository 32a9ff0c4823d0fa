"""Forms of the mobile enforcement pages (移动执法): they parse; enforcement/simplified.py and the case services decide."""

from __future__ import annotations

import base64
import binascii
import datetime
import re

from django import forms
from django.utils import timezone

from smartjustice.core.forms import StyledForm

from .choices import PartyKind
from .mobile_queries import LOOKUP_KINDS

PNG_DATA_URL = re.compile(r"^data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)$")
SIGNATURE_MAX_BYTES = 512 * 1024
PHOTO_MAX_COUNT = 9


def decode_signature(value: str) -> bytes | None:
    """The PNG bytes of a canvas's `toDataURL("image/png")` (or plain base64); None when empty, ValueError if bad."""
    text = (value or "").strip()
    if not text:
        return None
    match = PNG_DATA_URL.match(text)
    payload = match["data"] if match else text
    try:
        data = base64.b64decode(re.sub(r"\s", "", payload), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("签名图像无效，请重新签名") from None
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ValueError("签名图像过大，请清除后重新签名")
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("签名图像须为 PNG 格式，请重新签名")
    return data


def parse_device_time(value: str) -> datetime.datetime | None:
    """An ISO time from the phone (navigator's clock, with offset), or None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class LookupForm(StyledForm):
    by = forms.ChoiceField(
        label="查询方式", choices=list(LOOKUP_KINDS.items()), initial="name", widget=forms.RadioSelect
    )
    q = forms.CharField(
        label="查询内容",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )


class DevicePositionMixin(forms.Form):
    """Time and place the page's script takes from the phone (navigator.geolocation)."""

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
    captured_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        return None if value is None else round(value, 6)

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        return None if value is None else round(value, 6)

    def clean_captured_at(self):
        return parse_device_time(self.cleaned_data.get("captured_at", ""))


class PenaltyForm(DevicePositionMixin, StyledForm):
    """当场行政处罚决定: the party, the facts and basis, 警告 or a fine within 第五十一条's limits, the signature."""

    kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="当事人姓名或名称", max_length=200)
    id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label="联系电话", max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    address = forms.CharField(label="住所（地址）", max_length=300, required=False)
    cause = forms.CharField(label="案由", max_length=300)
    facts = forms.CharField(label="违法事实", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    location = forms.CharField(label="违法地点", max_length=300)
    legal_basis = forms.CharField(
        label="处罚依据", max_length=500, help_text="法律、法规、规章名称及条款，如《××条例》第×条"
    )
    sanction = forms.ChoiceField(
        label="处罚种类",
        choices=[("warning", "警告"), ("fine", "罚款")],
        initial="fine",
        widget=forms.RadioSelect,
    )
    fine_amount = forms.DecimalField(
        label="罚款金额（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="公民二百元以下、法人或者其他组织三千元以下（《中华人民共和国行政处罚法》第五十一条）",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    co_officers = forms.MultipleChoiceField(
        label="同行执法人员", required=False, widget=forms.CheckboxSelectMultiple
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signature_refused = forms.BooleanField(label="当事人拒绝签收（由执法人员在决定书上注明）", required=False)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {str(o.user_id): o for o in colleagues}
        self.fields["co_officers"].choices = [
            (key, f"{o.user.display_name}（{o.credential.number if o.credential_id else '—'}）")
            for key, o in self.colleagues.items()
        ]
        if len(self.colleagues) == 1:
            self.fields["co_officers"].initial = list(self.colleagues)

    def clean_signature(self):
        try:
            return decode_signature(self.cleaned_data.get("signature", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def service_kwargs(self) -> dict:
        """The keywords of simplified.issue_on_the_spot_penalty (besides officer and actor)."""
        data = self.cleaned_data
        fine = data["sanction"] == "fine"
        return {
            "party": {
                "kind": data["kind"],
                "name": data["name"],
                "id_number": data["id_number"],
                "phone": data["phone"],
                "address": data["address"],
            },
            "cause": data["cause"],
            "facts": data["facts"],
            "location": data["location"],
            "legal_basis": data["legal_basis"],
            "fine_amount": data.get("fine_amount") if fine else None,
            "warning": not fine,
            "signature_png": data.get("signature"),
            "signature_refused": data.get("signature_refused", False),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "captured_at": data.get("captured_at"),
            "co_officers": [self.colleagues[k] for k in data.get("co_officers", []) if k in self.colleagues],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > PHOTO_MAX_COUNT:
            raise forms.ValidationError(f"一次最多上传{PHOTO_MAX_COUNT}张照片")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class InspectionForm(DevicePositionMixin, StyledForm):
    """现场检查（勘验）笔录 with photos: time and GPS from the device."""

    case = forms.TypedChoiceField(label="案件", coerce=int)
    content = forms.CharField(
        label="检查情况（笔录内容）", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(
        label="现场照片",
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment", "multiple": True}
        ),
        help_text="可拍照或从相册选择，JPG 或 PNG",
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "请选择案件")] + [
            (c.pk, f"{c.number or '（未立案）'} {c.cause}") for c in cases
        ]
