"""Mounted at /api/v1/: the API, and a JSON 404 for any path under it that names nothing."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import path, re_path

from port2port.api import api, not_found_response, problem_response


def _problem_for_wrong_method(view):
    """ninja answers a method a path does not take with a bare text 405; answer with the same
    problem document as every other error, keeping its Allow header."""

    @wraps(view)
    def answering(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            problem = problem_response(405)
            problem["Allow"] = response["Allow"]
            return problem
        return response

    return answering


def _with_problem_405(urls):
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _problem_for_wrong_method(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    # ninja answers the bare root with the web UI's HTML 404; the API's own is JSON.
    path("", not_found_response),
    path("", _with_problem_405(api.urls)),
    # An unknown API path answers like an unknown report: the same problem document, not the
    # web UI's HTML page.
    re_path(r"^.*$", not_found_response),
]
