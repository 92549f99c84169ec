"""Container number, ISO 6346: owner code (3 letters), category (U, J, Z or R), 6-digit serial,
check digit. A wrong check digit is kept and flagged (field reports carry typos, and the wrong
number is still what was written down); the correct digit is suggested."""

import operator
import re

from django.utils.translation import gettext_lazy as _, gettext_noop

from .base import IndicatorError, IndicatorType, Normalised, clean_input, message

_SHAPE = re.compile(r"^([A-Z]{3}[UJZR])([0-9]{6})([0-9])?$")
_SEPARATORS = re.compile(r"[\s./-]")

# ISO 6346 check digit: each character's value times 2**position, summed, mod 11, mod 10.
# Digits count as themselves; letters run from A=10 upwards, skipping the multiples of 11
# (the gaps below). Done here rather than with python-stdnum's iso6346, which cleans and
# re-checks its input on every call: this runs once per container in every bulk import, and
# the shape is already checked. The tests hold it to python-stdnum for many numbers.
_VALUES = {c: v for v, c in enumerate("0123456789A BCDEFGHIJK LMNOPQRSTU VWXYZ") if c != " "}
_WEIGHTS = tuple(2**position for position in range(10))


def check_digit(body: str) -> str:
    """The ISO 6346 check digit of a 10-character owner code, category and serial."""
    return str(sum(map(operator.mul, map(_VALUES.__getitem__, body), _WEIGHTS)) % 11 % 10)


def _display(number: str) -> str:
    """'CSQU 305438 3', as python-stdnum's iso6346.format writes a full number."""
    return f"{number[:4]} {number[4:10]} {number[10:]}"


class ContainerNumber(IndicatorType):
    kind = "container"
    label = _("Container number")
    patterns = (
        (re.compile(r"\b(?P<v>[A-Z]{3}[UJZR][ -]?[0-9]{6}[ -]?[0-9])\b"), 0.95),
        (re.compile(r"(?i)\b(?:container|conteneur|containernummer|cont\.?)\s*(?:nr\.?|n°|no\.?)?[\s:#]*(?P<v>[A-Z]{3}[UJZR][ -]?[0-9]{6}[ -]?[0-9]?)\b"), 0.9),
    )

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        match = _SHAPE.match(_SEPARATORS.sub("", text))
        if not match:
            raise IndicatorError(_("A container number is four letters (the owner code ending in U, J, Z or R) and seven digits, e.g. CSQU 305438 3."))
        prefix, serial, given = match.groups()
        expected = check_digit(prefix + serial)
        return self._result(prefix + serial, given, expected)

    @staticmethod
    def values_near(fuzzy_key: str) -> list[str]:
        """The values of the numbers near this one (its fuzzy key is the number without its
        check digit): the same owner code, category and serial with any check digit, or none."""
        return [fuzzy_key, *(fuzzy_key + digit for digit in "0123456789")]

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
            return Normalised(value=body + given, display=_display(body + given), flags=(flag,), suggestion=correct, **common)
        return Normalised(value=correct, display=_display(correct), **common)


TYPE = ContainerNumber()
