"""Person, pseudonymised. Input is "name; date of birth". The value is an HMAC-SHA256 of the
normalised name and the ISO date, keyed with a platform-wide pepper, so two organisations that
hold the same person get the same value and can match without exchanging names. The clear
text never enters the indicator: it stays with the owner organisation (the caller keeps it,
if at all, in the owner's own record). Feeding a value back in returns it unchanged, so a
partner can search for a pseudonym it was given."""

import datetime
import hashlib
import hmac
import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input, collapse_spaces, strip_diacritics

_PSEUDONYM = re.compile(r"^[0-9a-f]{64}$")
_NOT_LETTERS = re.compile(r"[^A-Z ]+")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def default_pepper() -> bytes:
    """P2P_PERSON_PEPPER from settings if set, else a key derived from SECRET_KEY.

    Read lazily (at call time), so importing this module needs no configured settings.
    A deployment should set P2P_PERSON_PEPPER: pseudonyms derived from SECRET_KEY change
    when that key is rotated, and then no longer match older ones.
    """
    from django.conf import settings

    pepper = getattr(settings, "P2P_PERSON_PEPPER", None)
    if pepper:
        return pepper.encode() if isinstance(pepper, str) else bytes(pepper)
    return hashlib.sha256(b"port2port person pepper\x00" + settings.SECRET_KEY.encode()).digest()


def normalise_name(name: str) -> str:
    """Upper case, no accents or punctuation, words sorted: 'Jan Janssens' = 'JANSSENS, Jan'."""
    words = _NOT_LETTERS.sub(" ", strip_diacritics(name).upper()).split()
    return " ".join(sorted(words))


def parse_birth_date(text: str) -> datetime.date:
    for date_format in _DATE_FORMATS:
        try:
            born = datetime.datetime.strptime(text.strip(), date_format).date()
        except ValueError:
            continue
        if not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
            raise IndicatorError(_("The date of birth must lie between 1900 and today."))
        return born
    raise IndicatorError(_("Write the date of birth as YYYY-MM-DD or DD/MM/YYYY."))


def pseudonymise(name: str, born: datetime.date, *, pepper: bytes) -> str:
    message = f"{normalise_name(name)}|{born.isoformat()}".encode()
    return hmac.new(pepper, message, hashlib.sha256).hexdigest()


class Person(IndicatorType):
    kind = "person"
    label = _("Person (pseudonymised)")

    def normalise(self, raw: str, pepper: bytes | None = None) -> Normalised:
        text = collapse_spaces(clean_input(raw, what=self.label))
        if _PSEUDONYM.match(text.lower()):
            return _pseudonym(text.lower())
        name, separator, date_text = text.rpartition(";")
        if not separator or not normalise_name(name):
            raise IndicatorError(_('Write a person as "name; date of birth", e.g. "Jan Janssens; 1985-03-12".'))
        born = parse_birth_date(date_text)
        return _pseudonym(pseudonymise(name, born, pepper=pepper if pepper is not None else default_pepper()))


def _pseudonym(value: str) -> Normalised:
    return Normalised(value=value, display=value, extra={"pseudonymised": True})


TYPE = Person()
