"""Page forms of case handling (办案): the list's filters, the lead registration, evidence, payments and documents.
They only parse; enforcement.cases decides (its errors land on the fields through core.forms.submit)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.forms import BLANK, FilterForm, StyledForm

from .choices import CaseSource, CaseStatus, DiscretionGrade, EvidenceKind, PartyKind, PaymentKind, Procedure
from .extraction import SanctionKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "案件编号、案由、当事人或决定书文号"}),
    )
    status = forms.ChoiceField(label="办理阶段", required=False, choices=BLANK + CaseStatus.choices)
    procedure = forms.ChoiceField(label="程序", required=False, choices=BLANK + Procedure.choices)
    domain = forms.ChoiceField(label="执法领域", required=False, choices=BLANK + EnforcementDomain.choices)
    overdue = forms.TypedChoiceField(
        label="期限",
        required=False,
        choices=BLANK + [("1", "已超期"), ("0", "未超期")],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    agency = forms.TypedChoiceField(label="执法主体", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        if len(agencies) > 1:  # supervisors choose among the agencies they oversee
            self.fields["agency"].choices = BLANK + [(a.pk, a.name) for a in agencies]
        else:
            del self.fields["agency"]

    def values(self) -> dict:
        return {"agency": None, **super().values()}


class PartyFilterForm(FilterForm):
    q = forms.CharField(
        label="查找当事人",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、名称或完整的证件号码"}),
    )


class RegisterCaseForm(StyledForm):
    """登记案件线索: choose a registered party (by id from the lookup) or enter a new one."""

    party_id = forms.IntegerField(
        label="已登记的当事人",
        required=False,
        min_value=1,
        widget=forms.HiddenInput(),
    )
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices, required=False)
    party_name = forms.CharField(label="当事人姓名或名称", max_length=200, required=False)
    party_id_number = forms.CharField(
        label="证件号码",
        max_length=32,
        required=False,
        help_text="公民填居民身份证号码，组织填统一社会信用代码",
    )
    party_legal_representative = forms.CharField(label="法定代表人（负责人）", max_length=100, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    party_address = forms.CharField(label="住所（地址）", max_length=300, required=False)
    cause = forms.CharField(label="案由", max_length=300)
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices, initial=CaseSource.LEAD)
    domain = forms.ChoiceField(label="执法领域", choices=EnforcementDomain.choices, required=False)
    facts = forms.CharField(
        label="简要案情", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    location = forms.CharField(label="违法地点", max_length=300, required=False)
    occurred_on = forms.DateField(label="违法行为发生日期", required=False, widget=DATE)
    discovered_on = forms.DateField(label="发现日期", widget=DATE, initial=timezone.localdate)

    def clean(self):
        data = super().clean()
        if not data.get("party_id") and not (data.get("party_name") and data.get("party_id_number")):
            self.add_error("party_name", "请选择已登记的当事人，或填写新当事人的姓名（名称）和证件号码")
        return data

    def new_party(self) -> dict | None:
        data = self.cleaned_data
        if data.get("party_id"):
            return None
        return {
            "kind": data.get("party_kind") or PartyKind.PERSON,
            "name": data["party_name"],
            "id_number": data["party_id_number"],
            "legal_representative": data.get("party_legal_representative", ""),
            "phone": data.get("party_phone", ""),
            "address": data.get("party_address", ""),
        }

    def case_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "cause": data["cause"],
            "source": data["source"],
            "facts": data.get("facts", ""),
            "location": data.get("location", ""),
            "occurred_on": data.get("occurred_on"),
            "discovered_on": data["discovered_on"],
        }


class EvidenceForm(StyledForm):
    kind = forms.ChoiceField(label="证据类型", choices=EvidenceKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    content = forms.CharField(
        label="笔录内容", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label="文件（照片、音视频、书证扫描件）", required=False)


class PaymentForm(StyledForm):
    amount = forms.DecimalField(label="缴款金额（元）", min_value=0.01, max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label="缴款日期", required=False, widget=DATE)
    receipt_number = forms.CharField(label="缴款凭证号", max_length=64, required=False)
    kind = forms.ChoiceField(label="款项", choices=PaymentKind.choices, initial=PaymentKind.FINE)


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label="文书种类", choices=())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


class PenaltyForm(StyledForm):
    """拟定处罚: the kinds and amounts (checked against the item's statutory range by the service)."""

    fine_amount = forms.DecimalField(
        label="罚款金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    confiscated_amount = forms.DecimalField(
        label="没收违法所得（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    other_sanctions = forms.MultipleChoiceField(
        label="其他处罚种类",
        required=False,
        choices=[
            (k.value, k.value)
            for k in SanctionKind
            if k not in (SanctionKind.FINE, SanctionKind.CONFISCATE_GAINS)
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    discretion_grade = forms.ChoiceField(
        label="裁量阶次", required=False, choices=[("", "—"), *DiscretionGrade.choices]
    )
    legal_basis = forms.CharField(label="处罚依据", max_length=500, required=False)
    grave = forms.BooleanField(label="情节复杂或重大违法（须集体讨论）", required=False)


class StatementForm(StyledForm):
    statement = forms.CharField(
        label="陈述、申辩意见", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    waived = forms.BooleanField(label="当事人明确放弃陈述、申辩", required=False)


class HearingRecordForm(StyledForm):
    record = forms.CharField(label="听证笔录摘要", max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
