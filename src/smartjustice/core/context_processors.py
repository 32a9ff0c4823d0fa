"""Values every page template can use."""

from django.conf import settings


def platform(request):
    return {"PLATFORM_NAME": settings.PLATFORM_NAME, "request_id": getattr(request, "request_id", "")}
