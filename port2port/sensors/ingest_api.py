"""POST /api/v1/ingest: where sensors send their events.

A sensor authenticates with its own ingest-only credential (`Authorization: Bearer
p2p_sensor_…`, never in the URL) and may do nothing else with it. The body is a batch in the
sensor's format (JSON array, NDJSON, CSV or XML as the format says), at most 10,000 events; the
answer lists what became of each event and is sent only after the batch is committed.
"""

import threading

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic_core import to_json

from port2port.api import _OneRequestThrottle, problem_response
from port2port.core.views import client_ip

from . import actions
from .adapters import REGISTRY as ADAPTERS
from .adapters.base import BatchError
from .events import MAX_BATCH
from .models import SensorCredential, find_credential

router = Router()

# 10,000 events of a few hundred bytes to a kilobyte (Remote ID frames). A parsed body takes
# about twenty times its size in memory, so the limit is kept near what a full batch needs.
INGEST_MAX_BYTES = 12 * 1024 * 1024
LAST_USED_EVERY_SECONDS = 60


class SensorPrincipal:
    """The caller of an ingest request: one sensor, through one of its credentials."""

    def __init__(self, credential: SensorCredential, ip: str | None):
        self.credential, self.sensor, self.ip = credential, credential.sensor, ip
        self.throttle_ident = f"sensor:{self.sensor.pk}"


class SensorToken(HttpBearer):
    """`Authorization: Bearer p2p_sensor_…`: unknown, expired, revoked, or of a deactivated
    sensor is a 401."""

    openapi_bearerFormat = "p2p_sensor_<lookup>_<secret>"

    def authenticate(self, request, token: str):
        credential = find_credential(token.strip())
        if credential is None:
            raise AuthenticationError(message=_("This sensor credential is not valid: it is unknown, expired or revoked."))
        _note_use(credential)
        return SensorPrincipal(credential, client_ip(request))


def _note_use(credential: SensorCredential) -> None:
    # Once a minute is enough to show "last used"; a write per batch would cost at 20 batches/s.
    now = timezone.now()
    if credential.last_used_at is None or (now - credential.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
        SensorCredential.objects.filter(pk=credential.pk).update(last_used_at=now)


class _ProcessThrottle(_OneRequestThrottle):
    # Counted in the process's memory, not the shared database cache: a database write per
    # batch would take SQLite's one write lock a second time for every batch. The limit is
    # then per server process (a guard against a sensor in a loop, not an exact quota).
    cache = caches["process"]


class IngestThrottle(BaseThrottle):
    """settings.INGEST_THROTTLE_RATE per sensor and server process (sensors send more often
    than people call)."""

    def __init__(self):
        self._current = threading.local()

    def allow_request(self, request) -> bool:
        window = _ProcessThrottle(settings.INGEST_THROTTLE_RATE, f"p2p_ingest_throttle:{request.auth.throttle_ident}")
        self._current.window = window
        return window.allow_request(request)

    def wait(self):
        window = getattr(self._current, "window", None)
        return window.wait() if window is not None else None


class FateOut(Schema):
    index: int = Field(description="Position of the event in the batch, from 0")
    external_id: str = Field(description="The sensor's own id of the event")
    status: str = Field(description="accepted, duplicate (sent before) or rejected")
    id: int | None = Field(None, description="Our id of an accepted event")
    errors: dict[str, str] | None = Field(None, description="Rejected: what is wrong, per field")


class IngestOut(Schema):
    accepted: int
    duplicate: int
    rejected: int
    events: list[FateOut]


INGEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "application/xml": {"schema": {"type": "string"}},
    },
}


@router.post("/ingest", auth=SensorToken(), throttle=[IngestThrottle()], response={200: IngestOut},
             summary="Send a batch of sensor events (at most 10,000)",
             openapi_extra={"requestBody": INGEST_BODY})
def ingest(request, format: str | None = None):
    """The batch is read in the sensor's registered format, or `format` (p2p, remote_id, ocsf,
    onvif, access_control; see docs/sensor-format.md). Each event carries the sensor's own id:
    sending a batch again stores nothing twice (`duplicate`). One bad event is `rejected` with
    its reasons and does not sink the others. 413 beyond 10,000 events; 400 for a body that
    cannot be read at all."""
    principal = request.auth
    adapter = ADAPTERS.get(format or principal.sensor.adapter)
    if adapter is None:
        return problem_response(422, _("Unknown format."), [{"field": "format", "message": _(
            "Choose one of: %(formats)s.") % {"formats": ", ".join(sorted(ADAPTERS))}}])
    if int(request.META.get("CONTENT_LENGTH") or 0) > INGEST_MAX_BYTES:
        return problem_response(413, _("The request is larger than the server accepts."))
    try:
        records = adapter.records(request.read(INGEST_MAX_BYTES + 1), request.META.get("CONTENT_TYPE", ""))
    except BatchError as error:
        return problem_response(400, str(error), [{"field": "body", "message": str(error)}])
    if len(records) > MAX_BATCH:
        return problem_response(413, _("At most %(n)d events in one batch; split it.") % {"n": MAX_BATCH})
    fates = actions.ingest_events(principal.sensor, records=records, adapter=adapter, ip=principal.ip)
    return _answer(fates)


def _answer(fates) -> HttpResponse:
    # Written by hand: 10,000 fates through the response schema cost more than the insert.
    counts = {actions.ACCEPTED: 0, actions.DUPLICATE: 0, actions.REJECTED: 0}
    events = []
    for fate in fates:
        counts[fate.status] += 1
        entry = {"index": fate.index, "external_id": fate.external_id, "status": fate.status}
        if fate.id is not None:
            entry["id"] = fate.id
        if fate.errors:
            entry["errors"] = fate.errors
        events.append(entry)
    body = {"accepted": counts[actions.ACCEPTED], "duplicate": counts[actions.DUPLICATE],
            "rejected": counts[actions.REJECTED], "events": events}
    # pydantic-core's encoder: a fifth of json.dumps's time for a batch's thousands of fates.
    return HttpResponse(to_json(body), content_type="application/json")
