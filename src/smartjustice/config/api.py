"""The one NinjaAPI at /api/v1/: routers of every module and the JSON error convention."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from smartjustice.core import modules
from smartjustice.core.api import router as core_router
from smartjustice.core.api.parser import PlatformParser
from smartjustice.core.errors import DomainError, from_django_validation_error, pydantic_message

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="智慧司法行政平台 API",
    version="1.0.0",
    urls_namespace="api-v1",
    description=(
        "SmartJustice 统一接口。认证：`Authorization: Bearer <个人访问令牌>`（或网页登录会话）。"
        "错误统一返回 `{code, message, fields}`；列表统一分页 `?page=&page_size=`，返回 "
        "`{items, count, page, page_size, pages}`。"
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=PlatformParser(),  # JSON, with NUL characters refused in Chinese
)

api.add_router("/", core_router)
modules.add_routers(api)  # every module's router at the prefix its module.py declares


def error_response(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error_response(request, exc.status_code, exc.code, exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload", "filters")
        ]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(pydantic_message(error))
    return error_response(request, 422, "validation_failed", "提交的内容有误，请检查标出的字段", fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    return on_domain_error(request, from_django_validation_error(exc))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "not_authenticated", "请先登录或提供有效的访问令牌")


@api.exception_handler(AuthorizationError)
def on_authorization_error(request, exc):
    return error_response(request, 403, "permission_denied", "您没有执行此操作的权限")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", "记录不存在或您无权访问")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja raises these with English text (e.g. "CSRF check Failed"); clients get Chinese, like every error.
    if "CSRF" in str(exc):
        return error_response(
            request, exc.status_code, "csrf_failed", "安全校验失败（CSRF），请刷新页面后重试"
        )
    if isinstance(exc.__cause__, DomainError):  # the parser refused the body (core.api.parser), in Chinese
        return on_domain_error(request, exc.__cause__)
    if str(exc).startswith("Cannot parse request body"):
        return error_response(
            request,
            400,
            "malformed_body",
            "请求体不是有效的 JSON，请检查格式（如引号、逗号、括号是否成对）",
            {"__all__": ["请求体不是有效的 JSON"]},
        )
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(MultiPartParserError)
def on_malformed_multipart(request, exc):
    # A multipart body without its boundary (the form parser cannot even start): the client's error, not ours.
    return error_response(request, 400, "malformed_body", "请求体格式无效（multipart/form-data 缺少分隔符）")


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc: Exception):
    # A number or value the database cannot hold (SQLite: OverflowError; PostgreSQL: DataError, e.g. bigint out of
    # range) is bad input, not a server fault. Filters declare core.pagination.Id so this is only the safety net.
    return error_response(request, 422, "validation_failed", "提交的数值超出允许范围", {})


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    logger.exception("unhandled API error", extra={"request_id": getattr(request, "request_id", "")})
    return error_response(
        request,
        500,
        "server_error",
        f"服务器内部错误，请联系管理员（请求编号 {getattr(request, 'request_id', '')}）",
    )
