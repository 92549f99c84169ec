"""Views that belong to no domain: the operators' health check, and request helpers."""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def client_ip(request) -> str | None:
    """The address the audit log records, found as the login rate limits find it (allauth), so
    the two agree: REMOTE_ADDR, or behind P2P_TRUSTED_PROXY_COUNT proxies the X-Forwarded-For
    entry the nearest trusted proxy added. A header a client sends alone is never trusted."""
    from allauth.account.adapter import get_adapter

    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


@never_cache
@require_safe  # load balancers often probe with HEAD
def healthz(request):
    """For operators and load balancers: "ok" when the database answers, 503 otherwise.
    No login: it says nothing about content."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
