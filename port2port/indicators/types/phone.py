"""Phone number in E.164, parsed with Google's libphonenumber data (phonenumbers). Numbers
written without a country code are read as Belgian."""

import functools
import re

import phonenumbers
from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input

DEFAULT_REGION = "BE"
_DIGIT = re.compile(r"[0-9]")
# '+32 470 12 34 56': a plus, then digits and spaces only. Most numbers in reports are written
# so, and `_read_international` reads them without phonenumbers' general parser.
_PLUS_DIGITS_AND_SPACES = re.compile(r"\+[1-9][0-9 ]*")  # no country code starts with 0
_LONGEST_COUNTRY_CODE = 3
_NATIONAL_NUMBER_LENGTHS = range(2, 18)  # phonenumbers' own bounds on a national number

# Keep phonenumbers' compiled metadata patterns instead of asking the re module for them on
# every call (and recompiling them when numbers from many regions push them out of its
# cache): a bulk import checks thousands of numbers. Process-wide, and results do not change.
phonenumbers.enable_pattern_cache()


class PhoneNumber(IndicatorType):
    kind = "phone"
    label = _("Phone number")
    # Extraction uses phonenumbers' own matcher (see extract.py), which knows every format.
    patterns = ()

    def normalise(self, raw: str, region: str = DEFAULT_REGION) -> Normalised:
        text = clean_input(raw, what=self.label)
        if not _DIGIT.search(text) or len(text) > 64:
            raise IndicatorError(_("A phone number needs digits, e.g. +32 3 123 45 67."))
        number = _parse(text, region)
        if not phonenumbers.is_possible_number(number):
            raise IndicatorError(_("This cannot be a phone number: it has too many or too few digits."))
        value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if _may_change_when_read_again(number) and _e164(_parse(value, region)) != value:
            # Leading zeros that E.164 cannot carry ('0000000000'): not a real number.
            raise IndicatorError(_("This cannot be a phone number."))
        number_region = phonenumbers.region_code_for_number(number)
        # What is_valid_number does, without working out the region a second time.
        valid = phonenumbers.is_valid_number_for_region(number, number_region)
        return Normalised(
            value=value,
            display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            flags=() if valid else (_("No operator uses numbers of this form; check it."),),
            extra={"region": number_region},
        )


def _may_change_when_read_again(number) -> bool:
    """Whether parsing the number's E.164 form could give another number.

    Reading '+<country code><national number>' again only changes the national number when
    the national prefix of the number's country (the '0' of '0470 ...') starts it once more,
    and is then stripped. Without that prefix in front, the E.164 form is known to read back
    to itself, and the second parse (a quarter of the time a number takes) is skipped. Where
    the metadata cannot say, the number is read again.
    """
    country_code = number.country_code
    return _may_start_with_national_prefix(country_code, phonenumbers.national_significant_number(number))


def _may_start_with_national_prefix(country_code: int, national_number: str) -> bool:
    """Whether the national prefix of this country code's metadata (the '0' of '0470 ...')
    matches the start of these digits; True where the metadata cannot say."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, phonenumbers.region_code_for_country_code(country_code))
    if metadata is None:
        return True
    prefix = metadata.national_prefix_for_parsing
    return bool(prefix) and _compiled(prefix).match(national_number) is not None


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    """A national prefix pattern from the metadata, compiled once (there are a few hundred)."""
    return re.compile(pattern)


def _e164(number) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(text: str, region: str):
    if (number := _read_international(text)) is not None:
        return number
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise IndicatorError(_("This is not a phone number.")) from error


def _read_international(text: str) -> phonenumbers.PhoneNumber | None:
    """What `phonenumbers.parse` makes of '+<country code><number>' written with digits and
    spaces only, without its general parser, which looks for extensions, letters, RFC 3966
    and dialling prefixes (measured on the phone numbers of benchmarks/correlation.py: 21 µs
    a number instead of 44). None where only `parse` can tell.

    For such text `parse` takes the first one to three digits that are a country code (no
    code is the start of another), keeps the rest as the national number, and changes that
    only when the country's national prefix could start it (it may strip it) or when it
    starts with 0 (the Italian leading zero). Those cases, a code that does not exist and a
    national number of a length `parse` refuses go to `parse`. The tests hold this to `parse`
    for every country code and many generated numbers."""
    if not _PLUS_DIGITS_AND_SPACES.fullmatch(text):
        return None
    digits = text[1:].replace(" ", "")
    for length in range(1, _LONGEST_COUNTRY_CODE + 1):
        country_code = int(digits[:length])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[length:]
    if (len(national) not in _NATIONAL_NUMBER_LENGTHS or national[0] == "0"
            or _may_start_with_national_prefix(country_code, national)):
        return None
    return phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))


TYPE = PhoneNumber()
