"""Page forms of 政府信息公开申请 (the API validates with schemas; both end in the same services)."""

from django import forms

from smartjustice.core.forms import StyledForm

from .choices import DeliveryMethod
from .queries import handling_organisations, handling_organisations_by_city


class ApplyForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label="受理机关",
        queryset=handling_organisations(),
        empty_label="请选择司法局或司法厅",
        # Grouped by city; static/js/app.js adds a text box that narrows the list (about 145 offices).
        widget=forms.Select(attrs={"data-choice-filter": "输入地市、区县或机关名称筛选"}),
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或特征描述",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    purpose = forms.CharField(
        label="用途（选填）",
        max_length=500,
        required=False,
        widget=forms.TextInput(),
    )
    delivery_method = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryMethod.choices,
        widget=forms.Select(),
    )
    address = forms.CharField(
        label="通讯地址（选择邮寄时必填）",
        max_length=300,
        required=False,
        widget=forms.TextInput(),
    )
    email = forms.EmailField(
        label="电子邮箱（选择电子邮件时必填）",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确，如 name@example.com"},
        widget=forms.EmailInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = handling_organisations()
        field.choices = [("", field.empty_label)] + [
            (city, [(office.pk, office.name) for office in offices])
            for city, offices in handling_organisations_by_city()
        ]
