"""What every source format shares: splitting a body into records, and reading typed fields.

A body is split lazily and never past `MAX_BATCH + 1` records, so an oversized batch costs one
record more than the limit, not the whole body. The exception is the usual case, a well-formed
JSON array, which pydantic-core's parser reads whole in a third of the time (the API caps the
body at 12 MB, so at worst that is a few hundredths of a second); anything it refuses is read
again the careful way, which says where the body is wrong.
"""

import io
import json
import re
from datetime import datetime, timezone
from itertools import islice

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pydantic_core import from_json

from ..events import MAX_BATCH, EventError, EventIn

JSON = "application/json"
NDJSON = "application/x-ndjson"
CSV = "text/csv"
XML = "application/xml"
TEXT_XML = "text/xml"
SOAP_XML = "application/soap+xml"


class BatchError(Exception):
    """The body as a whole cannot be read (answered with 400). `message` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class Adapter:
    """One source format. Subclasses set `name`, `label`, `media_types` and implement `convert`;
    formats other than JSON and NDJSON also override `iter_records`."""

    name: str = ""
    label = ""
    media_types: tuple[str, ...] = (JSON, NDJSON)

    def records(self, body: bytes, media_type: str) -> list:
        """The records of a batch, at most MAX_BATCH + 1 of them; BatchError if unreadable."""
        media_type = self.accepted(media_type)
        return list(islice(self.iter_records(body, media_type), MAX_BATCH + 1))

    def iter_records(self, body: bytes, media_type: str):
        if media_type == JSON and (whole := _whole_json_batch(body)) is not None:
            return iter(whole)
        text = decode_utf8(body)
        return iter_ndjson(text) if media_type == NDJSON else iter_json(text)

    def convert(self, record) -> EventIn:
        raise NotImplementedError

    def accepted(self, media_type: str) -> str:
        """The bare media type ('application/json; charset=utf-8' -> 'application/json')."""
        bare = (media_type or "").split(";", 1)[0].strip().lower()
        if bare not in self.media_types:
            raise BatchError(format_lazy(
                _("The Content-Type {given} is not accepted by the {format} format; use one of: {accepted}."),
                given=bare or "(none)", format=self.name, accepted=", ".join(self.media_types)))
        return bare


def _whole_json_batch(body: bytes) -> list | None:
    """The records of a JSON array (or of one JSON object) read at once, or None when the
    parser refuses the body (not JSON, NaN or Infinity, a byte order mark, a lone surrogate,
    nesting past 200 levels): the careful reading then decides what it is."""
    try:
        value = from_json(body, allow_inf_nan=False, cache_strings="keys")
    except ValueError:
        return None
    if type(value) is list:
        return value
    return [value] if type(value) is dict else None


def decode_utf8(body: bytes) -> str:
    """The body as text: UTF-8, with or without a byte order mark."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchError(format_lazy(
            _("The body is not valid UTF-8 (byte {position})."), position=error.start)) from None


def _refuse_constant(name):
    # Python reads NaN and Infinity by default; they are not JSON and PostgreSQL refuses them.
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
_SPACE = re.compile(r"[ \t\n\r]*")


def _decode_at(text, position):
    """One JSON value starting at `position`: (value, end). BatchError if it is not JSON."""
    try:
        return _DECODER.raw_decode(text, position)
    except (ValueError, RecursionError):
        raise BatchError(format_lazy(
            _("The body is not valid JSON near character {position}."), position=position)) from None


def _skip_space(text, position):
    return _SPACE.match(text, position).end()


def iter_json(text: str):
    """The elements of a JSON array, one at a time; a lone JSON object is a batch of one."""
    position = _skip_space(text, 0)
    if text.startswith("{", position):
        value, end = _decode_at(text, position)
        _expect_end(text, end)
        yield value
        return
    if not text.startswith("[", position):
        raise BatchError(_("A JSON array of events is expected (or one event as a JSON object)."))
    yield from _iter_array_items(text, _skip_space(text, position + 1))


