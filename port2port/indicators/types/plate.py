"""Licence plate: country and normalised form. Belgian, Dutch, French and German formats are
recognised; other countries are kept as written with their country code. Near matches fold
the usual misreads (O/0, I/1/L, B/8, S/5, Z/2) and ignore the country, since a misread plate
may no longer look like its country's format."""

import re

from django.utils.translation import gettext_lazy as _, gettext_noop

from .base import IndicatorError, IndicatorType, Normalised, clean_input, compact_alnum, fold_misreads, message

# International vehicle codes and ISO codes people write before a plate -> ISO 3166 alpha-2.
_COUNTRY_CODES = {"B": "BE", "BE": "BE", "NL": "NL", "F": "FR", "FR": "FR", "D": "DE", "DE": "DE"}

# Dutch 'sidecodes' (RDW): the order of letter (L) and digit (D) groups. The compact shape
# tells the sidecode; the group lengths give the dashes back.
_NL_SIDECODES = {
    "LLDDDD": (2, 2, 2), "DDDDLL": (2, 2, 2), "DDLLDD": (2, 2, 2), "LLDDLL": (2, 2, 2),
    "LLLLDD": (2, 2, 2), "DDLLLL": (2, 2, 2), "DDLLLD": (2, 3, 1), "DLLLDD": (1, 3, 2),
    "LLDDDL": (2, 3, 1), "LDDDLL": (1, 3, 2), "LLLDDL": (3, 2, 1), "LDDLLL": (1, 2, 3),
    "DLLDDD": (1, 2, 3), "DDDLLD": (3, 2, 1),
}
_GERMAN = re.compile(r"^([A-ZÄÖÜ]{1,3})[- ]+([A-Z]{1,2})[- ]*([0-9]{1,4})([EH]?)$")
# Compact forms, one group for each part between the dashes of the written form.
_BELGIAN_2010 = re.compile(r"([1-9])([A-Z]{3})([0-9]{3})")  # since 2010: 1-ABC-234
_BELGIAN_1973 = re.compile(r"([A-Z]{3})([0-9]{3})")  # 1973-2010: ABC-123
_FRENCH_SIV = re.compile(r"([A-Z]{2})([0-9]{3})([A-Z]{2})")  # SIV, since 2009: AB-123-CD
_COUNTRY_BEFORE_COLON = re.compile(r"^\(?([A-Z]{1,3})\)?\s*:\s*(.+)$")
_COUNTRY_IN_BRACKETS = re.compile(r"^\(([A-Z]{1,3})\)\s*(.+)$")
_COUNTRY_BEFORE_SPACE = re.compile(r"^(B|BE|NL|F|FR|D|DE)\s+(.+)$")
_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[A-Z]")
_NOT_ON_A_PLATE = re.compile(r"[^0-9A-ZÄÖÜ\s.:()-]")
_GERMAN_DISTRICT_SEPARATOR = re.compile(r"[- ]+")


_DIGITS_AND_LETTERS = str.maketrans(dict.fromkeys("0123456789", "D") | dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "L"))


def _shape(compact: str) -> str:
    """'LLDDDD' for 'AB1234': the Dutch sidecode of a compact (A-Z, 0-9 only) plate."""
    return compact.translate(_DIGITS_AND_LETTERS)


def _split(compact: str, lengths) -> str:
    parts, start = [], 0
    for length in lengths:
        parts.append(compact[start:start + length])
        start += length
    return "-".join(parts)


# The country parsers below get the plate as written and its compact_alnum form, worked out
# once by the caller: they are tried in turn on the same text.
def _belgian(text: str, compact: str) -> tuple[str, str] | None:
    match = _BELGIAN_2010.fullmatch(compact) or _BELGIAN_1973.fullmatch(compact)
    return (compact, "-".join(match.groups())) if match else None


def _dutch(text: str, compact: str) -> tuple[str, str] | None:
    lengths = _NL_SIDECODES.get(_shape(compact)) if len(compact) == 6 else None
    return (compact, _split(compact, lengths)) if lengths else None


def _french(text: str, compact: str) -> tuple[str, str] | None:
    match = _FRENCH_SIV.fullmatch(compact)
    return (compact, "-".join(match.groups())) if match else None


def _german(text: str, compact: str) -> tuple[str, str] | None:
    # The district code and the letters cannot be told apart without the separator, so
    # German plates are only recognised when written with one ('B-AB 1234', 'M AB 123').
    match = _GERMAN.match(text.upper().strip())
    if not match:
        return None
    district, letters, digits, suffix = match.groups()
    return f"{district}-{letters}{digits}{suffix}", f"{district}-{letters} {digits}{suffix}"


