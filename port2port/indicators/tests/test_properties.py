"""Properties every normaliser keeps, on any input: only IndicatorError escapes, and
normalising a result's value or display again gives the same value."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from port2port.indicators.extract import extract
from port2port.indicators.types import REGISTRY, IndicatorError

# Strings that look like each kind, so the idempotence property sees real values, not only
# refusals. Random text reaches the error paths.
_LOOKALIKES = {
    "container": st.from_regex(r"[A-Za-z]{3}[UJZRujzr][ -]?\d{6}[ -]?\d?", fullmatch=True),
    "seal": st.from_regex(r"[A-Z0-9 -]{3,22}", fullmatch=True),
    "imo": st.from_regex(r"(IMO ?)?\d{7}", fullmatch=True),
    "mmsi": st.from_regex(r"(MMSI )?\d{9}", fullmatch=True),
    "eni": st.from_regex(r"(ENI )?\d{8}", fullmatch=True),
    "vessel_name": st.text(min_size=1, max_size=40),
    "call_sign": st.from_regex(r"[A-Za-z0-9 ]{3,9}", fullmatch=True),
    "plate": st.from_regex(r"(\(?[A-Z]{1,2}\)?:? )?[A-Z0-9]{1,3}[- ]?[A-Z0-9]{1,3}[- ]?[A-Z0-9]{0,4}", fullmatch=True),
    "company": st.one_of(st.text(max_size=40), st.from_regex(r"[A-Za-z ]{0,20},? ?(BE ?)?[01]\d{3}\.?\d{3}\.?\d{3}", fullmatch=True)),
    "person": st.from_regex(r"[A-Za-zé ,]{1,30}; (19[0-9]{2}-0[1-9]-[0-2][0-9]|[0-2][0-9]/0[1-9]/20[01][0-9])", fullmatch=True),
    "phone": st.from_regex(r"(\+|00)?[0-9 ./()-]{6,20}", fullmatch=True),
    "email": st.from_regex(r"[A-Za-z0-9._%+-]{1,20}(@|\[@\])[A-Za-z0-9-]{1,20}(\.|\[\.\])[A-Za-z]{2,6}", fullmatch=True),
    "ip": st.one_of(st.ip_addresses().map(str), st.from_regex(r"\d{1,3}(\.\d{1,3}){3}/\d{1,2}", fullmatch=True)),
    "domain": st.from_regex(r"([A-Za-z0-9-]{1,12}(\.|\[\.\]))+[A-Za-z]{2,8}\.?", fullmatch=True),
    "url": st.from_regex(r"(h[tx]{2}ps?|ftp)://[A-Za-z0-9.-]{1,20}(:\d{1,5})?(/[A-Za-z0-9/?=&%#._-]{0,20})?", fullmatch=True),
    "file_hash": st.from_regex(r"(sha256:)?([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})", fullmatch=True),
    "drone_serial": st.from_regex(r"[0-9A-Z]{4}[0-9A-G][0-9A-Z]{1,16}", fullmatch=True),
    "uas_operator": st.from_regex(r"[A-Za-z]{3}[0-9a-zA-Z]{13}(-?[0-9a-z]{3})?", fullmatch=True),
    "text": st.text(max_size=60),
}
_ANY_INPUT = st.one_of(st.text(max_size=80), st.text(alphabet=st.characters(codec="ascii"), max_size=40))
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _normalise_or_none(kind, raw):
    try:
        return REGISTRY[kind].normalise(raw)
    except IndicatorError:
        return None


def test_every_registered_kind_has_a_lookalike_strategy():
    assert set(_LOOKALIKES) == set(REGISTRY)


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_normalising_never_crashes_on_any_string(kind):
    @_SETTINGS
    @given(st.one_of(_ANY_INPUT, _LOOKALIKES[kind]))
    def check(raw):
        _normalise_or_none(kind, raw)  # anything but IndicatorError fails the test

    check()


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_normalising_is_idempotent(kind):
    @_SETTINGS
    @given(_LOOKALIKES[kind])
    def check(raw):
        first = _normalise_or_none(kind, raw)
        if first is None:
            return
        assert REGISTRY[kind].normalise(first.display).value == first.value
        assert REGISTRY[kind].normalise(first.value).value == first.value

    check()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_extraction_never_crashes_on_any_text(text):
    for candidate in extract(text):
        assert text[candidate.start:candidate.end] == candidate.raw


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["CSQU3054383", "IMO 9074729", "hxxp://a[.]be/x", "1-ABC-234", "10.0.0.1", " ", "\n", "seal", "°", "(", "@", "[.]", "BE", "0428.759.497"]), max_size=30))
def test_extraction_never_crashes_on_indicator_fragments(parts):
    extract("".join(parts))
