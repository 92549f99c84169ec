"""The quick ways through ingestion agree with the careful ways they stand in for.

An event is first checked by one expression (`_plainly_valid`) and its payload written by
pydantic-core (`_plain_json_text`); a JSON body is first read whole by pydantic-core's parser.
Each quick way either gives the careful way's result or steps aside; it must never let through
what the careful way refuses. Hypothesis looks for a case where it does.
"""

import dataclasses
import json
import math
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings, strategies as st

from port2port.sensors.adapters.base import BatchError, _whole_json_batch, decode_utf8, iter_json
from port2port.sensors.adapters.native import _careful, _well_formed
from port2port.sensors.events import (
    MAX_CLOCK_SKEW, MAX_LENGTHS, EventError, EventIn, EventKind, _checked_raw, _errors, _plain_json_text, _plainly_valid, max_age, validate,
)

NOW = datetime(2026, 6, 3, 22, 0, tzinfo=UTC)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values at and beyond every limit: NaN, infinities, bools, whole numbers, text for numbers.
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 30_000),
                    st.booleans(), st.sampled_from([-90.0, 90.0, -180.0, 180.0, -500.0, 20_000.0, 0.0, 1.0]),
                    st.just("51.2"))
texts = st.one_of(st.text(max_size=120), st.sampled_from(["", " ", "a\x00b", "x" * 50, "x" * 51, "x" * 101]),
                  st.none(), st.integers())
