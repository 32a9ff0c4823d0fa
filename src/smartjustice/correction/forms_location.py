"""Forms of the location pages (alert filters, fence editor, 电子定位装置, track range); the services validate again."""

from __future__ import annotations

import json

from django import forms

from smartjustice.core.forms import FilterForm, StyledForm

from .choices import AlertKind, AlertStatus, FenceKind
from .models import MonitoringGround

BLANK = [("", "全部")]


class AlertFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名、矫正编号或触发原因", "type": "search"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=BLANK + [("open_all", "未处置完毕")] + AlertStatus.choices
    )
    kind = forms.ChoiceField(label="预警类型", required=False, choices=BLANK + AlertKind.choices)
    region = forms.ChoiceField(label="区划", required=False)
    overdue = forms.ChoiceField(
        label="处置期限", required=False, choices=BLANK + [("1", "已超期"), ("0", "未超期")]
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]

    def values(self) -> dict:
        values = super().values()
        overdue = values.pop("overdue")
        values["overdue"] = True if overdue == "1" else (False if overdue == "0" else None)
        return values


class GeometryField(forms.CharField):
    """GeoJSON typed or drawn on the map (the editor writes it into this field)."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "font-monospace small", "data-fence-geometry": "1"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError("范围应为 GeoJSON（可在地图上点击绘制）") from None

    def prepare_value(self, value):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


class FenceForm(StyledForm):
    subject = forms.TypedChoiceField(label="社区矫正对象", coerce=int)
    kind = forms.ChoiceField(label="类型", choices=FenceKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    geometry = GeometryField(label="范围（在地图上依次点击多边形各顶点，或粘贴 GeoJSON）")
    window_start = forms.TimeField(
        label="每日开始时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    window_end = forms.TimeField(
        label="每日结束时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    basis = forms.CharField(label="依据（如禁止令文书号）", max_length=300, required=False)

    def __init__(self, *args, subjects=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s.pk, f"{s.name}（{s.number}）") for s in subjects]
        if editing:
            del self.fields["subject"]
            del self.fields["kind"]


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", min_length=2, max_length=300)


class MonitoringForm(StyledForm):
    subject = forms.TypedChoiceField(label="社区矫正对象", coerce=int)
    ground = forms.ChoiceField(
        label="适用情形（社区矫正法第二十九条第一款）", choices=MonitoringGround.choices
    )
    facts = forms.CharField(label="事实和理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="期满日期（不超过三个月）", widget=forms.DateInput(attrs={"type": "date"})
    )
    device_number = forms.CharField(label="装置编号", max_length=64, required=False)
    extension_of = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(s.pk, f"{s.name}（{s.number}）") for s in subjects]


class TrackForm(FilterForm):
    since = forms.DateTimeField(
        label="开始时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    until = forms.DateTimeField(
        label="结束时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
