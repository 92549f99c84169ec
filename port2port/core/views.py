"""Views that belong to no domain: the operators' health check, and request helpers."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def client_ip(request) -> str | None:
    """The address the audit log records. Behind a proxy, the proxy must set REMOTE_ADDR
    (gunicorn does with --forwarded-allow-ips); a header the client sends is never trusted."""
    return request.META.get("REMOTE_ADDR") or None


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
