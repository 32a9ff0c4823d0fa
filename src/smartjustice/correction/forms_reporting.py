"""Forms of the daily-supervision pages (filters, recording a check-in or a visit); the services validate again."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import FilterForm, StyledForm

from .models import CheckInChannel, SupervisionRecordKind

BLANK = [("", "全部")]
STAFF_CHANNELS = [(c.value, c.label) for c in (CheckInChannel.IN_PERSON, CheckInChannel.PHONE_CALL)]


class CheckInFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或矫正编号", "type": "search"}),
    )
    channel = forms.ChoiceField(label="报到方式", required=False, choices=BLANK + CheckInChannel.choices)
    late = forms.ChoiceField(
        label="是否逾期", required=False, choices=BLANK + [("1", "逾期报告"), ("0", "按时报告")]
    )
    since = forms.DateField(
        label="报到日期起", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="报到日期止", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ChoiceField(label="区划", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]


class SupervisionRecordFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或矫正编号", "type": "search"}),
    )
    kind = forms.ChoiceField(label="方式", required=False, choices=BLANK + SupervisionRecordKind.choices)
    since = forms.DateField(label="日期起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="日期止", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label="区划", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]


class StaffCheckInForm(StyledForm):
    """An officer records a report made in person or by phone (the app and the kiosk have their own pages)."""

    channel = forms.ChoiceField(label="报到方式", choices=STAFF_CHANNELS)
    checked_at = forms.DateTimeField(
        label="报到时间",
        required=False,
        help_text="不填为现在；可补录31日内的报到",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    report = forms.CharField(
        label="情况报告", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label="现场照片", required=False, help_text="JPG 或 PNG")


class SupervisionRecordForm(StyledForm):
    kind = forms.ChoiceField(label="方式", choices=SupervisionRecordKind.choices)
    occurred_at = forms.DateTimeField(
        label="时间",
        required=False,
        help_text="不填为现在",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label="地点", required=False, max_length=200, help_text="实地查访必填")
    participants = forms.CharField(label="参与人员", required=False, max_length=200)
    summary = forms.CharField(label="情况记录", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    findings_ok = forms.BooleanField(label="未发现异常", required=False, initial=True)
