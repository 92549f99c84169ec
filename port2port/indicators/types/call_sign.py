"""Radio call sign of a ship (ITU): three to eight letters and digits, e.g. ONBA or 9HA2345."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input


class CallSign(IndicatorType):
    kind = "call_sign"
    label = _("Call sign")
    patterns = (
        (re.compile(r"(?i)\b(?:call ?sign|callsign|roepnaam|roepletters|indicatif(?: d'appel)?|rufzeichen)[\s:.#-]*(?P<v>[A-Z0-9]{3,8})\b"), 0.85),
    )

    def normalise(self, raw: str) -> Normalised:
        text = re.sub(r"[\s-]", "", clean_input(raw, what=self.label).upper())
        if not re.fullmatch(r"[A-Z0-9]{3,8}", text) or not re.search(r"[A-Z]", text):
            raise IndicatorError(_("A call sign is three to eight letters and digits, at least one a letter."))
        return Normalised(value=text, display=text)


TYPE = CallSign()
