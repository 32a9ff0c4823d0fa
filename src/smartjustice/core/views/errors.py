"""Error pages, and the one mapping of domain errors to pages."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render

from ..errors import DomainError, NotAuthenticated

TITLES = {
    400: "请求无效",
    401: "请先登录",
    403: "没有权限",
    404: "页面不存在",
    409: "操作冲突",
    422: "提交的内容有误",
}


def _page(request, status: int, title: str, message: str):
    return render(
        request, "errors/error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request, exception=None):
    return _page(request, 400, "请求无效", "请求的格式不正确。")


def permission_denied(request, exception=None):
    return _page(request, 403, "没有权限", "您没有访问此页面的权限。")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    """The API's error shape (config/api.py) for what never reaches the API: an address no endpoint matches."""
    return JsonResponse(
        {"code": code, "message": message, "fields": {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return _api_error(404, "not_found", "接口不存在，请查看 API 文档（/api/v1/docs）")
    return _page(request, 404, "页面不存在", "记录不存在或您无权访问。")


BARE_SERVER_ERROR = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器错误</title></head><body>'
    '<h1>服务器错误</h1><p>服务器内部错误，请稍后再试或联系管理员。</p><p><a href="/">返回首页</a></p></body></html>'
)


def server_error(request):
    if _is_api(request):
        return _api_error(500, "server_error", "服务器内部错误，请稍后再试或联系管理员")
    try:
        return _page(request, 500, "服务器错误", "服务器内部错误，请稍后再试或联系管理员。")
    except Exception:  # noqa: BLE001 - the fault may lie in what the full page needs (database, session): bare page
        return HttpResponseServerError(BARE_SERVER_ERROR)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent without (or with an expired) security token, explained in Chinese."""
    return _page(
        request,
        403,
        "安全校验失败",
        "表单的安全校验未通过（页面停留过久、浏览器禁用了 Cookie 或从其他网站提交）。请返回刷新页面后重新提交。",
    )


class DomainErrorPageMiddleware:
    """A DomainError escaping a page view becomes its page: sign-in for NotAuthenticated, else the error page.

    Views therefore just call core.access/queries/services and let NotFound (missing and forbidden alike) or
    PermissionDenied propagate; the API maps the same errors to JSON in config/api.py.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and _is_api(request)
            and "json" not in response.get("Content-Type", "")
        ):
            # The router's bare "Method Not Allowed" (an HTML content type) in the API's error shape, Allow kept.
            allowed = response.get("Allow", "")
            response = _api_error(
                405, "method_not_allowed", f"该接口不支持 {request.method} 请求（可用：{allowed}）"
            )
            response["Allow"] = allowed
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        status = exception.status_code
        return _page(request, status, TITLES.get(status, "请求无效"), exception.message)
