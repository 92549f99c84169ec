"""Container number, ISO 6346: owner code (3 letters), category (U, J, Z or R), 6-digit serial,
check digit. A wrong check digit is kept and flagged (field reports carry typos, and the wrong
number is still what was written down); the correct digit is suggested."""

import re

from django.utils.translation import gettext_lazy as _, gettext_noop
from stdnum import iso6346

from .base import IndicatorError, IndicatorType, Normalised, clean_input, message

_SHAPE = re.compile(r"^([A-Z]{3}[UJZR])([0-9]{6})([0-9])?$")


class ContainerNumber(IndicatorType):
    kind = "container"
    label = _("Container number")
    patterns = (
        (re.compile(r"\b(?P<v>[A-Z]{3}[UJZR][ -]?[0-9]{6}[ -]?[0-9])\b"), 0.95),
        (re.compile(r"(?i)\b(?:container|conteneur|containernummer|cont\.?)\s*(?:nr\.?|n°|no\.?)?[\s:#]*(?P<v>[A-Z]{3}[UJZR][ -]?[0-9]{6}[ -]?[0-9]?)\b"), 0.9),
    )

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        match = _SHAPE.match(re.sub(r"[\s./-]", "", text))
        if not match:
            raise IndicatorError(_("A container number is four letters (the owner code ending in U, J, Z or R) and seven digits, e.g. CSQU 305438 3."))
        prefix, serial, given = match.groups()
        expected = iso6346.calc_check_digit(prefix + serial)
        return self._result(prefix + serial, given, expected)

    @staticmethod
    def _result(body, given, expected) -> Normalised:
        correct = body + expected
        # Near matches ignore the check digit, so a typo'd or missing digit still finds the box.
        common = {"fuzzy_key": body, "extra": {"owner_code": body[:3], "category": body[3]}}
        if given is None:
            return Normalised(
                value=body, display=f"{body[:4]} {body[4:]}",
                flags=(_("The check digit is missing."),), suggestion=correct, **common,
            )
        if given != expected:
            flag = message(gettext_noop("The check digit is wrong: %(given)s written, %(expected)s expected."), given=given, expected=expected)
            return Normalised(value=body + given, display=iso6346.format(body + given), flags=(flag,), suggestion=correct, **common)
        return Normalised(value=correct, display=iso6346.format(correct), **common)


TYPE = ContainerNumber()
