"""The JSON API under /api/v1: who is calling, how errors look, how fast one may call.

Callers are people (their browser session, with CSRF on writes) or an organisation's API key
(`Authorization: Bearer p2p_org_...`, never in the URL). Every error is an RFC 9457 problem
details document in the caller's language; a report one may not see and a report that does not
exist give the same 404. The endpoints themselves live in each app's `api.py`, mounted at the
bottom of this module.
"""

import json
import threading
from dataclasses import dataclass
from functools import cached_property
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle, SimpleRateThrottle
from ninja.utils import check_csrf

from port2port.core.views import client_ip
from port2port.organisations import actions as org_actions
from port2port.organisations.models import ApiKey, ApiKeyScope, find_api_key, viewer_for

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PROBLEM_CONTENT_TYPE = "application/problem+json"


# ---------------------------------------------------------------------------------------------
# Who is calling
# ---------------------------------------------------------------------------------------------


@dataclass
class Principal:
    """The caller of one request: a person, acting through their session or through an API key
    of one of their organisations (then with that organisation's rights only, and no RED)."""

    user: object
    ip: str | None
    api_key: ApiKey | None = None

    @cached_property
    def viewer(self):
        """The sharing rule's view of the caller, read from the database once per request."""
        return viewer_for(self.user, api_key=self.api_key)

    @property
    def throttle_ident(self) -> str:
        return f"key:{self.api_key.pk}" if self.api_key else f"user:{self.user.pk}"


class OrganisationApiKey(HttpBearer):
    """`Authorization: Bearer p2p_org_...`. A key that is unknown, expired, revoked, or whose
    maker left the organisation is refused outright (401), not passed on to the session check."""

    openapi_bearerFormat = "p2p_org_<lookup>_<secret>"

    def authenticate(self, request, token: str):
        key = find_api_key(token.strip())
        if key is None:
            raise AuthenticationError(message=_("This API key is not valid: it is unknown, expired or revoked."))
        _use_callers_language(request, key.created_by)
        if request.method not in SAFE_METHODS and key.scope != ApiKeyScope.WRITE:
            raise AuthorizationError(message=_("This API key may only read."))
        org_actions.record_api_key_use(key, ip=client_ip(request))
        return Principal(user=key.created_by, ip=client_ip(request), api_key=key)


def _use_callers_language(request, user) -> None:
    """A key's caller reads messages in its maker's language unless it asks for another."""
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class BrowserSession(APIKeyCookie):
    """The person signed in to the web UI. Writes need the CSRF token (X-CSRFToken header), and
    where MFA is required, a session of a person without a second factor reaches nothing."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise AuthorizationError(message=_("CSRF verification failed. Send the X-CSRFToken header."))
        if settings.MFA_REQUIRED and not _has_second_factor(user):
            raise AuthorizationError(message=_("Set up two-factor authentication before using the API."))
        return Principal(user=user, ip=client_ip(request))

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


def _has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


# ---------------------------------------------------------------------------------------------
# How fast one may call
# ---------------------------------------------------------------------------------------------


class _OneRequestThrottle(SimpleRateThrottle):
    """ninja's sliding window for one request. SimpleRateThrottle keeps the request's history on
    the instance, so sharing one between the threads of a gthread worker would mix callers up;
    a fresh one per request keeps them apart."""

    def __init__(self, rate: str, cache_key: str):
        self._cache_key = cache_key
        super().__init__(rate)

    def get_cache_key(self, request) -> str:
        return self._cache_key


class ApiThrottle(BaseThrottle):
    """settings.API_THROTTLE_RATE per API key, else per person, else per client address. The
    counts live in the default cache, the database cache that every worker process shares.
    (Two processes may both read a count before either writes it, so the limit is approximate
    under a burst; a throttle needs no more.)"""

    def __init__(self):
        self._current = threading.local()

    def allow_request(self, request) -> bool:
        principal = getattr(request, "auth", None)
        ident = principal.throttle_ident if isinstance(principal, Principal) else f"ip:{client_ip(request)}"
        window = _OneRequestThrottle(settings.API_THROTTLE_RATE, f"p2p_api_throttle:{ident}")
        self._current.window = window
        return window.allow_request(request)

    def wait(self):
        window = getattr(self._current, "window", None)
        return window.wait() if window is not None else None


# ---------------------------------------------------------------------------------------------
# How errors look: RFC 9457 problem details
# ---------------------------------------------------------------------------------------------


class FieldProblem(Schema):
    field: str | None
    message: str


class Problem(Schema):
    """An RFC 9457 problem details document; `errors` names each bad field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