_PARSERS = {"BE": _belgian, "NL": _dutch, "FR": _french, "DE": _german}


def _explicit_country(text: str) -> tuple[str | None, str]:
    """('BE', '1-ABC-234') for 'BE: 1-ABC-234' or '(B) 1-ABC-234'; (None, text) otherwise."""
    if text.startswith("?:"):  # our own value for a plate of unknown country
        return None, text[2:]
    match = _COUNTRY_BEFORE_COLON.match(text) or _COUNTRY_IN_BRACKETS.match(text)
    if match:
        return _COUNTRY_CODES.get(match.group(1), match.group(1)), match.group(2)
    match = _COUNTRY_BEFORE_SPACE.match(text)
    if match and _PARSERS[_COUNTRY_CODES[match.group(1)]](match.group(2), compact_alnum(match.group(2))):
        return _COUNTRY_CODES[match.group(1)], match.group(2)
    return None, text


class LicencePlate(IndicatorType):
    kind = "plate"
    label = _("Licence plate")
    patterns = (
        (re.compile(r"\b(?P<v>[1-9]-[A-Z]{3}-[0-9]{3})\b"), 0.85),
        (re.compile(r"\b(?P<v>[A-Z]{2}-[0-9]{3}-[A-Z]{2})\b"), 0.85),
        (re.compile(r"\b(?P<v>[A-Z0-9]{1,3}-[A-Z0-9]{1,3}-[A-Z0-9]{1,3})\b"), 0.6),
        (re.compile(r"(?i)\b(?:licen[cs]e plate|plate|number plate|kenteken|nummerplaat|immatriculation|immatricul[ée]e?|plaque|kennzeichen)[\s:.#-]*(?P<v>(?:\(?[A-Z]{1,2}\)?:?\s)?[A-ZÄÖÜ0-9]{1,3}[- ]?[A-Z0-9]{1,4}[- ]?[A-Z0-9]{0,4})\b"), 0.85),
    )

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        country, rest = _explicit_country(text)
        compact = compact_alnum(rest)
        if not 2 <= len(compact) <= 10 or not _DIGIT.search(compact) or not _LETTER.search(compact):
            raise IndicatorError(_("A licence plate has 2 to 10 letters and digits, with at least one of each."))
        if _NOT_ON_A_PLATE.search(rest):
            raise IndicatorError(_("A licence plate holds only letters, digits, spaces and dashes."))
        fuzzy = fold_misreads(compact)
        if country is None:
            return self._guess_country(rest, compact, fuzzy)
        return self._for_country(country, rest, compact, fuzzy)

    @staticmethod
    def _guess_country(rest, compact, fuzzy) -> Normalised:
        for country, parse in _PARSERS.items():
            if parsed := parse(rest, compact):
                return _plate(country, *parsed, fuzzy)
        return Normalised(
            value=f"?:{compact}", display=compact, fuzzy_key=fuzzy,
            flags=(_("The country could not be told from the plate's format."),), extra={"country": None},
        )

    @staticmethod
    def _for_country(country, rest, compact, fuzzy) -> Normalised:
        parse = _PARSERS.get(country)
        if parse and (parsed := parse(rest, compact)):
            return _plate(country, *parsed, fuzzy)
        flag = (
            message(gettext_noop("This does not look like a plate from %(country)s."), country=country)
            if parse else message(gettext_noop("Plates from %(country)s are kept as written; their format is not checked."), country=country)
        )
        value = _german_compact(rest) if country == "DE" else compact
        return Normalised(value=f"{country}:{value}", display=f"{country}: {value}", flags=(flag,), fuzzy_key=fuzzy, extra={"country": country})


def _german_compact(rest: str) -> str:
    # Keep a written district separator, so 'B-AB1' and 'BA-B1' stay two plates.
    return "-".join(compact_alnum(part) for part in _GERMAN_DISTRICT_SEPARATOR.split(rest.strip(), maxsplit=1) if compact_alnum(part)) or compact_alnum(rest)


def _plate(country, compact, formatted, fuzzy) -> Normalised:
    return Normalised(value=f"{country}:{compact}", display=f"{country}: {formatted}", fuzzy_key=fuzzy, extra={"country": country})


TYPE = LicencePlate()
