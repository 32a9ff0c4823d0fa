"""Request context: a request id for every request, and the acting user for the audit trail."""

import re

from django.conf import settings

from . import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def client_ip(request) -> str:
    """The client's address, for the audit trail and the sign-in lockout (settings AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR; behind SMARTJUSTICE_TRUSTED_PROXIES reverse proxies, the address the outermost of them saw: each
    proxy appends what it saw to X-Forwarded-For, so it is read from the right. Entries further left are whatever the
    client sent and are never trusted (otherwise anyone could pick the address they are locked by).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]


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