TITLES = {
    400: lambda: _("Bad request"),
    401: lambda: _("Not signed in"),
    403: lambda: _("Forbidden"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    413: lambda: _("Content too large"),
    415: lambda: _("Unsupported media type"),
    422: lambda: _("Invalid input"),
    429: lambda: _("Too many requests"),
}


def problem_response(status: int, detail: str | None = None, errors: list[dict] | None = None) -> HttpResponse:
    """A problem details response. The 404 carries no detail at all, so that "missing" and
    "not yours to see" are byte for byte the same answer."""
    title = TITLES[status]() if status in TITLES else HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def not_found_response(request=None, exc=None) -> HttpResponse:
    return problem_response(404)


def _field_error(field, message) -> dict:
    return {"field": field, "message": str(message)}


def django_validation_errors(error: DjangoValidationError) -> list[dict]:
    """The field errors of a Django ValidationError raised by an action or at the edge."""
    if not hasattr(error, "error_dict"):
        return [_field_error(None, message) for message in error.messages]
    return [
        _field_error(None if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def _on_ninja_validation_error(request, exc: ValidationError):
    errors = [e if "field" in e and "message" in e else _field_error(None, _("Enter a valid value.")) for e in exc.errors]
    return problem_response(422, _("Some fields are not valid."), errors)


def _on_django_validation_error(request, exc: DjangoValidationError):
    # An upload refused for its size (code "too_large") is a 413; any other bad field a 422.
    too_large = any(error.code == "too_large" for error in exc.error_list) if hasattr(exc, "error_list") else \
        any(error.code == "too_large" for errors in exc.error_dict.values() for error in errors)
    return problem_response(413 if too_large else 422, _("Some fields are not valid."), django_validation_errors(exc))


def _on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, RequestDataTooBig):
        return _on_too_big(request, cause)
    if exc.status_code == 400 and cause is not None:
        # ninja wraps a body it cannot parse in a 400; say which part is wrong.
        errors = [_field_error("body", _("The request body is not valid JSON."))]
        return problem_response(400, _("The request body is not valid JSON."), errors)
    if isinstance(exc, Throttled):
        return problem_response(429, _("Too many requests. Wait a moment and try again."))
    if isinstance(exc, AuthenticationError) and exc.message == AuthenticationError().message:
        # ninja's own "no authentication matched": say how to authenticate, in the caller's language.
        return problem_response(401, _("Sign in, or send an organisation API key in the header Authorization: Bearer p2p_org_…"))
    detail = None if exc.status_code == 404 else exc.message
    return problem_response(exc.status_code, detail)


def _on_too_big(request, exc):
    return problem_response(413, _("The request is larger than the server accepts."))


def _on_form_body(request, exc: RawPostDataException):
    # A form or multipart body, already read as form data (for the CSRF check), where the
    # endpoint wants the raw JSON document: say what to send instead of failing with a 500.
    return problem_response(415, _("Send the body as application/json."),
                            [_field_error("body", _("Send the body as application/json."))])


def _on_permission_denied(request, exc: PermissionDenied):
    return problem_response(403, str(exc) or _("You may not do this."))


class ProblemNinjaAPI(NinjaAPI):
    """NinjaAPI whose validation errors name fields in words a person understands, in their
    language, and whose OpenAPI schema documents the problem responses of every operation."""

    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors = []
        for context in error_contexts:
            source = context.model.__ninja_param_source__
            flat = context.model.__ninja_flatten_map_reverse__
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = (source,) + tuple(flat.get(error["loc"], error["loc"]))
                entry = _field_error(field_name(loc), field_message(error))
                if entry not in errors:
                    errors.append(entry)
        return ValidationError(errors)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _document_problems(schema)
        return schema


def field_name(loc: tuple) -> str:
    """("body", "payload", "title") -> "title"; ("query", "category") -> "category";
    list positions are dropped: the field is what a person fixes."""
    parts = [str(part) for part in loc[1:] if not isinstance(part, int)]
    if loc[0] == "body" and parts:
        parts = parts[1:]  # the view's parameter name is no part of the document sent
    return ".".join(parts) or ("body" if loc[0] == "body" else str(loc[0]))


def field_message(error: dict) -> str:
    """A translated message for one pydantic error. Where Django has the same message, its
    wording (and so its translations) is used."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("string_too_long", "string_too_short"):
        limit = ctx.get("max_length" if kind == "string_too_long" else "min_length", 0)
        shown = len(error["input"]) if isinstance(error.get("input"), str) else 0
        single, plural = _LENGTH_MESSAGES[kind]
        return ngettext(single, plural, limit) % {"limit_value": limit, "show_value": shown}
    if kind in _LIMIT_MESSAGES:
        limit = next((ctx[k] for k in ("ge", "le", "gt", "lt") if k in ctx), "")
        return _(_LIMIT_MESSAGES[kind]) % {"limit_value": limit}
    if kind == "too_long":
        limit = ctx.get("max_length", 0)
        return ngettext("Send at most %(limit_value)d item.", "Send at most %(limit_value)d items.", limit) % {"limit_value": limit}
    if kind in _MESSAGES:
        return _(_MESSAGES[kind])
    if kind == "value_error" and isinstance(ctx.get("error"), Exception):
        return str(ctx["error"])
    if kind not in _PYDANTIC_OWN and error.get("msg"):
        return error["msg"]  # a PydanticCustomError of ours, written and translated by us
    return _("Enter a valid value.")


# Django's own wording, so Django's catalogues translate them.
_LENGTH_MESSAGES = {
    "string_too_long": (
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    "string_too_short": (
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
}
_LIMIT_MESSAGES = {
    "greater_than_equal": gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    "less_than_equal": gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    "greater_than": gettext_noop("Ensure this value is greater than %(limit_value)s."),
    "less_than": gettext_noop("Ensure this value is less than %(limit_value)s."),
}
# Marked with gettext_noop for makemessages; translated with gettext when an error is reported.
_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_parsing": gettext_noop("Enter a number."),
    "float_type": gettext_noop("Enter a number."),
    "finite_number": gettext_noop("Enter a number."),
    "enum": gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    "literal_error": gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    "datetime_parsing": gettext_noop("Enter a valid date/time."),
    "datetime_type": gettext_noop("Enter a valid date/time."),
    "datetime_from_date_parsing": gettext_noop("Enter a valid date/time."),
    "timezone_aware": gettext_noop("Give the time with its time zone, for example 2026-03-04T02:30:00Z."),
    "date_parsing": gettext_noop("Enter a valid date."),
    "date_type": gettext_noop("Enter a valid date."),
    "date_from_datetime_parsing": gettext_noop("Enter a valid date."),
    "date_from_datetime_inexact": gettext_noop("Enter a valid date."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "bool_type": gettext_noop("Enter true or false."),
    "string_type": gettext_noop("Enter text."),
    "string_pattern_mismatch": gettext_noop("Enter a valid value."),
    "list_type": gettext_noop("Enter a list of values."),
    "model_type": gettext_noop("Send a JSON object."),
    "model_attributes_type": gettext_noop("Send a JSON object."),
    "dict_type": gettext_noop("Send a JSON object."),
    "extra_forbidden": gettext_noop("Unknown field."),
}
_PYDANTIC_OWN = {
    "value_error", "assertion_error", "union_tag_invalid", "union_tag_not_found", "json_invalid",
    "json_type", "url_parsing", "uuid_parsing", "decimal_parsing", "is_instance_of", "callable_type",
    "frozen_field", "none_required", "bytes_type", "string_unicode", "tuple_type", "set_type",
}

_PROBLEM_RESPONSES = {
    "401": "Not signed in, or the API key is not valid.",
    "403": "Signed in, but not allowed to do this (CSRF missing, read-only key, role).",
    "404": "Not found, or not shared with you: the two look the same.",
    "422": "Some fields are not valid; `errors` names each one.",
    "429": "Too many requests.",
}


def _document_problems(schema: dict) -> None:
    """Every operation may answer with a problem document; say so in the schema."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    defs = schema["components"]["schemas"]["Problem"].pop("$defs", {})
    schema["components"]["schemas"].update(defs)
    problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            # ninja keys responses by int; JSON keys are strings, and a mix would repeat a key.
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in _PROBLEM_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": problem})


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------

api = ProblemNinjaAPI(
    title="Port 2 Port API",
    version="1",
    description=(
        "Security reports shared under TLP 2.0 between the members of a port network. "
        "Authenticate with your browser session (send the X-CSRFToken header on writes) or with an "
        "organisation API key in the header `Authorization: Bearer p2p_org_...`. Errors are RFC 9457 "
        "problem details; a report you may not see answers exactly like one that does not exist (404)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # The Swagger UI files come from ninja's own static folder: the docs work offline.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=[OrganisationApiKey(), BrowserSession()],
    throttle=[ApiThrottle()],
)
api.add_exception_handler(ValidationError, _on_ninja_validation_error)
api.add_exception_handler(DjangoValidationError, _on_django_validation_error)
api.add_exception_handler(HttpError, _on_http_error)
api.add_exception_handler(Http404, not_found_response)
api.add_exception_handler(PermissionDenied, _on_permission_denied)
api.add_exception_handler(RequestDataTooBig, _on_too_big)
api.add_exception_handler(RawPostDataException, _on_form_body)

# The routers use nothing of this module but what they find on `request.auth`, so importing
# them last cannot loop.
from port2port.organisations.api import router as organisations_router  # noqa: E402
from port2port.reports.api import router as reports_router  # noqa: E402

api.add_router("/reports", reports_router, tags=["reports"])
api.add_router("", organisations_router, tags=["organisations"])
api.add_router("", "port2port.indicators.api.router", tags=["indicators"])
api.add_router("", "port2port.sensors.ingest_api.router", tags=["sensor ingestion"])
api.add_router("", "port2port.sensors.api.router", tags=["sensors"])
api.add_router("", "port2port.alerts.api.router", tags=["alerts"])
api.add_router("", "port2port.knowledge.api.router", tags=["knowledge"])
api.add_router("", "port2port.measures.api.router", tags=["measures"])
api.add_router("", "port2port.training.api.router", tags=["training"])
api.add_router("", "port2port.workinggroups.api.router", tags=["working groups"])
