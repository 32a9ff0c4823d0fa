"""Page forms for core records: Chinese labels and messages; the services decide, the forms only parse.

`submit(form, service, ...)` is the one way a page calls a service: a DomainError it raises becomes the form's
errors (per field where the error names one), so the page re-renders the form instead of failing.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import queries
from .choices import AccountKind, EnforcementDomain, JurisdictionLevel, OrganisationKind
from .errors import DomainError, NotAuthenticated, NotFound
from .models import Role

BLANK = [("", "全部")]


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so every template renders fields through partials/field.html."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = self._hint_id(name)

    def _hint_id(self, name: str) -> str:
        return f"{self[name].auto_id}_hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # mark the invalid inputs for Bootstrap and for screen readers
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs.update({"aria-invalid": "true", "aria-describedby": self._hint_id(name)})

    def add_domain_error(self, exc: DomainError) -> None:
        """Put a service's error on the fields it names; anything else becomes a form-wide error."""
        placed = False
        for name, messages in (exc.fields or {}).items():
            target = name if name in self.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(target, str(message))
            placed = placed or target is not None
        if not placed and exc.message not in self.non_field_errors():
            self.add_error(None, exc.message)


def submit(form: StyledForm, service, /, *args, **kwargs):
    """Call one service for a valid form; a DomainError becomes form errors and None is returned.

    NotFound and NotAuthenticated are not form problems: they propagate to the page mapping (core.views.errors).
    """
    try:
        return service(*args, **kwargs)
    except (NotFound, NotAuthenticated):
        raise
    except DomainError as exc:
        form.add_domain_error(exc)
        return None


# --- sign-in and the account ---------------------------------------------------------------------------------


class LoginForm(StyledForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。连续失败多次后账号将被临时锁定。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "账号"
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].label = "密码"


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码",
        help_text="至少 8 位，不能全为数字，不能与账号信息过于相似。",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


class TokenForm(StyledForm):
    name = forms.CharField(label="用途说明", max_length=100, help_text="例如：执法终端、数据对接")
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=365, initial=90)


# --- portal registration ----------------------------------------------------------------------------------------


