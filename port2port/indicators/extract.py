"""Paste to extract: find candidate indicators in pasted text (an e-mail, a customs note, a
police summary) for a person to confirm before they join a report.

Each type's regexes propose raw spans; the type's normaliser decides. Candidates never
overlap (the more confident, then the longer, span wins: a URL keeps its domain inside it),
and a value found twice is proposed once. Values with warnings are still proposed (a container
number with a wrong check digit is exactly what a report should carry), with less confidence.
"""

import dataclasses
import re

import phonenumbers

from .types import REGISTRY, IndicatorError, Normalised
from .types.domain import FILE_LIKE_TLDS
from .types.person import Person

# Longer pastes are cut: extraction is interactive, and the regexes stay fast on this size.
MAX_TEXT = 100_000
# A flagged value loses this much confidence; below the floor a candidate is not proposed.
FLAG_PENALTY = 0.35
MIN_CONFIDENCE = 0.4

# "Jan JANSSENS (°12/03/1985)", "Marie Dupont, née le 01.02.1990", "John Smith (DOB 1980-05-17)".
_PERSON = re.compile(
    r"(?P<name>\b[A-ZÀ-Ý][\w'À-ÿ-]+(?:\s+[A-ZÀ-Ý][\w'À-ÿ-]+){1,3})\s*[,(]?\s*"
    r"(?:°|\*|geb(?:oren)?(?:\s+op)?\.?|n[ée]e?\s+le|born(?:\s+on)?|DOB:?|date of birth:?)\s*"
    r"(?P<born>\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2})\)?"
)


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A proposed indicator: its kind, where it was found, what it normalises to."""

    kind: str
    raw: str
    start: int
    end: int
    normalised: Normalised
    confidence: float


def extract(text: str) -> list[Candidate]:
    """Candidate indicators in `text`, in the order they appear."""
    if not isinstance(text, str) or not text.strip():
        return []
    text = text[:MAX_TEXT]
    found = [*_regex_candidates(text), *_phone_candidates(text), *_person_candidates(text)]
    kept = [c for c in _without_overlaps(found) if c.confidence >= MIN_CONFIDENCE]
    return sorted(_without_duplicates(kept), key=lambda c: c.start)


def _regex_candidates(text):
    for indicator_type in REGISTRY.values():
        for pattern, confidence in indicator_type.patterns:
            for match in pattern.finditer(text):
                start, end = match.span("v") if "v" in pattern.groupindex else match.span()
                candidate = _candidate(indicator_type.kind, text, start, end, confidence)
                if candidate:
                    yield candidate


def _candidate(kind, text, start, end, confidence, raw=None):
    raw_span = text[start:end]
    try:
        normalised = REGISTRY[kind].normalise(raw if raw is not None else raw_span)
    except IndicatorError:
        return None
    return Candidate(kind, raw_span, start, end, normalised, _confidence(kind, normalised, confidence))


def _confidence(kind, normalised, confidence) -> float:
    if normalised.flags:
        confidence -= FLAG_PENALTY
    if kind == "domain" and normalised.value.rsplit(".", 1)[-1] in FILE_LIKE_TLDS:
        confidence -= FLAG_PENALTY  # 'invoice.zip' is more likely a file than a site
    return round(max(confidence, 0.0), 2)


def _phone_candidates(text):
    # libphonenumber's matcher knows national formats that a regex would not.
    for match in phonenumbers.PhoneNumberMatcher(text, "BE", leniency=phonenumbers.Leniency.VALID):
        candidate = _candidate("phone", text, match.start, match.end, 0.8)
        if candidate:
            yield candidate


def _person_candidates(text):
    for match in _PERSON.finditer(text):
        raw = f"{match.group('name')}; {match.group('born')}"
        candidate = _candidate(Person.kind, text, match.start(), match.end(), 0.6, raw=raw)
        if candidate:
            yield candidate


def _without_overlaps(candidates):
    taken = []
    for candidate in sorted(candidates, key=lambda c: (-c.confidence, -(c.end - c.start), c.start)):
        if all(candidate.end <= other.start or candidate.start >= other.end for other in taken):
            taken.append(candidate)
    return taken


def _without_duplicates(candidates):
    seen = set()
    for candidate in sorted(candidates, key=lambda c: c.start):
        key = (candidate.kind, candidate.normalised.value)
        if key not in seen:
            seen.add(key)
            yield candidate
