"""The indicators API: a report's indicators with their correlations, bulk import, search by
value, the timeline of a value across ports, sightings, and watchlists.

Every read goes through the sharing rule: a report through `Report.objects.visible_to`, an
indicator through `Indicator.objects.visible_to` (the rule of its report), so a match in a
report the caller may not see is never returned or counted, and an indicator one may not see
is a 404 exactly like a missing one. Every write is one of `port2port.indicators.actions`.
The caller is `request.auth` (see port2port/api.py). Mounted at the root of /api/v1, since its
paths live under /reports, /indicators and /watches.
"""

import csv
import io
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from port2port.api import field_message, problem_response
from port2port.organisations.models import Organisation
from port2port.reports.api import get_editable, get_visible, port_named, record_read
from port2port.reports.schemas import MAX_ID

from . import actions, correlation
from .actions import MAX_BATCH, NewIndicator
from .models import Indicator, Sighting, Watch, WatchHit
from .schemas import (
    CorrelationOut, HitOut, ImportIn, ImportOut, IndicatorKind, InterestOut, SearchFilters, SearchOut,
    SightingIn, SightingOut, SightingsOut, TimelineFilters, TimelineOut, WatchIn, WatchOut,
)
from .types import REGISTRY, IndicatorError, normalise

router = Router()

# A bulk import may be larger than the 2 MB the rest of the API accepts: 10,000 rows with
# comments run to a few megabytes. The row limit is the real one; this only bounds memory.
IMPORT_MAX_BYTES = 8 * 2**20
MAX_LISTED = 500


# ---------------------------------------------------------------------------------------------
# Finding indicators and watches: through the sharing rule, always
# ---------------------------------------------------------------------------------------------


def get_visible_indicator(request, indicator_id: int) -> Indicator:
    """The indicator if the caller may see its report; otherwise 404, as for a missing id."""
    visible = Indicator.objects.visible_to(request.auth.viewer).select_related("report")
    indicator = visible.filter(pk=indicator_id).first() if 0 < indicator_id <= MAX_ID else None
    if indicator is None:
        raise Http404
    return indicator


def own_watches(request):
    """The watches of the caller's organisations (of the key's organisation, for a key)."""
    return Watch.objects.filter(organisation_id__in=request.auth.viewer.org_ids).select_related("organisation")


def watching_organisation(request, requested_id: int | None) -> Organisation:
    """The organisation a new watch is for: the one asked for, which must be the caller's (the
    key's, for a key), or the caller's only one."""
    org_ids = request.auth.viewer.org_ids
    if not org_ids:
        raise PermissionDenied(_("You are not an active member of any organisation."))
    if requested_id is None and len(org_ids) > 1:
        raise ValidationError({"organisation": _("You belong to several organisations: say which one watches this value.")})
    org_id = requested_id if requested_id is not None else next(iter(org_ids))
    if org_id not in org_ids:
        raise ValidationError({"organisation": _("You cannot watch values for this organisation.")})
    return Organisation.objects.get(pk=org_id)


# ---------------------------------------------------------------------------------------------
# Bulk import: a JSON document or a CSV file, read and checked before the action runs
# ---------------------------------------------------------------------------------------------


