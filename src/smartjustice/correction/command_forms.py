"""Forms of the command, risk and 脱管 pages (filters, notes, opening a search); the services validate again."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import FilterForm, StyledForm

from .models import IncidentStatus, RiskLevel

BLANK = [("", "全部")]


class RiskFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或矫正编号", "type": "search"}),
    )
    level = forms.ChoiceField(label="风险等级", required=False, choices=BLANK + RiskLevel.choices)
    region = forms.ChoiceField(label="区划", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]


class IncidentFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编号、姓名或矫正编号", "type": "search"}),
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=BLANK + [("open", "在办")] + IncidentStatus.choices
    )
    region = forms.ChoiceField(label="区划", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]


class IncidentNoteForm(StyledForm):
    text = forms.CharField(label="查找情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    found = forms.BooleanField(label="已查找到该对象", required=False)


class IncidentOpenForm(StyledForm):
    note = forms.CharField(
        label="失去联系的情况",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "最后一次联系的时间、方式，已采取的措施"}),
    )
