"""Mounted at /api/v1/: the API, and a JSON 404 for any path under it that names nothing."""

from django.urls import path, re_path

from port2port.api import api, not_found_response

urlpatterns = [
    # ninja answers the bare root with the web UI's HTML 404; the API's own is JSON.
    path("", not_found_response),
    path("", api.urls),
    # An unknown API path answers like an unknown report: the same problem document, not the
    # web UI's HTML page.
    re_path(r"^.*$", not_found_response),
]
