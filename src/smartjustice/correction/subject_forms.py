"""Page forms of subjects, transfers and archives: they only parse; correction.subjects decides (its errors land on
the fields through core.forms.submit)."""

from __future__ import annotations

from django import forms

from smartjustice.core.forms import BLANK, FilterForm, StyledForm

from .choices import (
    ContactRelation,
    CorrectionCategory,
    Employment,
    FamilySituation,
    Gender,
    GroupRole,
    OffenceType,
    SubjectStatus,
    SupervisionLevel,
)
from .models import ArchiveKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubjectFilterForm(FilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "姓名、矫正编号或完整身份证号码"}),
    )
    status = forms.ChoiceField(label="状态", required=False, choices=BLANK + SubjectStatus.choices)
    category = forms.ChoiceField(label="矫正类别", required=False, choices=BLANK + CorrectionCategory.choices)
    level = forms.ChoiceField(label="管理等级", required=False, choices=BLANK + SupervisionLevel.choices)
    ending_within = forms.TypedChoiceField(
        label="期满",
        required=False,
        choices=BLANK + [("30", "30日内期满"), ("90", "90日内期满")],
        coerce=int,
        empty_value=None,
    )
    is_minor = forms.TypedChoiceField(
        label="未成年人",
        required=False,
        choices=BLANK + [("1", "未成年人"), ("0", "成年人")],
        coerce=lambda v: v == "1",
        empty_value=None,
    )


def _organisation_choices(organisations) -> list:
    return [("", "（默认）")] + [(o.pk, o.name) for o in organisations]


class IntakeForm(StyledForm):
    """入矫登记."""

    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(
        label="居民身份证号码", max_length=32, help_text="性别和出生日期按身份证号码登记"
    )
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    address = forms.CharField(label="居住地", max_length=300, required=False)
    category = forms.ChoiceField(label="矫正类别", choices=CorrectionCategory.choices)
    offence = forms.CharField(label="罪名", max_length=100)
    offence_type = forms.ChoiceField(label="犯罪类型", choices=OffenceType.choices, initial=OffenceType.OTHER)
    sentence = forms.CharField(label="原判刑罚", max_length=200, required=False)
    judgment_number = forms.CharField(label="判决书（裁定书、决定书）文号", max_length=100)
    deciding_authority = forms.CharField(label="社区矫正决定机关", max_length=100)
    judgment_effective_on = forms.DateField(label="判决（裁定、决定）生效日期", widget=DATE)
    starts_on = forms.DateField(label="矫正起始日期", widget=DATE)
    ends_on = forms.DateField(label="矫正期满日期", widget=DATE)
    intake_on = forms.DateField(label="报到（接收）日期", widget=DATE, required=False, help_text="留空为今天")
    prohibitions = forms.CharField(
        label="禁止令内容", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    agency = forms.TypedChoiceField(label="社区矫正机构", required=False, coerce=int, empty_value=None)
    station = forms.TypedChoiceField(label="受委托司法所", required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label="管理等级", choices=SupervisionLevel.choices, initial=SupervisionLevel.ORDINARY
    )
    employment = forms.ChoiceField(label="就业就学情况", choices=Employment.choices)
    family_situation = forms.ChoiceField(label="家庭情况", choices=FamilySituation.choices)

    def __init__(self, *args, agencies=(), stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _organisation_choices(agencies)
        self.fields["station"].choices = _organisation_choices(stations)


class ContactForm(StyledForm):
    relation = forms.ChoiceField(label="关系", choices=ContactRelation.choices)
    name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    address = forms.CharField(label="住址", max_length=300, required=False)
    is_guardian = forms.BooleanField(label="监护人", required=False)


class GroupMemberForm(StyledForm):
    role = forms.ChoiceField(label="身份", choices=GroupRole.choices)
    name = forms.CharField(label="姓名", max_length=64)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    knows_minors = forms.BooleanField(label="熟悉未成年人身心特点", required=False)


class SubjectUpdateForm(StyledForm):
    """修改信息: what may change during the term."""

    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    address = forms.CharField(label="居住地", max_length=300, required=False)
    level = forms.ChoiceField(label="管理等级", choices=SupervisionLevel.choices)
    employment = forms.ChoiceField(label="就业就学情况", choices=Employment.choices)
    family_situation = forms.ChoiceField(label="家庭情况", choices=FamilySituation.choices)


class PlanForm(StyledForm):
    plan = forms.CharField(label="矫正方案", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AccountForm(StyledForm):
    username = forms.CharField(label="粤矫通账号（用户名）", max_length=150)


class ReleaseForm(StyledForm):
    reason = forms.ChoiceField(label="解矫情形", choices=[("expired", "矫正期满"), ("pardoned", "被赦免")])
    released_on = forms.DateField(label="解矫日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)


class TerminateForm(StyledForm):
    reason = forms.ChoiceField(
        label="终止情形",
        choices=[
            ("probation_revoked", "撤销缓刑"),
            ("parole_revoked", "撤销假释"),
            ("committed", "收监执行"),
            ("deceased", "死亡"),
        ],
    )
    terminated_on = forms.DateField(label="终止日期", widget=DATE, required=False)
    note = forms.CharField(label="说明（裁定书、决定书文号等）", max_length=500, required=False)


class TransferForm(StyledForm):
    to_agency = forms.TypedChoiceField(label="变更后的社区矫正机构", coerce=int)
    new_address = forms.CharField(label="新居住地", max_length=300)
    reason = forms.CharField(label="变更理由", max_length=500)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [("", "请选择")] + [(a.pk, a.name) for a in agencies]


class TransferFilterForm(FilterForm):
    direction = forms.ChoiceField(
        label="方向", required=False, choices=BLANK + [("in", "转入本地"), ("out", "本单位转出")]
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=BLANK + [("requested", "待接收"), ("accepted", "已接收"), ("refused", "不予接收")],
    )


class ArchiveItemForm(StyledForm):
    kind = forms.ChoiceField(label="材料类别", choices=ArchiveKind.choices)
    title = forms.CharField(label="材料名称", max_length=200)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label="文件", required=False)


class ExportForm(StyledForm):
    purpose = forms.CharField(label="查询事由", max_length=200, required=False)