class BadImport(Exception):
    """An import body that cannot be read at all (answered 400, 413 or 415, naming `body`)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message

    def response(self):
        return problem_response(self.status, self.message, [{"field": "body", "message": self.message}])


def _too_many_rows() -> BadImport:
    return BadImport(413, _("Send at most %(n)d indicators at a time.") % {"n": MAX_BATCH})


def read_import_body(request) -> bytes:
    if int(request.META.get("CONTENT_LENGTH") or 0) > IMPORT_MAX_BYTES:
        raise BadImport(413, _("The request is larger than the server accepts."))
    # Read past Django's 2 MB check on request.body; bounded by IMPORT_MAX_BYTES above.
    return request.read(IMPORT_MAX_BYTES + 1)


def rows_from_json(data: bytes):
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise BadImport(400, _("The request body is not valid JSON.")) from None
    rows = document.get("indicators") if isinstance(document, dict) else None
    if isinstance(rows, list) and len(rows) > MAX_BATCH:
        raise _too_many_rows()
    return document


def rows_from_csv(data: bytes) -> dict:
    """A CSV file with the header kind,value,comment (comment optional), as a JSON document."""
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True)
        header = [name.strip().lower() for name in next(reader, [])]
        if "kind" not in header or "value" not in header or set(header) - {"kind", "value", "comment"}:
            raise BadImport(400, _("The CSV file must start with the header row kind,value,comment."))
        rows = [cells for cells in reader if any(cell.strip() for cell in cells)]  # blank lines skipped
    except UnicodeDecodeError:
        raise BadImport(400, _("The CSV file is not UTF-8 text.")) from None
    except csv.Error as error:
        raise BadImport(400, _("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    if len(rows) > MAX_BATCH:
        raise _too_many_rows()
    too_wide = [{"field": f"indicators.{number}", "message": _("This row has more cells than the header.")}
                for number, cells in enumerate(rows) if len(cells) > len(header)]
    if too_wide:
        raise NinjaValidationError(too_wide)
    return {"indicators": [dict(zip(header, cells)) for cells in rows]}


def import_rows(request) -> list[NewIndicator]:
    """The rows of the request as the action's items; a bad row is a 422 naming
    `indicators.<n>.<field>` (rows counted from 0, a CSV header not included)."""
    data = read_import_body(request)
    if request.content_type == "text/csv":
        document = rows_from_csv(data)
    elif request.content_type in ("application/json", ""):
        document = rows_from_json(data)
    else:
        raise BadImport(415, _("Send the indicators as application/json or as text/csv."))
    try:
        payload = ImportIn.model_validate(document)
    except PydanticValidationError as error:
        raise NinjaValidationError(_row_errors(error)) from None
    return [NewIndicator(kind=row.kind.value, raw=row.value, comment=row.comment) for row in payload.indicators]


def _row_errors(error: PydanticValidationError) -> list[dict]:
    # Row numbers kept, unlike elsewhere in the API: in a list of 10,000 the row is what one fixes.
    errors = []
    for detail in error.errors(include_url=False):
        field = ".".join(str(part) for part in detail["loc"]) or "body"
        entry = {"field": field, "message": field_message(detail)}
        if entry not in errors:
            errors.append(entry)
    return errors


# ---------------------------------------------------------------------------------------------
# A report's indicators
# ---------------------------------------------------------------------------------------------


@router.get("/reports/{int:report_id}/indicators", response=list[CorrelationOut],
            summary="A report's indicators, each with the other reports you may see that hold it")
def report_indicators(request, report_id: int, include_common: bool = False):
    """Exact matches, and for plates and vessel names likely misreads (`fuzzy`). A value held by
    more reports than the threshold is `common` and its matches are left out unless
    `include_common`; values on a warning list (`benign`) are always left out."""
    report = get_visible(request, report_id)
    record_read(request, report, "api:indicators")
    return correlation.correlate(report, request.auth.viewer, include_common=include_common)


def _inline_schema(model) -> dict:
    """The model's JSON schema with its definitions written in place: this body is documented
    by hand (it is JSON or CSV), so ninja does not list the model among the components."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        return [resolve(value) for value in node] if isinstance(node, list) else node

    return resolve(schema)


IMPORT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _inline_schema(ImportIn)},
        "text/csv": {"schema": {"type": "string", "example": "kind,value,comment\ncontainer,MSKU 123456-5,reefer\n"}},
    },
}


_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
IMPORT_PROBLEMS = {
    400: {"description": "The body cannot be read (not JSON, not UTF-8, no CSV header).", "content": _PROBLEM},
    413: {"description": "More than 10,000 rows, or a body over 8 MB. Nothing is saved.", "content": _PROBLEM},
    415: {"description": "Neither application/json nor text/csv.", "content": _PROBLEM},
}


@router.post("/reports/{int:report_id}/indicators", response={201: ImportOut},
             summary="Add indicators to a report: JSON or CSV, all or nothing",
             openapi_extra={"requestBody": IMPORT_BODY, "responses": IMPORT_PROBLEMS})
def import_indicators(request, report_id: int):
    """Up to 10,000 rows in one transaction: if one row is bad, none is saved and every bad row
    is named (`indicators.<n>.kind`, `indicators.<n>.value`, rows counted from 0). A CSV file
    starts with the header row `kind,value,comment`. More rows than the limit is a 413."""
    report = get_editable(request, report_id)
    try:
        items = import_rows(request)
    except BadImport as error:
        return error.response()
    added = actions.add_indicators(report, acting_user=request.auth.user, items=items, ip=request.auth.ip)
    return Status(201, {"added": len(added), "indicators": added})


@router.delete("/reports/{int:report_id}/indicators/{int:indicator_id}", response={204: None},
               summary="Take an indicator off a report")
def remove_indicator(request, report_id: int, indicator_id: int):
    report = get_editable(request, report_id)
    indicator = report.indicators.filter(pk=indicator_id).first() if 0 < indicator_id <= MAX_ID else None
    if indicator is None:
        raise Http404
    actions.remove_indicator(indicator, acting_user=request.auth.user, ip=request.auth.ip)
    return Status(204, None)


# ---------------------------------------------------------------------------------------------
# Search and timeline
# ---------------------------------------------------------------------------------------------


def normalised_as(kind: str | None, raw: str) -> list[tuple[str, object]]:
    """(kind, normalised) for the kind asked for, or for every kind that accepts the value.
    A value no kind accepts is a 422 naming `value`."""
    if kind:
        try:
            return [(kind, normalise(kind, raw))]
        except IndicatorError as error:
            raise ValidationError({"value": str(error.message)}) from None
    found = []
    for each in REGISTRY:
        try:
            found.append((each, normalise(each, raw)))
        except IndicatorError:
            continue
    if not found:
        raise ValidationError({"value": _("No kind of indicator accepts this value.")})
    return found


