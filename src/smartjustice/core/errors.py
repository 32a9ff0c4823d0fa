"""Domain errors: a stable code and a Chinese message; the API and the page handler map them to 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises for a user to read."""

    status_code = 400
    code = "invalid"
    default_message = "请求无效"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_failed"
    default_message = "提交的内容有误，请检查标出的字段"


class NotFound(DomainError):
    """Missing and forbidden records answer the same, so nothing leaks about what exists."""

    status_code = 404
    code = "not_found"
    default_message = "记录不存在或您无权访问"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"
    default_message = "您没有执行此操作的权限"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    default_message = "请先登录或提供有效的访问令牌"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_message = "操作与记录的当前状态冲突，请刷新后重试"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = "当前状态下不能执行该操作"


def from_django_validation_error(exc) -> ValidationFailed:
    """Turn Django's ValidationError (field or non-field) into our structured error."""
    if hasattr(exc, "error_dict"):
        fields = {
            name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()
        }
        first = next(iter(fields.values()), [None])[0]
        return ValidationFailed(first or None, fields=fields)
    messages = list(getattr(exc, "messages", [str(exc)]))
    return ValidationFailed(messages[0] if messages else None, fields={"__all__": messages})


# Chinese messages for pydantic (ninja) input errors, by error type: the API's 422 and the pages' transition forms
# (core.workflow_api) say the same thing.
PYDANTIC_MESSAGES = {
    "missing": "此字段为必填项",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "int_parsing": "请输入整数",
    "int_type": "请输入整数",
    "bool_parsing": "请输入 true 或 false",
    "datetime_parsing": "日期时间格式无效",
    "datetime_from_date_parsing": "日期时间格式无效",
    "date_parsing": "日期格式无效",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_type": "请输入文本",
    "list_type": "请提供列表",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体格式无效",
    "float_parsing": "请输入数字",
    "float_type": "请输入数字",
    "dict_type": "请提供对象",
    "uuid_parsing": "格式无效（应为 UUID）",
    "too_short": "数量过少",
    "too_long": "数量过多",
    "extra_forbidden": "不接受此字段",
    "null_not_allowed": "此字段不能为 null（不修改请不要提交该字段）",
}
CHOICE_ERRORS = {"enum", "literal_error"}


def pydantic_message(error: dict) -> str:
    """The Chinese message for one pydantic error (API and pages alike); a choice error names the values it accepts."""
    kind = error.get("type", "")
    if kind in CHOICE_ERRORS:
        expected = str((error.get("ctx") or {}).get("expected", ""))
        values = [v.strip().strip("'\"") for v in expected.replace(" or ", ",").split(",") if v.strip()]
        return f"取值无效，应为：{'、'.join(values)}" if values else "取值无效"
    return PYDANTIC_MESSAGES.get(kind, error.get("msg", "格式无效"))
