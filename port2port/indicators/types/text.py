"""Free text: anything worth recording that fits no other kind. Compared case-insensitively
with spaces collapsed."""

from django.utils.translation import gettext_lazy as _

from .base import IndicatorType, Normalised, clean_input, collapse_spaces


class FreeText(IndicatorType):
    kind = "text"
    label = _("Free text")

    def normalise(self, raw: str) -> Normalised:
        shown = collapse_spaces(clean_input(raw, what=self.label))
        return Normalised(value=shown.casefold(), display=shown)


TYPE = FreeText()
