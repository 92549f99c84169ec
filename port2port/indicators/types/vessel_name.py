"""Vessel name: compared in upper case without accents or extra spaces; near matches fold
the misreads of a hull painted or read in bad light (O/0, I/1/L, B/8, S/5, Z/2)."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input, collapse_spaces, fold_misreads, strip_diacritics

# Prefixes that say what the ship is, not what it is called ('MV EVER GIVEN').
_TYPE_PREFIX = re.compile(r"^(?:M/?V|M/?S|M/?T|MY|SS|FV|RV)\.?\s+")
_ALLOWED = re.compile(r"[^0-9A-Z &'./-]")
_ALNUM = re.compile(r"[0-9A-Z]")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def _without_type_prefix(text: str) -> str:
    """Strip 'MV', 'M/S' ... until none is left (so normalising twice changes nothing)."""
    while (stripped := _TYPE_PREFIX.sub("", text, count=1)) != text and stripped:
        text = stripped
    return text


class VesselName(IndicatorType):
    kind = "vessel_name"
    label = _("Vessel name")
    patterns = (
        (re.compile(r"\b(?:M/?V|M/?S|M/?T)\.?\s+(?P<v>[A-Z0-9][A-Z0-9'-]*(?:[ ][A-Z0-9][A-Z0-9'-]*){0,4})\b"), 0.7),
        (re.compile(r"(?i)\b(?:vessel|ship|schip|binnenschip|vaartuig|navire|bateau|Schiff)\s+[\"“«']\s*(?P<v>[^\"”»'\n]{2,40}?)\s*[\"”»']"), 0.7),
    )

    def normalise(self, raw: str) -> Normalised:
        text = collapse_spaces(strip_diacritics(clean_input(raw, what=self.label)).upper())
        text = collapse_spaces(_ALLOWED.sub(" ", text))
        name = _without_type_prefix(text)
        if not _ALNUM.search(name) or len(name) > 120:
            raise IndicatorError(_("A vessel name needs at least one letter or digit and at most 120 characters."))
        return Normalised(value=name, display=name, fuzzy_key=fold_misreads(_NOT_ALNUM.sub("", name)) or None)


TYPE = VesselName()
