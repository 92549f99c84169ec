"""Company: a Belgian enterprise number or an EU VAT number (validated with python-stdnum)
identifies it best; without one, its name, compared in upper case without accents,
punctuation or legal form."""

import re

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat

from .base import IndicatorError, IndicatorType, Normalised, clean_input, collapse_spaces, strip_diacritics

_EU_PREFIXES = "AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI"
# A VAT number with its country prefix, or a bare Belgian enterprise number (0xxx.xxx.xxx).
# Each group must hold a digit, so the number never swallows the next word ('... 701 NV').
_GROUP = r"[0-9A-Z]*[0-9][0-9A-Z]*"
_NUMBER_TEXT = rf"(?:(?:{_EU_PREFIXES})\s?{_GROUP}(?:[.\s]{_GROUP}){{0,4}}|[01][0-9]{{3}}[.\s]?[0-9]{{3}}[.\s]?[0-9]{{3}})"
_NUMBER = re.compile(rf"\b{_NUMBER_TEXT}\b")
_DOTS_AND_SPACES = re.compile(r"[\s.]")
_BARE_BELGIAN = re.compile(r"[01][0-9]{9}")
_VAT_SHAPE = re.compile(rf"(?:{_EU_PREFIXES})[0-9A-Z]{{8,12}}")
_NOT_WORD = re.compile(r"[\W_]+")
_WORD_CHARACTER = re.compile(r"[^\W_]")
_LEGAL_FORMS = re.compile(
    r"\b(?:NV|BV|BVBA|CVBA|VZW|SA|SRL|SPRL|SCRL|ASBL|SAS|SARL|GMBH|AG|KG|UG|LTD|LIMITED|PLC|LLC|INC|CO|BV|VOF|CV)\b\.?"
)


def _vat(candidate: str) -> tuple[str, bool] | None:
    """(compact number with country prefix, valid?) or None when it is no VAT number at all."""
    compact = _DOTS_AND_SPACES.sub("", candidate.upper())
    if _BARE_BELGIAN.fullmatch(compact):  # a bare Belgian enterprise number
        compact = "BE" + compact
    if not _VAT_SHAPE.fullmatch(compact):
        return None
    try:
        return compact[:2] + eu_vat.compact(compact)[2:], eu_vat.is_valid(compact)
    except stdnum_errors.ValidationError:
        return None


def _display_number(number: str) -> str:
    if number.startswith("BE") and len(number) == 12:
        return f"BE {number[2:6]}.{number[6:9]}.{number[9:]}"
    return number


def _name_key(name: str) -> str:
    # Dots go first, so 'S.A.' and 'N.V.' become legal forms 'SA' and 'NV'.
    plain = collapse_spaces(_NOT_WORD.sub(" ", strip_diacritics(name).upper().replace(".", "")))
    return collapse_spaces(_LEGAL_FORMS.sub(" ", plain)) or plain


class Company(IndicatorType):
    kind = "company"
    label = _("Company")
    patterns = (
        (re.compile(rf"(?i)\b(?:VAT|BTW|TVA|USt-?IdNr\.?|KBO|BCE|ondernemingsnummer|num[ée]ro d'entreprise)[\s:.#-]*(?:n[or°]\.?\s*)?(?P<v>{_NUMBER_TEXT})\b"), 0.9),
        (re.compile(rf"\b(?P<v>{_NUMBER_TEXT})\b"), 0.7),
    )

    def normalise(self, raw: str) -> Normalised:
        text = collapse_spaces(clean_input(raw, what=self.label))
        found = _NUMBER.search(text.upper())
        vat = _vat(found.group(0)) if found else None
        name = collapse_spaces((text[: found.start()] + text[found.end():]) if vat else text).strip(" ,;:()-")
        if vat:
            return self._by_number(*vat, name)
        if not _WORD_CHARACTER.search(name):
            raise IndicatorError(_("Give the company's name, its enterprise number or its VAT number."))
        return Normalised(value=_name_key(name), display=name, fuzzy_key=_name_key(name).replace(" ", ""), extra={"name": name})

    @staticmethod
    def _by_number(number, valid, name) -> Normalised:
        flags = () if valid else (_("The check digits of this enterprise or VAT number are wrong."),)
        shown = _display_number(number)
        return Normalised(
            value=number, display=f"{name} ({shown})" if name else shown, flags=flags,
            extra={"name": name or None, "country": number[:2], "number_valid": valid},
        )


TYPE = Company()
