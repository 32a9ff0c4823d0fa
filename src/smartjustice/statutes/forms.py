"""Forms of the statute library pages."""

from django import forms

from smartjustice.core.forms import BLANK, FilterForm, StyledForm

from .choices import LawStatus


class LawFilterForm(FilterForm):
    q = forms.CharField(
        label="名称",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "法律法规名称", "type": "search"}),
    )
    department = forms.ChoiceField(label="法律部门", required=False)
    status = forms.ChoiceField(label="时效性", required=False, choices=BLANK + LawStatus.choices)
    doc_type = forms.ChoiceField(label="类型", required=False)

    def __init__(self, *args, facets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = BLANK + [(v, f"{v}（{n}）") for v, n in facets["department"]]
        self.fields["doc_type"].choices = BLANK + [(v, f"{v}（{n}）") for v, n in facets["doc_type"]]


class SearchForm(FilterForm):
    q = forms.CharField(
        label="检索词",
        required=False,
        max_length=100,
        error_messages={"max_length": "检索词不能超过 100 个字，请精简后再检索"},
        widget=forms.TextInput(attrs={"placeholder": "如：调解、违法所得", "type": "search"}),
    )
    status = forms.ChoiceField(label="时效性", required=False, choices=BLANK + LawStatus.choices)


class CitationCheckForm(StyledForm):
    text = forms.CharField(
        label="待核验的文本",
        max_length=50000,
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "如：依据《行政处罚法》第三十六条、《消保法》第55条……"}
        ),
    )


class AcknowledgeAlertForm(StyledForm):
    note = forms.CharField(
        label="处理说明",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "如：已核对修改后的条文，规则无需调整"}),
    )
