"""Drone (UAS) serial number, ANSI/CTA-2063-A: a 4-character manufacturer code assigned by
ICAO, a 1-character length code (1-9, A-F = 10-15) and the manufacturer's serial of that
length. The letters O and I are never used, so a written O or I is read as 0 or 1."""

import re

from django.utils.translation import gettext_lazy as _, gettext_noop

from .base import IndicatorError, IndicatorType, Normalised, clean_input, message

_ALPHABET = "0-9A-HJ-NP-Z"
_SHAPE = re.compile(rf"^([{_ALPHABET}]{{4}})([1-9A-F])([{_ALPHABET}]{{1,15}})$")
_SEPARATORS = re.compile(r"[\s-]")


class DroneSerial(IndicatorType):
    kind = "drone_serial"
    label = _("Drone serial number")
    patterns = (
        (re.compile(r"(?i)\b(?:drone|UAS|UAV|RPAS)\b[^.\n]{0,40}?\b(?:serial(?: number)?|S/?N|serienummer|num[ée]ro de s[ée]rie|Seriennummer)[\s:.#-]*(?P<v>[0-9A-Z]{6,20})\b"), 0.85),
        (re.compile(rf"\b(?P<v>[{_ALPHABET}]{{4}}[1-9A-F][{_ALPHABET}]{{1,15}})\b"), 0.5),
    )

    def normalise(self, raw: str) -> Normalised:
        text = _SEPARATORS.sub("", clean_input(raw, what=self.label).upper())
        folded = text.replace("O", "0").replace("I", "1")
        match = _SHAPE.match(folded)
        if not match:
            raise IndicatorError(_("A drone serial number (ANSI/CTA-2063-A) is a 4-character manufacturer code, a length code 1-9 or A-F, and the serial, e.g. MFR1C123456789ABC."))
        manufacturer, length_code, serial = match.groups()
        flags = (_("The letters O and I do not occur in these serials; read as 0 and 1."),) if folded != text else ()
        declared = int(length_code, 16)
        if declared != len(serial):
            flags += (message(gettext_noop("The length code says %(declared)s characters but the serial has %(actual)s."), declared=declared, actual=len(serial)),)
        return Normalised(
            value=folded, display=folded, flags=flags,
            extra={"manufacturer_code": manufacturer, "length_consistent": declared == len(serial)},
        )


TYPE = DroneSerial()
