"""Page forms of 法宝宝 and the FAQ: they parse, the services decide."""

from __future__ import annotations

import re

from django import forms

from smartjustice.core.citations import Citation
from smartjustice.core.forms import BLANK, FilterForm, StyledForm
from smartjustice.statutes.numerals import NUMERAL, parse_numeral

from . import next_steps
from .choices import FaqStatus, Scenario
from .services import QUESTION_MAX_CHARS

_CITATION_LINE = re.compile(rf"^《?(?P<law>[^《》\s\d]+?)》?\s*(?:第(?P<cn>{NUMERAL})条|(?P<num>\d+))$")


class AskForm(StyledForm):
    question = forms.CharField(
        label="您的问题",
        required=False,  # the service answers an empty question with its own Chinese message
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "maxlength": QUESTION_MAX_CHARS,
                "placeholder": "用自己的话描述遇到的问题，例如：公司拖欠工资三个月不发怎么办？",
                "enterkeyhint": "send",
            }
        ),
    )


class FaqFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "输入关键词，如 离婚、欠薪、押金"}),
    )
    scenario = forms.ChoiceField(label="场景", required=False, choices=BLANK + Scenario.choices)


class FaqManageFilterForm(FaqFilterForm):
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + FaqStatus.choices)


def parse_citations(text: str) -> tuple[list[dict], list[str]]:
    """One citation a line: 《中华人民共和国劳动合同法》第八十二条, 劳动合同法 第82条 or 劳动合同法 82."""
    out, errors = [], []
    for raw in text.splitlines():
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        match = _CITATION_LINE.match(line)
        number = None
        if match:
            try:
                number = int(match["num"]) if match["num"] else parse_numeral(match["cn"])
            except ValueError:
                number = None
        if number is None:
            errors.append(f"无法识别：{line}（格式如：中华人民共和国劳动合同法 第八十二条）")
            continue
        out.append({"law": match["law"], "article": number})
    return out, errors


def citations_text(citations: list[dict]) -> str:
    return "\n".join(str(Citation(c["law"], c["article"])) for c in citations or [])


class FaqEntryForm(StyledForm):
    scenario = forms.ChoiceField(label="场景分类", choices=[("", "请选择")] + Scenario.choices)
    question = forms.CharField(label="问题", max_length=200)
    answer = forms.CharField(label="解答", widget=forms.Textarea(attrs={"rows": 6}), help_text="通俗、可操作")
    lawyer_opinion = forms.CharField(
        label="律师意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    citations = forms.CharField(
        label="引用法条",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条，如：中华人民共和国劳动合同法 第八十二条。保存时逐条核对法规库，失效或不存在的法条不能引用。",
    )
    services = forms.MultipleChoiceField(
        label="推荐服务", required=False, widget=forms.CheckboxSelectMultiple
    )
    keywords = forms.CharField(label="关键词", required=False, help_text="以逗号或空格分隔")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [
            (c, next_steps.service_label(c)) for c in next_steps.service_codes()
        ]

    @classmethod
    def initial_for(cls, entry) -> dict:
        return {
            "scenario": entry.scenario,
            "question": entry.question,
            "answer": entry.answer,
            "lawyer_opinion": entry.lawyer_opinion,
            "citations": citations_text(entry.citations),
            "services": entry.services,
            "keywords": "，".join(entry.keywords),
        }

    def clean_citations(self):
        citations, errors = parse_citations(self.cleaned_data["citations"])
        if errors:
            raise forms.ValidationError(errors)
        return citations

    def clean_keywords(self):
        return [k for k in re.split(r"[,，、;；\s]+", self.cleaned_data["keywords"]) if k]