def _iter_array_items(text, position):
    if text.startswith("]", position):
        _expect_end(text, position + 1)
        return
    while True:
        value, position = _decode_at(text, position)
        yield value
        position = _skip_space(text, position)
        if text.startswith("]", position):
            _expect_end(text, position + 1)
            return
        if not text.startswith(",", position):
            raise BatchError(format_lazy(
                _("The body is not valid JSON near character {position}: a comma or ] is expected."),
                position=position))
        position = _skip_space(text, position + 1)


def _expect_end(text, position):
    if _skip_space(text, position) != len(text):
        raise BatchError(format_lazy(
            _("The body has more after the JSON value, near character {position}."), position=position))


def iter_ndjson(text: str):
    """One JSON value a line (application/x-ndjson); blank lines are skipped."""
    # StringIO splits on "\n" only; JSON text never holds a raw line break inside a value.
    for number, line in enumerate(io.StringIO(text), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            value, end = _DECODER.raw_decode(line)
        except (ValueError, RecursionError):
            raise BatchError(format_lazy(_("Line {line} is not valid JSON."), line=number)) from None
        if end != len(line):
            raise BatchError(format_lazy(_("Line {line} holds more than one JSON value."), line=number))
        yield value


def parse_iso_time(value) -> datetime:
    """An ISO 8601 date and time with a UTC offset, in UTC. ValueError if it is not one."""
    if not isinstance(value, str):
        raise ValueError("not text")
    moment = datetime.fromisoformat(value.strip())
    if moment.utcoffset() is None:
        raise ValueError("no offset")
    return moment.astimezone(timezone.utc)


ISO_TIME_EXPECTED = _("must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00")


class Fields:
    """Reads typed values out of one record and gathers every problem before raising EventError.

    A key is a name or a path of names into nested objects, ('drone', 'serial'), reported as
    'drone.serial'. Absent and null are the same; empty text counts as absent.
    """

    def __init__(self, record):
        self.record = record
        self.errors: dict = {}

    def fail(self, key, message):
        self.errors.setdefault(_name(key), message)

    def raise_if_failed(self):
        if self.errors:
            raise EventError(self.errors)

    def get(self, key):
        """The value at `key`, or None; a non-object on the way is itself an error."""
        return self._lookup(key)[0]

    def _lookup(self, key):
        """(value, readable): not readable when a non-object on the way was already reported,
        so that a missing value below it is not reported again."""
        path = (key,) if isinstance(key, str) else tuple(key)
        value = self.record
        for depth, part in enumerate(path):
            if value is None:
                return None, True
            if not isinstance(value, dict):
                self.fail(path[:depth], _("must be an object"))
                return None, False
            value = value.get(part)
        return value, True

    def object(self, key) -> dict:
        value = self.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(key, _("must be an object"))
            return {}
        return value

    def text(self, key, *, required=False, numbers=False) -> str:
        """Trimmed text; with `numbers`, a whole number is read as its digits (ids often are)."""
        value, readable = self._lookup(key)
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            self.fail(key, _("must be text"))
            return ""
        value = (value or "").strip()
        if required and readable and not value:
            self.fail(key, _("is required"))
        return value

    def number(self, key, *, required=False, strings=False) -> float | None:
        """A number; with `strings`, numeric text too (some formats write numbers as text)."""
        value, readable = self._lookup(key)
        if value is None or (strings and isinstance(value, str) and not value.strip()):
            if required and readable:
                self.fail(key, _("is required"))
            return None
        if strings and isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                self.fail(key, _("must be a number"))
                return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, _("must be a number"))
            return None
        return float(value)

    def integer(self, key) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, _("must be a whole number"))
            return None
        return value

    def iso_time(self, key, *, required=True) -> datetime | None:
        value, readable = self._lookup(key)
        if value is None or value == "":
            if required and readable:
                self.fail(key, _("is required"))
            return None
        try:
            return parse_iso_time(value)
        except ValueError:
            self.fail(key, ISO_TIME_EXPECTED)
            return None


def _name(key) -> str:
    return key if isinstance(key, str) else ".".join(key)


def require_object(record) -> dict:
    """Each record of a batch must be an object; anything else is that record's error."""
    if not isinstance(record, dict):
        raise EventError({"record": _("must be a JSON object")})
    return record
