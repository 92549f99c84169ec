"""Radio call sign of a ship (ITU): three to eight letters and digits, e.g. ONBA or 9HA2345."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input


_SEPARATORS = re.compile(r"[\s-]")
_SHAPE = re.compile(r"[A-Z0-9]{3,8}")
_LETTER = re.compile(r"[A-Z]")


class CallSign(IndicatorType):
    kind = "call_sign"
    label = _("Call sign")
    patterns = (
        (re.compile(r"(?i)\b(?:call ?sign|callsign|roepnaam|roepletters|indicatif(?: d'appel)?|rufzeichen)[\s:.#-]*(?P<v>[A-Z0-9]{3,8})\b"), 0.85),
    )

    def normalise(self, raw: str) -> Normalised:
        text = _SEPARATORS.sub("", clean_input(raw, what=self.label).upper())
        if not _SHAPE.fullmatch(text) or not _LETTER.search(text):
            raise IndicatorError(_("A call sign is three to eight letters and digits, at least one a letter."))
        return Normalised(value=text, display=text)


TYPE = CallSign()