offsets = st.sampled_from([None, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
times = st.builds(lambda moment, tz: moment.replace(tzinfo=tz),
                  st.datetimes(min_value=datetime(2026, 4, 1), max_value=datetime(2026, 6, 5)), offsets)
kinds = st.one_of(st.sampled_from(EventKind.values), st.text(max_size=12), st.none(), st.integers())
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
payloads = st.one_of(st.dictionaries(st.text(max_size=8), json_values, max_size=6),
                     st.builds(lambda when: {"when": when}, st.datetimes()),
                     st.builds(lambda items: {"tags": items}, st.sets(st.integers(), max_size=3)),
                     st.dictionaries(st.integers(), st.integers(), min_size=1, max_size=2),
                     st.lists(st.integers(), max_size=2), st.text(max_size=5))



def usual_event(**changes) -> EventIn:
    """A drone detection that passes every check, with `changes`."""
    event = EventIn(external_id="dd-1", kind="drone_detected", occurred_at=NOW - timedelta(minutes=3),
                    latitude=51.27, longitude=4.33, altitude_m=80.0, confidence=0.9,
                    drone_serial="1581F6BHK2291047RZ3M", drone_model="DJI Mavic 3", rf_band="5.8 GHz",
                    track_id="T-7", raw={"id": "dd-1"})
    return dataclasses.replace(event, **changes)


FIELD_VALUES = {
    "external_id": texts, "kind": kinds, "occurred_at": st.one_of(times, st.none(), st.text(max_size=5)),
    "latitude": numbers, "longitude": numbers, "altitude_m": numbers, "confidence": numbers, "zone": texts,
    "drone_serial": texts, "drone_model": texts, "rf_band": texts, "track_id": texts, "badge_id": texts,
    "operator_id": texts, "raw": payloads,
}
# The usual event with up to three fields changed: near the boundary, where a quick check
# that is too generous would show (random values in every field would almost never pass it).
events = st.lists(st.sampled_from(sorted(FIELD_VALUES)), max_size=3, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({name: FIELD_VALUES[name] for name in names})).map(
    lambda changes: usual_event(**changes))


@SETTINGS
@given(events)
def test_an_event_the_quick_check_passes_has_no_error_in_the_careful_checks(event):
    oldest = NOW - max_age()
    if _plainly_valid(event, NOW + MAX_CLOCK_SKEW, oldest):
        errors, _raw_json = _errors(event, NOW, oldest)
        assert {field: error for field, error in errors.items() if field != "raw"} == {}


@SETTINGS
@given(payloads)
def test_a_payload_the_quick_writer_takes_is_one_the_careful_writer_takes_alike(raw):
    text = _plain_json_text(raw)
    errors, careful_text = _checked_raw(raw)
    if text:
        assert errors == {}
        assert json.loads(text) == json.loads(careful_text)


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_the_quick_writer_takes_every_plain_json_object(raw):
    if not _checked_raw(raw)[0] and "\\u0000" not in _checked_raw(raw)[1]:
        assert _plain_json_text(raw)


def test_the_quick_writer_steps_aside_for_what_is_not_plain_json():
    for raw in ({"alt": math.nan}, {"alt": math.inf}, {"when": datetime(2026, 6, 3)}, {"tags": {1, 2}},
                {1: "one"}, {"note": "a\x00b"}, ["not", "an", "object"], {"lone": "\ud800"}):
        assert _plain_json_text(raw) == ""


def test_the_quick_check_looks_at_every_text_field():
    for field in MAX_LENGTHS:
        for value in ("a\x00b", "x" * (MAX_LENGTHS[field] + 1), 7):
            assert not _plainly_valid(usual_event(**{field: value}), NOW + MAX_CLOCK_SKEW, NOW - max_age()), field


def test_a_valid_event_comes_out_the_same_either_way():
    event = usual_event(raw={"id": "dd-1", "drone": {"serial": "1581F6BHK2291047RZ3M"}, "note": "été"})
    assert _plainly_valid(event, NOW + MAX_CLOCK_SKEW, NOW - max_age())
    checked = validate(event, now=NOW)
    assert json.loads(checked.raw_json) == {"id": "dd-1", "drone": {"serial": "1581F6BHK2291047RZ3M"}, "note": "été"}
    assert "été" in checked.raw_json  # written as UTF-8 text, not \u escapes, as the careful writer does
    assert checked.occurred_at.tzinfo is timezone.utc


# --- Reading a JSON body --------------------------------------------------------------------

def careful_records(body: bytes):
    """What the element-by-element reading makes of the body, or the BatchError it raises."""
    try:
        return list(iter_json(decode_utf8(body)))
    except BatchError as error:
        return error


bodies = st.one_of(
    st.lists(json_values, max_size=5).map(lambda items: json.dumps(items).encode()),
    st.dictionaries(st.text(max_size=6), json_values, max_size=4).map(lambda item: json.dumps(item).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=40),
    st.sampled_from([b"[NaN]", b"[Infinity]", b"\xef\xbb\xbf[1]", b"[1] x", b'["\\ud800"]', b"[" * 300 + b"]" * 300,
                     b"[1e400]", b" [ ] ", b"{}", b"", b"[{\"a\":1,\"a\":2}]", b"[123456789012345678901234567890]"]),
)


@SETTINGS
@given(bodies)
def test_a_body_read_whole_gives_the_records_the_careful_reading_gives(body):
    whole = _whole_json_batch(body)
    if whole is not None:
        careful = careful_records(body)
        assert not isinstance(careful, BatchError)
        # NaN is never read whole, so plain equality holds (inf from 1e400 equals itself).
        assert whole == careful


# --- The native adapter's own type check ------------------------------------------------------

native_values = st.one_of(json_values, st.sampled_from([math.nan, math.inf, 51.2, 4.3, 0.9, "drone_detected",
                                                        (NOW - timedelta(minutes=2)).isoformat()]))
native_records = st.fixed_dictionaries(
    {"id": st.one_of(st.text(min_size=1, max_size=8), st.integers()), "kind": st.just("drone_detected"),
     "time": st.just((NOW - timedelta(minutes=2)).isoformat())},
    optional={name: native_values for name in ("lat", "lon", "alt", "confidence", "zone", "operator_id", "badge_id")}
    | {"drone": st.dictionaries(st.sampled_from(["serial", "model", "rf_band", "track_id"]), native_values, max_size=4),
       "extra": st.one_of(st.none(), st.dictionaries(st.text(max_size=4), native_values, max_size=3))})


def outcome(event):
    try:
        checked = validate(event, now=NOW)
    except EventError as error:
        return {field: str(message) for field, message in error.errors.items()}
    return json.loads(checked.raw_json)


@SETTINGS
@given(native_records)
@example({"id": "a", "kind": "drone_detected", "time": (NOW - timedelta(minutes=2)).isoformat(), "extra": {"x": math.nan}})
@example({"id": 7, "kind": "drone_detected", "time": (NOW - timedelta(minutes=2)).isoformat(), "lat": 51.2, "lon": 4.3,
          "drone": {"serial": "1581F6BHK2291047RZ3M", "track_id": 12}, "extra": {"note": "été", "n": [1, 2.5, None]}})
def test_a_record_the_native_adapter_vouches_for_is_checked_as_if_it_had_not(record):
    event = _well_formed(record)
    if event is not None:
        assert outcome(dataclasses.replace(event)) == outcome(dataclasses.replace(event, raw_is_plain=False))


@SETTINGS
@given(native_records)
@example({"id": 7, "kind": "drone_detected", "time": (NOW - timedelta(minutes=2)).isoformat(), "lat": 51, "lon": 4.3,
          "alt": 80, "confidence": 0.5, "zone": " Quay ", "operator_id": "BEL-OP", "badge_id": 9,
          "drone": {"serial": "S", "model": "M", "rf_band": "B", "track_id": 12}})
def test_the_native_adapter_reads_a_record_it_vouches_for_as_the_careful_reading_does(record):
    event = _well_formed(record)
    if event is not None:
        assert event == _careful(record)
