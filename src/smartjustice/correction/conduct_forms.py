"""Page forms of 考核奖惩 and 审批 (helper E): list filters and the forms to record an assessment, draft a sanction
and submit a request on a subject's behalf. They only parse (Chinese messages); the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from smartjustice.core.forms import BLANK, FilterForm, StyledForm

from . import rules
from .models.conduct import (
    ApprovalKind,
    ApprovalRoute,
    ApprovalStatus,
    AssessmentGrade,
    AssessmentKind,
    SanctionKind,
    SanctionStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = {"required": "请填写此项"}


def _subject_choices(subjects) -> list:
    return [("", "请选择")] + [
        (s.pk, f"{s.name}（{s.number}，{s.get_category_display()}）") for s in subjects
    ]


class AssessmentFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名或矫正编号"}),
    )
    kind = forms.ChoiceField(label="考核类型", required=False, choices=BLANK + AssessmentKind.choices)
    period = forms.CharField(
        label="考核期间",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "2026-11 或 2026-Q4"}),
    )
    grade = forms.ChoiceField(label="考核结果", required=False, choices=BLANK + AssessmentGrade.choices)


class SanctionFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、矫正编号或文号"}),
    )
    kind = forms.ChoiceField(label="奖惩种类", required=False, choices=BLANK + SanctionKind.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + SanctionStatus.choices)


class ApprovalFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名或目的地"}),
    )
    kind = forms.ChoiceField(label="申请事项", required=False, choices=BLANK + ApprovalKind.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ApprovalStatus.choices)
    route = forms.ChoiceField(label="审批层级", required=False, choices=BLANK + ApprovalRoute.choices)
    overdue = forms.TypedChoiceField(
        label="期限",
        required=False,
        choices=BLANK + [("1", "已超期"), ("0", "未超期")],
        coerce=lambda v: v == "1",
        empty_value=None,
    )


class AssessmentForm(StyledForm):
    """记录考核: one score field per item of rules.ASSESSMENT_ITEMS."""

    subject = forms.TypedChoiceField(
        label="社区矫正对象", coerce=int, error_messages={"required": "请选择社区矫正对象"}
    )
    kind = forms.ChoiceField(label="考核类型", choices=AssessmentKind.choices, error_messages=REQUIRED)
    period = forms.CharField(
        label="考核期间",
        max_length=7,
        help_text="月度考核填“2026-11”，季度考核填“2026-Q4”",
        error_messages={"required": "请填写考核期间"},
    )
    note = forms.CharField(
        label="考核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _subject_choices(subjects)
        for code, label, maximum in rules.ASSESSMENT_ITEMS.value:
            self.fields[f"item_{code}"] = forms.IntegerField(
                label=f"{label}（满分{maximum}分）",
                min_value=0,
                max_value=maximum,
                error_messages={
                    "required": f"请为“{label}”评分",
                    "invalid": "请输入整数",
                    "min_value": "得分不能为负数",
                    "max_value": f"得分不能超过{maximum}分",
                },
            )
            self.fields[f"item_{code}"].widget.attrs["class"] = "form-control"
        if not self.is_bound:
            self.initial.setdefault("period", timezone.localdate().strftime("%Y-%m"))

    def items(self) -> list[dict]:
        return [
            {"code": code, "points": self.cleaned_data[f"item_{code}"]}
            for code, _, _ in rules.ASSESSMENT_ITEMS.value
        ]


class SanctionForm(StyledForm):
    subject = forms.TypedChoiceField(
        label="社区矫正对象", coerce=int, error_messages={"required": "请选择社区矫正对象"}
    )
    kind = forms.ChoiceField(
        label="奖惩种类",
        choices=[("", "请选择")] + SanctionKind.choices,
        error_messages={"required": "请选择奖惩种类"},
    )
    facts = forms.CharField(
        label="事实和理由",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写事实和理由"},
    )
    evidence = forms.CharField(
        label="证据材料",
        required=False,
        max_length=5000,
        help_text="提出撤销缓刑、假释或收监执行建议时必须提供（《社区矫正法》第四十六条第三款）",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_basis = forms.CharField(
        label="法律依据", required=False, max_length=500, help_text="不填时按奖惩种类自动填写所依据的条款"
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _subject_choices(subjects)


class ApprovalRequestStaffForm(StyledForm):
    """代为提交申请 (e.g. the subject came to the 司法所 without a phone)."""

    subject = forms.TypedChoiceField(
        label="社区矫正对象", coerce=int, error_messages={"required": "请选择社区矫正对象"}
    )
    kind = forms.ChoiceField(
        label="申请事项", choices=ApprovalKind.choices, error_messages={"required": "请选择申请事项"}
    )
    destination = forms.CharField(
        label="目的地（新居住地、场所或人员）", max_length=200, error_messages={"required": "请填写目的地"}
    )
    reason = forms.CharField(
        label="事由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申请事由"},
    )
    starts_on = forms.DateField(
        label="开始日期",
        widget=DATE,
        error_messages={"required": "请填写开始日期", "invalid": "日期格式不正确"},
    )
    ends_on = forms.DateField(
        label="结束日期",
        widget=DATE,
        error_messages={"required": "请填写结束日期", "invalid": "日期格式不正确"},
    )

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _subject_choices(subjects)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data
