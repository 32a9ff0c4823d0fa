"""Page forms of 政府信息公开申请 (the API validates with schemas; both end in the same services)."""

from django import forms

from .choices import DeliveryMethod, ReplyType
from .queries import handling_organisations


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="受理机关",
        queryset=handling_organisations(),
        empty_label="请选择司法局或司法厅",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    description = forms.CharField(
        label="所需政府信息的名称、文号或特征描述",
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )
    purpose = forms.CharField(
        label="用途（选填）",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    delivery_method = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryMethod.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    address = forms.CharField(
        label="通讯地址（选择邮寄时必填）",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = handling_organisations()


class AnswerForm(forms.Form):
    reply_type = forms.ChoiceField(
        label="答复类型", choices=ReplyType.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    reply_text = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"class": "form-control", "rows": 5})
    )
