"""Every normaliser gives, for thousands of inputs, exactly what it gave before its speed work.

The expected outputs are frozen in fixtures/normaliser_outputs.json, written by
fixtures/make_normaliser_outputs.py from the code as it was before the normalisers were made
faster. Regenerate that file only for an intended change of behaviour, never to make this pass.
A result is compared whole: value, display, each flag (rendered in every language, and whether
it is still translated lazily), suggestion, fuzzy_key and extra (by repr, so types count too);
a refusal is compared by its message.
"""

import json
from pathlib import Path

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from port2port.indicators.types import REGISTRY, IndicatorError

FIXTURE = Path(__file__).parent / "fixtures" / "normaliser_outputs.json"
LANGUAGES = ("en", "nl", "fr", "de")
# A fixed pepper: the default one derives from SECRET_KEY, which differs between machines.
PERSON_PEPPER = b"fixture pepper"


def _rendered(text) -> dict:
    """A translatable text as every language shows it, and whether it is still lazy."""
    shown = {}
    for language in LANGUAGES:
        with override(language):
            shown[language] = str(text)
    return {"lazy": isinstance(text, Promise), "text": shown}


def describe(kind: str, raw: str) -> dict:
    """What normalising `raw` as `kind` gives, in a form that JSON keeps exactly."""
    options = {"pepper": PERSON_PEPPER} if kind == "person" else {}
    try:
        result = REGISTRY[kind].normalise(raw, **options)
    except IndicatorError as error:
        return {"error": _rendered(error.message)}
    return {
        "value": result.value, "display": result.display,
        "flags": [_rendered(flag) for flag in result.flags], "flags_type": type(result.flags).__name__,
        "suggestion": result.suggestion, "fuzzy_key": result.fuzzy_key, "extra": repr(result.extra),
    }


def _cases() -> list[dict]:
    """The recorded cases, with their messages put back from the file's table of messages
    (kept once there: most inputs share a handful of refusals)."""
    stored = json.loads(FIXTURE.read_text(encoding="ascii"))
    messages = stored["messages"]
    cases = []
    for kind, raw, expected in stored["cases"]:
        if "error" in expected:
            expected["error"] = messages[expected["error"]]
        else:
            expected["flags"] = [messages[index] for index in expected["flags"]]
        cases.append({"kind": kind, "raw": raw, "expected": expected})
    return cases


def test_the_fixture_covers_every_kind_with_many_inputs():
    counts = {}
    for case in _cases():
        counts[case["kind"]] = counts.get(case["kind"], 0) + 1
    assert set(counts) == set(REGISTRY)
    assert min(counts.values()) >= 100 and counts["phone"] >= 3000


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_normalising_gives_the_frozen_output_for_every_recorded_input(kind):
    differences = []
    for case in _cases():
        if case["kind"] == kind and (got := describe(kind, case["raw"])) != case["expected"]:
            differences.append((case["raw"], case["expected"], got))
    assert not differences, f"{len(differences)} differ, first: {differences[:3]}"
