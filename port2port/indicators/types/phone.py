"""Phone number in E.164, parsed with Google's libphonenumber data (phonenumbers). Numbers
written without a country code are read as Belgian."""

import re

import phonenumbers
from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input

DEFAULT_REGION = "BE"


class PhoneNumber(IndicatorType):
    kind = "phone"
    label = _("Phone number")
    # Extraction uses phonenumbers' own matcher (see extract.py), which knows every format.
    patterns = ()

    def normalise(self, raw: str, region: str = DEFAULT_REGION) -> Normalised:
        text = clean_input(raw, what=self.label)
        if not re.search(r"[0-9]", text) or len(text) > 64:
            raise IndicatorError(_("A phone number needs digits, e.g. +32 3 123 45 67."))
        number = _parse(text, region)
        if not phonenumbers.is_possible_number(number):
            raise IndicatorError(_("This cannot be a phone number: it has too many or too few digits."))
        value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.format_number(_parse(value, region), phonenumbers.PhoneNumberFormat.E164) != value:
            # Leading zeros that E.164 cannot carry ('0000000000'): not a real number.
            raise IndicatorError(_("This cannot be a phone number."))
        flags = () if phonenumbers.is_valid_number(number) else (_("No operator uses numbers of this form; check it."),)
        return Normalised(
            value=value,
            display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            flags=flags,
            extra={"region": phonenumbers.region_code_for_number(number)},
        )


def _parse(text: str, region: str):
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise IndicatorError(_("This is not a phone number.")) from error


TYPE = PhoneNumber()
