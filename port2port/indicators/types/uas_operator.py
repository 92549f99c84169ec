"""EU UAS operator registration number (Regulation (EU) 2019/947; EN 4709-002 for direct
remote identification): the 3-letter code of the registering state, 12 characters, 1 checksum
character, and 3 'secret' characters given only to the operator ('FIN87astrdge12k8-xyz').

The checksum covers the 12 characters plus the secret ones, so it can be verified only when
the secret part is given; the public 16 characters are checked for structure only. The secret
part is never kept: the value is the public part, the one drones broadcast.

Checksum algorithm: Luhn mod 36 over the alphabet 0-9a-z, as implemented in QGroundControl's
EN 4709-002 validation (RemoteIDSettings::_calculateLuhnMod36). We did not read the standard
itself (it is not freely available); the implementation reproduces the standard's published
example 'FIN87astrdge12k8-xyz', which a test pins."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHAPE = re.compile(r"^([A-Za-z]{3})([0-9A-Za-z]{12})([0-9A-Za-z])(?:-?([0-9A-Za-z]{3}))?$")
_SPACE = re.compile(r"\s")
# EASA member states register UAS operators: the EU, Iceland, Liechtenstein, Norway, Switzerland.
EASA_STATES = frozenset(
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU "
    "SVK SVN ESP SWE ISL LIE NOR CHE".split()
)


def luhn_mod36(text: str) -> str:
    """The check character for `text` (lower-case 0-9a-z)."""
    total, factor = 0, 2
    for char in reversed(text):
        addend = factor * _ALPHABET.index(char)
        total += addend // 36 + addend % 36
        factor = 1 if factor == 2 else 2
    return _ALPHABET[(36 - total % 36) % 36]


class UasOperatorId(IndicatorType):
    kind = "uas_operator"
    label = _("EU UAS operator number")
    patterns = (
        (re.compile(r"\b(?P<v>[A-Z]{3}[0-9a-z]{12}[0-9a-z](?:-[0-9a-z]{3})?)(?![0-9A-Za-z])"), 0.9),
    )

    def normalise(self, raw: str) -> Normalised:
        text = _SPACE.sub("", clean_input(raw, what=self.label))
        match = _SHAPE.match(text)
        if not match:
            raise IndicatorError(_("An EU UAS operator number is a 3-letter country code and 13 letters and digits, e.g. BEL87astrdge12k8."))
        country, body, check, secret = match.group(1).upper(), match.group(2).lower(), match.group(3).lower(), match.group(4)
        value = f"{country}{body}{check}"
        flags = () if country in EASA_STATES else (_("The first three letters are not an EASA member state."),)
        verified = None
        if secret:
            verified = luhn_mod36(body + secret.lower()) == check
            flags += (_("The secret part was removed: it is never shared."),)
            if not verified:
                flags += (_("The checksum does not match the secret part."),)
        return Normalised(value=value, display=value, flags=flags, extra={"country": country, "checksum_verified": verified})


TYPE = UasOperatorId()
