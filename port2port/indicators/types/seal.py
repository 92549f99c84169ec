"""Seal number: free-form per seal maker (letters and digits), compared without separators."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input, compact_alnum, fold_misreads

_KEYWORDS = r"(?:seal|seals|zegel|zegelnummer|verzegeling|scell[ée]s?|plomb|plombe|siegel|plombennummer)"


_NOT_ON_A_SEAL = re.compile(r"[^0-9A-Za-z\s./#-]")
_DIGIT = re.compile(r"[0-9]")


class SealNumber(IndicatorType):
    kind = "seal"
    label = _("Seal number")
    patterns = (
        (re.compile(rf"(?i)\b{_KEYWORDS}\s*(?:nr\.?|no\.?|n°|number|nummer|num[ée]ro)?[\s:#°.]*(?P<v>[A-Z0-9][A-Z0-9-]{{3,19}})\b"), 0.75),
    )

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label)
        if _NOT_ON_A_SEAL.search(text):
            raise IndicatorError(_("A seal number holds only letters, digits and separators."))
        value = compact_alnum(text)
        if not 4 <= len(value) <= 20 or not _DIGIT.search(value):
            raise IndicatorError(_("A seal number has 4 to 20 letters and digits, at least one of them a digit."))
        return Normalised(value=value, display=value, fuzzy_key=fold_misreads(value))


TYPE = SealNumber()
