"""ENI, the European vessel identification number for inland vessels: eight digits, the
first three naming the authority that issued it. No check digit exists."""

import re

from django.utils.translation import gettext_lazy as _
from stdnum import imo

from .base import IndicatorError, IndicatorType, Normalised, clean_input

# Prefix ranges of the issuing authorities, from the code table of ES-TRIN (annex on the
# European vessel identification number; Directive (EU) 2016/1629, formerly 2006/87/EC
# Annex II, Appendix III). Transcribed, not machine-read: check against the current ES-TRIN
# edition before relying on a rarely seen prefix.
ENI_RANGES = (
    (1, 19, "FR"), (20, 39, "NL"), (40, 59, "DE"), (60, 69, "BE"), (70, 79, "CH"),
    (100, 119, "NO"), (120, 139, "DK"), (140, 159, "GB"), (160, 169, "IS"), (170, 179, "IE"),
    (180, 189, "PT"), (200, 219, "LU"), (220, 239, "FI"), (240, 259, "PL"), (260, 269, "EE"),
    (270, 279, "LT"), (280, 289, "LV"), (300, 309, "AT"), (310, 319, "LI"), (320, 329, "CZ"),
    (330, 339, "SK"), (350, 359, "HR"), (360, 369, "RS"), (370, 379, "BA"), (380, 399, "HU"),
    (400, 419, "RU"), (420, 439, "UA"), (440, 449, "BY"), (450, 459, "MD"), (460, 469, "RO"),
    (470, 479, "BG"), (480, 489, "GE"), (500, 519, "TR"), (520, 539, "GR"), (540, 549, "CY"),
    (550, 559, "AL"), (560, 569, "MK"), (570, 579, "SI"), (580, 589, "ME"), (600, 619, "IT"),
    (620, 639, "ES"), (640, 649, "AD"), (650, 659, "MT"), (660, 669, "MC"), (670, 679, "SM"),
    (700, 719, "SE"), (720, 739, "CA"), (740, 759, "US"), (760, 769, "IL"), (800, 809, "AZ"),
    (810, 819, "KZ"), (820, 829, "KG"), (830, 839, "TJ"), (840, 849, "TM"), (850, 859, "UZ"),
    (860, 869, "IR"),
)


def issuing_country(digits: str) -> str | None:
    prefix = int(digits[:3])
    return next((country for low, high, country in ENI_RANGES if low <= prefix <= high), None)


_PREFIX_AND_SEPARATORS = re.compile(r"^ENI[\s:.#-]*|[\s.]")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")


class Eni(IndicatorType):
    kind = "eni"
    label = _("ENI (European vessel number)")
    patterns = ((re.compile(r"(?i)\b(?:ENI|europanummer|europa-nummer|scheepsnummer)[\s:.#-]*(?:n[o°r]\.?\s*)?(?P<v>[0-9]{8})\b"), 0.95),)

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        digits = _PREFIX_AND_SEPARATORS.sub("", text)
        if not _EIGHT_DIGITS.fullmatch(digits):
            raise IndicatorError(_("An ENI is eight digits, e.g. 06003456."))
        return self._result(digits)

    @staticmethod
    def _result(digits) -> Normalised:
        # A sea-going ship certified for inland waters gets 9 followed by its IMO number.
        if digits[0] == "9":
            flags = () if imo.is_valid(digits[1:]) else (_("The IMO number inside this ENI has a wrong check digit."),)
            return Normalised(value=digits, display=digits, flags=flags, extra={"imo": digits[1:], "country": None})
        country = issuing_country(digits)
        flags = () if country else (_("No authority issues ENI numbers with this prefix."),)
        return Normalised(value=digits, display=digits, flags=flags, extra={"country": country})


TYPE = Eni()
