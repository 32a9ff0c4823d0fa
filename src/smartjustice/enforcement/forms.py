"""Page forms of 行政执法: they parse, the services decide."""

from __future__ import annotations

import re

from django import forms

from smartjustice.core.choices import WorkDomain
from smartjustice.core.forms import BLANK, FilterForm, StyledForm
from smartjustice.statutes.numerals import NUMERAL, parse_numeral

from .choices import DiscretionGrade, ExemptionList, ImplementingLevel, ItemStatus, ItemType
from .extraction import SanctionKind

# --- power list (权责清单) ---------------------------------------------------------------------------------------------

_BASIS_LINE = re.compile(
    rf"^《?(?P<law>[^《》\s\d]+?)》?\s*(?:第(?P<cn>{NUMERAL})条|(?P<num>\d+))\s*(?:第(?P<para>{NUMERAL}|\d+)款)?$"
)


def _number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text) if text.isdigit() else parse_numeral(text)
    except ValueError:
        return None


def parse_bases(text: str) -> tuple[list[dict], list[str]]:
    """One article a line: 《中华人民共和国行政处罚法》第三十三条第一款, 行政处罚法 第33条 or 行政处罚法 33."""
    out, errors = [], []
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        match = _BASIS_LINE.match(line)
        number = _number(match["num"] or match["cn"]) if match else None
        if number is None:
            errors.append(f"无法识别：{line}（格式如：中华人民共和国行政处罚法 第三十三条第一款）")
            continue
        out.append({"law": match["law"], "article": number, "paragraph": _number(match["para"])})
    return out, errors


def _amount(text: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    return float(text) if "." in text else int(text)


def parse_sanctions(text: str) -> tuple[list[dict], list[str]]:
    """One sanction a line: 种类|下限|上限|倍数基数|倍数下限|倍数上限, e.g. 罚款|5000|50000 or 罚款|||违法所得|1|5."""
    out, errors = [], []
    kinds = {kind.value for kind in SanctionKind}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")] + [""] * 6
        try:
            lower, upper, m_lower, m_upper = (_amount(parts[i]) for i in (1, 2, 4, 5))
        except ValueError:
            errors.append(f"金额或倍数应为数字：{line}")
            continue
        if parts[0] not in kinds:
            errors.append(f"处罚种类无效：{parts[0]}（可选：{'、'.join(sorted(kinds))}）")
            continue
        out.append(
            {
                "kind": parts[0],
                "lower": None if lower is None else int(lower),
                "upper": None if upper is None else int(upper),
                "multiple_of": parts[3],
                "multiple_lower": m_lower,
                "multiple_upper": m_upper,
            }
        )
    return out, errors


def sanctions_text(item) -> str:
    def show(value) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    rows = []
    for s in item.sanctions.all():
        parts = [
            s.kind,
            show(s.lower),
            show(s.upper),
            s.multiple_of,
            show(s.multiple_lower),
            show(s.multiple_upper),
        ]
        rows.append("|".join(parts).rstrip("|"))
    return "\n".join(rows)


class ItemFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "事项名称、编码或依据法规"}),
    )
    item_type = forms.ChoiceField(label="事项类型", required=False, choices=BLANK + ItemType.choices)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + WorkDomain.choices)


class ItemManageFilterForm(ItemFilterForm):
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ItemStatus.choices)


class ItemForm(StyledForm):
    code = forms.CharField(label="事项编码", max_length=64)
    name = forms.CharField(label="事项名称", max_length=300)
    item_type = forms.ChoiceField(label="事项类型", choices=[("", "请选择")] + ItemType.choices)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + WorkDomain.choices)
    levels = forms.MultipleChoiceField(
        label="行使层级",
        required=False,
        choices=ImplementingLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    bases = forms.CharField(
        label="执法依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条，如：中华人民共和国行政处罚法 第三十三条第一款。保存时逐条核对法规库。",
    )
    sanctions = forms.CharField(
        label="处罚种类与幅度",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项：种类|下限|上限|倍数基数|倍数下限|倍数上限，如 罚款|5000|50000 或 罚款|||违法所得|1|5",
    )

    @classmethod
    def initial_for(cls, item) -> dict:
        return {
            "code": item.code,
            "name": item.name,
            "item_type": item.item_type,
            "domain": item.domain,
            "levels": item.levels,
            "description": item.description,
            "bases": "\n".join(str(b) for b in item.bases.all()),
            "sanctions": sanctions_text(item),
        }

    def clean_bases(self):
        bases, errors = parse_bases(self.cleaned_data["bases"])
        if errors:
            raise forms.ValidationError(errors)
        return bases

    def clean_sanctions(self):
        sanctions, errors = parse_sanctions(self.cleaned_data["sanctions"])
        if errors:
            raise forms.ValidationError(errors)
        return sanctions


class BenchmarkForm(StyledForm):
    circumstance = forms.CharField(label="违法情节", max_length=500)
    grade = forms.ChoiceField(label="裁量阶次", choices=DiscretionGrade.choices)
    fine_lower = forms.IntegerField(label="罚款下限（元）", required=False, min_value=0)
    fine_upper = forms.IntegerField(label="罚款上限（元）", required=False, min_value=0)
    exemption_list = forms.ChoiceField(label="不罚清单", required=False, choices=ExemptionList.choices)
    other_sanctions = forms.CharField(label="其他处罚", required=False, max_length=300)
