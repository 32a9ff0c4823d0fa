"""Forms of the 执法监督 pages (filters, 督办, 核销, 抽样, 评分); the services validate again."""

from __future__ import annotations

from django import forms

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.forms import FilterForm, StyledForm

from .choices import FlagRule, FlagStatus, OrderStatus, ReviewStatus

BLANK = [("", "全部")]


class FlagFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "案件编号、案由或执法主体", "type": "search"}),
    )
    rule = forms.ChoiceField(label="监督规则", required=False, choices=BLANK + FlagRule.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + FlagStatus.choices)
    region = forms.ChoiceField(label="区划", required=False)
    agency = forms.TypedChoiceField(label="执法主体", required=False, coerce=int, empty_value=None)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)

    def __init__(self, *args, regions=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = BLANK + [(j.code, j.name) for j in regions]
        self.fields["agency"].choices = BLANK + [(a.pk, a.name) for a in agencies]

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "status") or (
            self.data.get("status", FlagStatus.OPEN) != FlagStatus.OPEN
        )


class OrderFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "督办编号、案件编号或案由", "type": "search"}),
    )
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + OrderStatus.choices)
    overdue = forms.ChoiceField(
        label="期限", required=False, choices=BLANK + [("1", "已超过整改期限"), ("0", "未超期")]
    )
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)


class ReviewFilterForm(FilterForm):
    batch = forms.ChoiceField(label="评查批次", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ReviewStatus.choices)

    def __init__(self, *args, batches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = BLANK + [(b, b) for b in batches]


class OrderForm(StyledForm):
    requirement = forms.CharField(
        label="督办事项和整改要求", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline_on = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))


class DismissForm(StyledForm):
    reason = forms.CharField(label="核销理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SampleForm(StyledForm):
    batch = forms.CharField(
        label="评查批次", max_length=64, widget=forms.TextInput(attrs={"placeholder": "如：2026年第四季度"})
    )
    size = forms.IntegerField(label="抽取数量", min_value=1, max_value=200, initial=10)
    seed = forms.CharField(
        label="抽样种子（选填）",
        max_length=64,
        required=False,
        help_text="不填时以批次名称为种子；同一种子抽取结果相同，可复核",
    )


def score_form(checklist: dict, data=None, initial_scores=None, initial_notes=None):
    """A form with one score and one note per checklist item (full marks by default)."""
    fields = {}
    for item in checklist["items"]:
        code = item["code"]
        fields[f"score_{code}"] = forms.DecimalField(
            label=f"{item['title']}（满分 {item['weight']}）",
            min_value=0,
            max_value=item["weight"],
            decimal_places=2,
            initial=(initial_scores or {}).get(code, item["weight"]),
            help_text=item.get("guide", ""),
        )
        fields[f"note_{code}"] = forms.CharField(
            label="扣分说明", required=False, max_length=500, initial=(initial_notes or {}).get(code, "")
        )
    return type("ScoreForm", (StyledForm,), fields)(data)
