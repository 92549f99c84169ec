"""Access-control events (badge readers, door contacts), as JSON records or as CSV.

Access-control systems share no export format, so this one is ours, kept close to what their
exports hold: `id`, `time` (ISO 8601 with a UTC offset), `door`, `reader`, `badge_id`, `event`
and `reason`. The door (else the reader) is the zone. Other columns or keys are kept in `raw`.

`event` says what happened: access_denied -> badge_denied, tailgating -> tailgating,
door_forced -> door_forced, door_held -> other. Common spellings are accepted ('Access Denied',
'forced open', 'door-held-open'). Granted access is not an event here: sending every entry of
every worker would put a register of people's movements on a platform meant for incidents.

CSV is UTF-8 (a byte order mark is tolerated) with a header row naming the columns, separated
by commas, or by semicolons as spreadsheets in many European locales write them.
"""

import csv
import io
import re

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..events import EventIn, EventKind
from .base import CSV, JSON, NDJSON, Adapter, BatchError, Fields, decode_utf8, require_object

REQUIRED_COLUMNS = ("id", "time", "event")
KNOWN_COLUMNS = ("id", "time", "door", "reader", "badge_id", "event", "reason")

EVENT_KINDS = {
    "access_denied": EventKind.BADGE_DENIED,
    "tailgating": EventKind.TAILGATING,
    "door_forced": EventKind.DOOR_FORCED,
    "door_held": EventKind.OTHER,
}
ALIASES = {
    "denied": "access_denied", "badge_denied": "access_denied", "access_refused": "access_denied",
    "tailgate": "tailgating", "tailgating_detected": "tailgating",
    "forced": "door_forced", "forced_open": "door_forced", "door_forced_open": "door_forced",
    "held": "door_held", "held_open": "door_held", "door_held_open": "door_held",
}
_SEPARATORS = re.compile(r"[\s\-]+")


class AccessControlAdapter(Adapter):
    name = "access_control"
    label = _("Access control (JSON or CSV)")
    media_types = (JSON, NDJSON, CSV)

    def iter_records(self, body: bytes, media_type: str):
        if media_type == CSV:
            return iter_csv(decode_utf8(body))
        return super().iter_records(body, media_type)

    def convert(self, record) -> EventIn:
        fields = Fields(require_object(record))
        if None in record:
            fields.fail("row", _("has more values than the header has columns"))
        door, reader = fields.text("door", numbers=True), fields.text("reader", numbers=True)
        event = EventIn(
            external_id=fields.text("id", required=True, numbers=True),
            kind=_kind(fields),
            occurred_at=fields.iso_time("time"),
            zone=door or reader,
            badge_id=fields.text("badge_id", numbers=True),
            # Only the columns we read: exports often add the cardholder's name, which has no
            # place in a shared platform (the badge number itself is hashed by the action).
            raw={key: value for key, value in record.items() if key in KNOWN_COLUMNS},
        )
        fields.raise_if_failed()
        return event


def _kind(fields) -> str:
    name = _SEPARATORS.sub("_", fields.text("event", required=True).lower())
    name = ALIASES.get(name, name)
    if name in EVENT_KINDS:
        return EVENT_KINDS[name].value
    if name:
        fields.fail("event", format_lazy(
            _("must be one of: {events} (granted access is not sent)"), events=", ".join(EVENT_KINDS)))
    return EventKind.OTHER.value


def iter_csv(text: str):
    """Rows of a CSV body as dicts keyed by the header's (trimmed, lower-case) column names;
    values past the header's columns go under the key None, which convert() reports."""
    stream = io.StringIO(text, newline="")
    first_line = stream.readline()
    stream.seek(0)
    rows = csv.reader(stream, delimiter=";" if first_line.count(";") > first_line.count(",") else ",")
    try:
        header = [name.strip().lower() for name in next(rows, [])]
        _check_header(header)
        for row in rows:
            if any(cell.strip() for cell in row):
                yield _record(header, row)
    except csv.Error as error:
        raise BatchError(format_lazy(
            _("The CSV cannot be read at line {line}: {error}."), line=rows.line_num, error=error)) from None


def _record(header, row):
    record = dict(zip(header, row))
    record.update({name: None for name in header[len(row):]})
    if len(row) > len(header):
        record[None] = row[len(header):]
    return record


def _check_header(header):
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise BatchError(format_lazy(
            _("The CSV header row must name the columns {required} (also known: {known}); missing: {missing}."),
            required=", ".join(REQUIRED_COLUMNS), known=", ".join(KNOWN_COLUMNS), missing=", ".join(missing)))
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise BatchError(format_lazy(
            _("The CSV header row names a column twice: {names}."), names=", ".join(duplicates)))


ADAPTER = AccessControlAdapter()
