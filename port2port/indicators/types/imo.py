"""IMO ship identification number: seven digits, the last a check digit. Real ships carry
numbers with a wrong check digit, so such a number is kept and flagged, never refused."""

import re

from django.utils.translation import gettext_lazy as _, gettext_noop
from stdnum import imo

from .base import IndicatorError, IndicatorType, Normalised, clean_input, message

_SHAPE = re.compile(r"^(?:IMO)?[\s:.#-]*(?:N[O°]\.?)?\s*([0-9]{7})$")


class ImoNumber(IndicatorType):
    kind = "imo"
    label = _("IMO number")
    patterns = ((re.compile(r"(?i)\bIMO[\s:.#-]*(?:n[o°]\.?\s*)?(?P<v>[0-9]{7})\b"), 0.95),)

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        match = _SHAPE.match(text)
        if not match:
            raise IndicatorError(_("An IMO number is seven digits, e.g. IMO 9074729."))
        number = match.group(1)
        expected = imo.calc_check_digit(number)
        flags = ()
        if number[-1] != expected:
            flags = (message(gettext_noop("The check digit is wrong: %(given)s written, %(expected)s expected (some ships carry such numbers)."), given=number[-1], expected=expected),)
        return Normalised(value=number, display=f"IMO {number}", flags=flags)


TYPE = ImoNumber()
