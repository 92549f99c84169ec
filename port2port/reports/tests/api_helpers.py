"""A small client for /api/v1 as the tests' personas use it: through their browser session
(with a CSRF token, as the web UI sends it) or with an organisation's API key."""

import json

from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from port2port.organisations import actions as org_actions
from port2port.organisations.models import ApiKeyScope

API = "/api/v1"
NOT_FOUND = {"type": "about:blank", "title": "Not found", "status": 404}


class Api:
    """Calls the API as `user` (a session) or with `token` (an API key), or as nobody."""

    def __init__(self, user=None, *, token=None, csrf=True, language=None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {}
        if user is not None:
            self.client.force_login(user)
            if csrf:
                self._add_csrf_token()
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if language is not None:
            self.headers["Accept-Language"] = language

    def _add_csrf_token(self):
        request = RequestFactory().get("/")
        self.headers["X-CSRFToken"] = get_token(request)
        self.client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]

    def get(self, path, params=None, **headers):
        return self.client.get(API + path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body=None, *, raw=None, **headers):
        return self._send("post", path, body, raw, headers)

    def patch(self, path, body=None, *, raw=None, **headers):
        return self._send("patch", path, body, raw, headers)

    def upload(self, path, **files):
        return self.client.post(API + path, files, headers=self.headers)

    def _send(self, method, path, body, raw, headers):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(API + path, data, content_type="application/json",
                                            headers={**self.headers, **headers})


def api_key(world, *, scope=ApiKeyScope.READ, creator=None, organisation=None):
    """A fresh key of `organisation` (port A by default), made by its admin."""
    _, token = org_actions.create_api_key(
        acting_user=creator or world.admin_a, organisation=organisation or world.org_a,
        name=f"sensor ({scope})", scope=scope,
    )
    return token


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.json()


def bad_fields(response) -> set:
    return {error["field"] for error in problem(response)["errors"]}


def report_body(world, **overrides) -> dict:
    """A valid new report, as a client would send it."""
    return {
        "title": "Drone over the container terminal",
        "category": "drone",
        "port": "BEANR",
        "occurred_at": "2026-03-04T02:30:00Z",
        "narrative": "A quadcopter hovered over the reefer stacks for ten minutes.",
        "tlp": "amber",
        "audience": "network",
        "share_now": True,
        **overrides,
    }