@router.get("/indicators/search", response=SearchOut, summary="Find a value in the reports you may see")
def search_indicators(request, filters: Query[SearchFilters]):
    """The value is normalised first (with `kind`, or as every kind that accepts it), so
    "MSKU 123456-5" finds MSKU1234565. With `fuzzy`, near matches too, marked `fuzzy`, as on
    the search page: plates, vessel names and seals with misread characters (O/0, I/1, B/8 …),
    containers with another check digit or none, company names spaced otherwise."""
    viewer = request.auth.viewer
    searched = normalised_as(filters.kind.value if filters.kind else None, filters.value)
    results, seen = [], set()
    for kind, found in searched:
        lookups = [(found.value, False)]
        if filters.fuzzy and found.fuzzy_key:
            lookups.append((found.fuzzy_key, True))
        for value, fuzzy in lookups:
            for match in correlation.search(viewer, kind=kind, value=value, fuzzy=fuzzy, limit=filters.limit):
                if match.pk not in seen:
                    seen.add(match.pk)
                    match.fuzzy = fuzzy and match.value != found.value  # read by SearchHitOut
                    results.append(match)
    results.sort(key=lambda match: (match.report.occurred_at, match.pk), reverse=True)
    return {"searched": [{"kind": kind, "value": found.value, "display": found.display} for kind, found in searched],
            "results": results[: filters.limit]}


@router.get("/indicators/{kind}/{path:value}/timeline", response=TimelineOut,
            summary="A value's path across ports: every report you may see that holds it, oldest first")
def value_timeline(request, kind: IndicatorKind, value: str, filters: Query[TimelineFilters]):
    [(kind, found)] = normalised_as(kind.value, value)
    steps = correlation.timeline(request.auth.viewer, kind, found.value, limit=filters.limit)
    return {"kind": kind, "value": found.value, "display": found.display, "steps": steps}


# ---------------------------------------------------------------------------------------------
# Sightings
# ---------------------------------------------------------------------------------------------


@router.get("/indicators/{int:indicator_id}/sightings", response=SightingsOut,
            summary="Sightings of an indicator: seen elsewhere, false positive, expired")
def list_sightings(request, indicator_id: int):
    indicator = get_visible_indicator(request, indicator_id)
    record_read(request, indicator.report, "api:sightings")
    sightings = Sighting.objects.visible_to(request.auth.viewer).filter(indicator=indicator)
    return {
        "counts": [{"port": row["port__locode"], "kind": row["kind"], "count": row["n"]} for row in sightings.per_port()],
        "items": sightings.select_related("port", "organisation"),
    }


@router.post("/indicators/{int:indicator_id}/sightings", response={201: SightingOut},
             summary="Say of an indicator: seen at my port too, a false positive, or expired")
def add_sighting(request, indicator_id: int, payload: SightingIn):
    indicator = get_visible_indicator(request, indicator_id)
    sighting = actions.record_sighting(
        indicator, acting_user=request.auth.user, kind=payload.kind, seen_at=payload.seen_at,
        port=port_named(payload.port), place=payload.place, ip=request.auth.ip,
        # A key speaks for its own organisation, whatever else its maker belongs to.
        organisation=request.auth.api_key.organisation if request.auth.api_key else None,
    )
    return Status(201, Sighting.objects.select_related("port", "organisation").get(pk=sighting.pk))


# ---------------------------------------------------------------------------------------------
# Watchlists and deconfliction
# ---------------------------------------------------------------------------------------------


@router.get("/watches", response=list[WatchOut], summary="The values your organisations watch for")
def list_watches(request):
    return own_watches(request).order_by("-is_active", "kind", "value")


@router.post("/watches", response={201: WatchOut}, summary="Watch for a value across the network")
def create_watch(request, payload: WatchIn):
    """A match in a report your organisation may see is a hit (GET /watches/hits). A match in a
    report it may not see tells that report's owner only that another organisation has an
    interest in the value; you learn nothing of it."""
    organisation = watching_organisation(request, payload.organisation)
    watch = actions.create_watch(acting_user=request.auth.user, organisation=organisation, kind=payload.kind.value,
                                 raw=payload.value, label=payload.label, ip=request.auth.ip)
    return Status(201, own_watches(request).get(pk=watch.pk))


@router.get("/watches/hits", response=list[HitOut], summary="Your watched values found in reports you may see")
def list_hits(request):
    """Decided now: a match counts while your organisation and you may see its report."""
    return WatchHit.objects.hits_for(request.auth.viewer)[:MAX_LISTED]


@router.get("/watches/interest", response=list[InterestOut],
            summary="Values of your reports that another organisation watches for")
def list_interest(request):
    """On reports you may edit: another organisation, named so that you can share with it,
    looks for one of their values and may not see the report. Nothing else of its watch is said."""
    return WatchHit.objects.interest_notices_for(request.auth.viewer)[:MAX_LISTED]


@router.delete("/watches/{int:watch_id}", response={204: None}, summary="Stop watching a value")
def stop_watch(request, watch_id: int):
    watch = own_watches(request).filter(pk=watch_id, is_active=True).first() if 0 < watch_id <= MAX_ID else None
    if watch is None:
        raise Http404
    actions.stop_watch(watch, acting_user=request.auth.user, ip=request.auth.ip)
    return Status(204, None)