class RegistrationForm(StyledForm):
    kind = forms.ChoiceField(
        label="用户类型",
        widget=forms.RadioSelect,
        initial=AccountKind.CITIZEN,
        choices=[(AccountKind.CITIZEN, "个人"), (AccountKind.ENTERPRISE, "企业")],
    )
    username = forms.CharField(
        label="用户名",
        max_length=150,
        help_text="字母、数字或 @ . + - _，登录时使用",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能全为数字",
    )
    password_again = forms.CharField(
        label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    real_name = forms.CharField(label="姓名", max_length=64, required=False)
    id_number = forms.CharField(
        label="身份证号码", max_length=18, required=False, help_text="18 位居民身份证号码，末位可为 X"
    )
    enterprise_name = forms.CharField(label="企业名称", max_length=200, required=False)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    phone = forms.CharField(
        label="手机号码",
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "两次输入的密码不一致")
        if data.get("kind") == AccountKind.CITIZEN:
            for name in ("real_name", "id_number"):
                if not data.get(name):
                    self.add_error(name, "个人用户须填写此项")
        elif data.get("kind") == AccountKind.ENTERPRISE:
            for name in ("enterprise_name", "uscc"):
                if not data.get(name):
                    self.add_error(name, "企业用户须填写此项")
        return data


# --- organisations -------------------------------------------------------------------------------------------------


def jurisdiction_choices(user=None, *, public: bool = False) -> list[tuple[str, str]]:
    """Divisions offered in pickers: the user's own and one level below; the public gets cities and counties."""
    if public or user is None or user.is_superuser or not user.jurisdiction_id:
        levels = (JurisdictionLevel.CITY, JurisdictionLevel.COUNTY) if public else (1, 2, 3)
        rows = queries.list_jurisdictions().filter(level__in=levels)
    else:
        own = user.jurisdiction
        deepest = min(max(own.level + 1, JurisdictionLevel.COUNTY), JurisdictionLevel.TOWN)
        rows = queries.list_jurisdictions(within=own.code).filter(level__lte=deepest)
    top = min((row.level for row in rows), default=1)
    return [(row.code, "\u3000" * (row.level - top) + row.name) for row in rows.only("code", "name", "level")]


class OrganisationForm(StyledForm):
    name = forms.CharField(label="名称", min_length=2, max_length=200)
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择")] + OrganisationKind.choices)
    enforcement_domain = forms.ChoiceField(
        label="执法领域",
        required=False,
        help_text="仅行政执法主体须填写",
        choices=[("", "（无）")] + EnforcementDomain.choices,
    )
    jurisdiction = forms.ChoiceField(label="所属区划")
    parent = forms.ModelChoiceField(label="上级单位", required=False, queryset=None, empty_label="（无）")
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    address = forms.CharField(label="办公地址", max_length=300, required=False)
    phone = forms.CharField(
        label="联系电话", max_length=32, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = queries.list_organisations(user)
        if organisation is not None:
            visible = visible.exclude(pk=organisation.pk)
            del self.fields["jurisdiction"]  # an organisation stays in its jurisdiction
        else:
            del self.fields["is_active"]
            self.fields["jurisdiction"].choices = [("", "请选择")] + jurisdiction_choices(user)
        self.fields["parent"].queryset = visible
        self.fields["parent"].label_from_instance = lambda org: f"{org.name}（{org.jurisdiction.name}）"

    def clean_jurisdiction(self):
        try:
            return queries.get_jurisdiction(self.cleaned_data["jurisdiction"])
        except NotFound as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_uscc(self):
        return self.cleaned_data["uscc"].strip().upper()


# --- staff accounts ------------------------------------------------------------------------------------------------


def role_choices() -> list[tuple[str, str]]:
    return list(Role.objects.order_by("id").values_list("code", "name"))


class StaffForm(StyledForm):
    organisation = forms.ModelChoiceField(label="所属单位", queryset=None, empty_label="请选择")
    username = forms.CharField(
        label="账号",
        max_length=150,
        help_text="字母、数字或 @ . + - _",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    real_name = forms.CharField(label="姓名", min_length=2, max_length=64)
    title = forms.CharField(label="职务", max_length=64, required=False)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能全为数字；请告知本人首次登录后修改",
    )
    phone = forms.CharField(
        label="手机号码", max_length=11, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    roles = forms.MultipleChoiceField(label="角色", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.list_organisations(user, is_active=True)
        self.fields["organisation"].label_from_instance = lambda org: f"{org.name}（{org.jurisdiction.name}）"
        self.fields["roles"].choices = role_choices()


class RolesForm(StyledForm):
    roles = forms.MultipleChoiceField(label="角色", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices()


# --- list filters (GET) ------------------------------------------------------------------------------------------


class FilterForm(StyledForm):
    """A list's filter bar: invalid input is dropped rather than failing the list."""

    def values(self) -> dict:
        """Cleaned values by field name; a field with an error counts as not given."""
        cleaned = {}
        if self.is_bound:
            self.is_valid()  # runs the cleaning; fields with errors are left out of cleaned_data
            cleaned = self.cleaned_data
        return {name: cleaned.get(name, self.empty_value(name)) for name in self.fields}

    def empty_value(self, name: str):
        field = self.fields[name]
        return (
            None if isinstance(field, forms.DateField | forms.TypedChoiceField | forms.IntegerField) else ""
        )

    @property
    def active(self) -> bool:
        """Whether the visitor asked for any filter (defaults a form fills in itself do not count)."""
        return any(self.data.get(name) for name in self.fields)


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "名称或统一社会信用代码", "type": "search"}),
    )
    kind = forms.ChoiceField(label="类型", required=False, choices=BLANK + OrganisationKind.choices)
    jurisdiction = forms.ChoiceField(label="区划", required=False)
    is_active = forms.TypedChoiceField(
        label="状态",
        required=False,
        empty_value=None,
        coerce=lambda v: v == "1",
        choices=BLANK + [("1", "启用"), ("0", "停用")],
    )

    def __init__(self, *args, user=None, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = BLANK + jurisdiction_choices(user, public=public)
        if public:
            del self.fields["is_active"]
            self.fields["q"].widget.attrs["placeholder"] = "机构名称"


class UserFilterForm(FilterForm):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名或账号", "type": "search"}),
    )
    kind = forms.ChoiceField(label="账号类型", required=False, choices=AccountKind.choices)
    role = forms.ChoiceField(label="角色", required=False)
    jurisdiction = forms.ChoiceField(label="区划", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = BLANK + role_choices()
        self.fields["jurisdiction"].choices = BLANK + jurisdiction_choices(user)

    def values(self) -> dict:
        values = super().values()
        values["kind"] = values.get("kind") or AccountKind.STAFF
        return values


def _audit_event_choices() -> list:
    from .choices import audit_event_choices

    return BLANK + audit_event_choices(grouped=True)


class AuditFilterForm(FilterForm):
    # Every app's typed events, grouped under the app's Chinese name.
    event = forms.TypedChoiceField(
        label="事件", required=False, coerce=int, empty_value=None, choices=_audit_event_choices
    )
    actor = forms.CharField(
        label="操作人",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "账号或姓名", "type": "search"}),
    )
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象ID", required=False)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    request_id = forms.CharField(label="请求ID", required=False)

    def __init__(self, *args, **kwargs):
        from .audit import object_type_choices

        super().__init__(*args, **kwargs)
        # Chinese record-type names (用户, 政府信息公开申请 …); a link may name a type no longer listed, keep it.
        choices = object_type_choices(extra=self.data.get("object_type", "") if self.is_bound else "")
        self.fields["object_type"].choices = BLANK + choices

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期")
        return data
