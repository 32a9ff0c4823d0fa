"""Page forms of 行政执法: they parse, the services decide."""

from __future__ import annotations

import re

from django import forms

from smartjustice.core.choices import EnforcementDomain, WorkDomain
from smartjustice.core.forms import BLANK, FilterForm, StyledForm
from smartjustice.statutes.numerals import NUMERAL, parse_numeral

from .choices import DiscretionGrade, ExemptionList, ImplementingLevel, ItemStatus, ItemType
from .extraction import SanctionKind
from .officers import CERTIFICATE_STATES

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
    level = forms.ChoiceField(label="行使层级", required=False, choices=BLANK + ImplementingLevel.choices)


class ItemManageFilterForm(ItemFilterForm):
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + ItemStatus.choices)


class ItemForm(StyledForm):
    code = forms.CharField(
        label="事项编码",
        max_length=64,
        required=False,
        help_text="可不填：保存时按“类型-区划-领域-序号”生成，如 CF-440106-SC-0001（CF 行政处罚、XK 行政许可、QZ 行政强制、JC 行政检查 …）",
    )
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
        help_text="仅行政处罚事项填写。每行一项：种类|下限|上限|倍数基数|倍数下限|倍数上限，如 罚款|5000|50000 或 罚款|||违法所得|1|5",
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


class ProposalSearchForm(FilterForm):
    """Which law's penalty provisions to propose items from (the proposal page)."""

    law = forms.CharField(
        label="法律法规",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如 消费者权益保护法"}),
    )


class ProposalAcceptForm(StyledForm):
    """The accepted proposals: article numbers, and for each its sanctions as corrected (种类|下限|上限|…)."""

    law = forms.CharField(max_length=300, widget=forms.HiddenInput)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + WorkDomain.choices)
    articles = forms.MultipleChoiceField(
        label="采纳的条款", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, rows=(), **kwargs):
        super().__init__(data, **kwargs)
        self.rows = list(rows)
        self.fields["articles"].choices = [
            (row["source"], row["source"]) for row in self.rows if not row["existing_id"]
        ]
        self.fields["articles"].error_messages["invalid_choice"] = "所选条款不在建议之中"

    def clean(self):
        data = super().clean()
        if "articles" in data and not data["articles"]:
            raise forms.ValidationError("请至少选择一条要采纳的建议")
        corrections, errors = {}, []
        ids = {row["source"]: row["id"] for row in self.rows}
        for source in data.get("articles") or ():
            text = (self.data.get(f"sanctions-{ids[source]}") or "").strip()
            if not text:
                errors.append(f"{source}：请填写处罚种类与幅度，或不要勾选")
                continue
            parsed, problems = parse_sanctions(text)
            errors += [f"{source}：{problem}" for problem in problems]
            corrections[source] = parsed
        if errors:
            raise forms.ValidationError(errors)
        data["corrections"] = corrections
        return data


def proposal_sanctions_text(row: dict) -> str:
    """A proposal's sanctions in the editable one-a-line form (as sanctions_text for a stored item)."""

    def show(value) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    lines = []
    for s in row["sanctions"]:
        parts = [s["kind"], show(s["lower"]), show(s["upper"]), s["multiple_of"]]
        parts += [show(s["multiple_lower"]), show(s["multiple_upper"])]
        lines.append("|".join(parts).rstrip("|"))
    return "\n".join(lines)


# --- officers (行政执法人员) -------------------------------------------------------------------------------------------


class OfficerFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、账号或执法证号"}),
    )
    agency_id = forms.TypedChoiceField(label="执法主体", required=False, coerce=int, empty_value=None)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)
    certificate = forms.ChoiceField(
        label="执法证状态", required=False, choices=BLANK + list(CERTIFICATE_STATES.items())
    )
    jurisdiction = forms.RegexField(label="区划代码", required=False, regex=r"^\d{12}$", max_length=12)

    def __init__(self, data=None, *, agencies=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency_id"].choices = BLANK + [(pk, name) for pk, name in agencies]


class OfficerRegisterForm(StyledForm):
    """登记执法人员: a staff member of the user's agency, the domains and the area they enforce in."""

    user_id = forms.TypedChoiceField(label="工作人员", coerce=int)
    domains = forms.MultipleChoiceField(label="执法领域", widget=forms.CheckboxSelectMultiple)
    jurisdiction = forms.RegexField(
        label="执法区域（区划代码）",
        required=False,
        regex=r"^\d{12}$",
        max_length=12,
        help_text="12位区划代码；不填为执法主体所在区划",
        error_messages={"invalid": "区划代码应为12位数字"},
    )

    def __init__(self, data=None, *, staff=(), domains=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["user_id"].choices = [("", "请选择")] + [(u.pk, u.display_name) for u in staff]
        self.fields["domains"].choices = [(d, EnforcementDomain(d).label) for d in domains]


class CertificateIssueForm(StyledForm):
    valid_until = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="可不填：按证照类型的默认有效期",
    )


class TrainingForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    hours = forms.IntegerField(label="培训学时", min_value=0, max_value=2000)
