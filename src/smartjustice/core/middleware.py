"""Request context: a request id for every request, and the acting user for the audit trail."""

import re

from . import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else context.new_request_id()
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.set_context(
            context.ActingContext(
                actor=actor, request_id=request.request_id, ip=client_ip(request), channel=channel
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset_context(token)
        response["X-Request-ID"] = request.request_id
        return response
