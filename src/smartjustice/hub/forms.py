"""Page forms of 共享协同平台 (the API validates with schemas; both end in the same services in services/consumers.py).

The forms only parse: whether a subscription's terms are allowed (purpose, legal basis for clear text, push needs a
push URL …) is decided by the service, and its errors land on the fields they name through core.forms.submit.
"""

from __future__ import annotations

from django import forms

from smartjustice.core.errors import ValidationFailed
from smartjustice.core.forms import BLANK, FilterForm, StyledForm, jurisdiction_choices

from . import queries
from .choices import ConsumerKind, DeliveryMode, Masking
from .models import Consumer, Dataset, Subscription

CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class ConsumerFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "名称或接入代码", "type": "search"}),
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=BLANK + ConsumerKind.choices)
    is_active = forms.TypedChoiceField(
        label="状态",
        required=False,
        empty_value=None,
        coerce=lambda v: v == "1",
        choices=BLANK + [("1", "启用"), ("0", "停用")],
    )


class ConsumerForm(StyledForm):
    """Register a consumer (all fields) or edit one (name, push URL, contact: code, kind and place stay)."""

    code = forms.RegexField(
        label="接入代码",
        regex=CODE_PATTERN,
        min_length=2,
        max_length=64,
        help_text="小写字母、数字、- 或 _，登记后不能修改，例如 gd-bigdata",
        error_messages={"invalid": "接入代码只能包含小写字母、数字、- 和 _，且以字母或数字开头"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择")] + ConsumerKind.choices)
    jurisdiction_code = forms.ChoiceField(label="所属区划", help_text="只能在本辖区内登记")
    push_url = forms.CharField(
        label="推送地址",
        required=False,
        max_length=500,
        help_text="留空则只能拉取；推送请求带 HMAC 签名和 Idempotency-Key",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocapitalize": "none"}),
    )
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)

    def __init__(self, *args, user, consumer: Consumer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if consumer is not None:
            for name in ("code", "kind", "jurisdiction_code"):
                del self.fields[name]
        else:
            self.fields["jurisdiction_code"].choices = [("", "请选择")] + jurisdiction_choices(user)

    def clean_jurisdiction_code(self):
        code = self.cleaned_data["jurisdiction_code"]
        try:
            return queries.jurisdiction_for_new_consumer(self.user, code)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if "jurisdiction_code" in data:
            data["jurisdiction"] = data.pop("jurisdiction_code")
        return data


class DatasetChoiceForm(StyledForm):
    """Step one of a new subscription: which catalogue entry (the rest of the form depends on its fields)."""

    dataset = forms.ModelChoiceField(
        label="数据集", queryset=Dataset.objects.none(), empty_label="请选择数据集"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = queries.subscribable_datasets(user)
        self.fields["dataset"].label_from_instance = lambda d: (
            f"{d.name}（{d.code}，{d.get_sharing_class_display()}）"
        )


class SubscriptionForm(StyledForm):
    """A subscription's terms for one dataset: fields, a masking rule per personal field, purpose, basis, mode."""

    purpose = forms.CharField(
        label="使用目的",
        max_length=300,
        help_text="每一位数据被提供的当事人都能在“我的数据共享记录”中看到",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    legal_basis = forms.CharField(
        label="法定依据或共享协议",
        max_length=300,
        required=False,
        help_text="有条件共享的数据、提供明文个人信息时必填，例如《中华人民共和国法律援助法》第四十一条",
    )
    mode = forms.ChoiceField(label="投递方式", choices=DeliveryMode.choices, widget=forms.RadioSelect)
    jurisdiction_codes = forms.MultipleChoiceField(
        label="订阅区划",
        required=False,
        help_text="不选则为您所在辖区的全部区划（省级即全省）；可按住 Ctrl 多选",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    fields = forms.MultipleChoiceField(
        label="订阅字段", required=False, help_text="不选则为全部字段", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, consumer: Consumer, dataset: Dataset, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.consumer = consumer
        properties = dataset.schema.get("properties") or {}
        self.titles = {name: (spec or {}).get("title", name) for name, spec in properties.items()}
        self.fields["fields"].choices = list(self.titles.items())
        self.fields["jurisdiction_codes"].choices = jurisdiction_choices(user)
        if not consumer.push_url:
            self.fields["mode"].initial = DeliveryMode.PULL
            self.fields["mode"].help_text = "该使用方未登记推送地址，只能拉取"
        else:
            self.fields["mode"].initial = DeliveryMode.PUSH
        for name in dataset.personal_fields:
            self.fields[self.masking_field(name)] = forms.ChoiceField(
                label=f"“{self.titles.get(name, name)}”的处理方式",
                choices=Masking.choices,
                initial=Masking.MASK,
            )
            self._style(self.masking_field(name))

    def _style(self, name: str) -> None:
        # A field added after StyledForm.__init__ gets what StyledForm gives every select.
        field = self.fields[name]
        field.widget.attrs["class"] = "form-select"
        if field.help_text:
            field.widget.attrs["aria-describedby"] = self._hint_id(name)

    @staticmethod
    def masking_field(name: str) -> str:
        return f"masking_{name}"

    @classmethod
    def initial_for(cls, subscription: Subscription) -> dict:
        initial = {
            "purpose": subscription.purpose,
            "legal_basis": subscription.legal_basis,
            "mode": subscription.mode,
            "jurisdiction_codes": subscription.jurisdiction_codes,
            "fields": subscription.fields,
        }
        for name in subscription.dataset.personal_fields:
            initial[cls.masking_field(name)] = subscription.masking.get(name, Masking.MASK)
        return initial

    def masking_fields(self):
        return [self[self.masking_field(name)] for name in self.dataset.personal_fields]

    def plain_fields(self):
        return [field for field in self if not field.name.startswith("masking_")]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "legal_basis": data["legal_basis"],
            "mode": data["mode"],
            "jurisdiction_codes": list(data["jurisdiction_codes"]),
            "fields": list(data["fields"]),
            "masking": {name: data[self.masking_field(name)] for name in self.dataset.personal_fields},
        }

    def add_domain_error(self, exc):
        # The service names masking problems "masking.<field>": put them on that field's select.
        fields = {}
        for name, messages in (exc.fields or {}).items():
            if name.startswith("masking."):
                name = self.masking_field(name.removeprefix("masking."))
            fields[name] = messages
        exc.fields = fields
        super().add_domain_error(exc)
