"""Domain name: defanged forms accepted (example[.]com), lower case, IDNA (the ASCII 'xn--'
form is the value, the Unicode form is shown), and the registrable domain from the public
suffix list (offline, the copy bundled with publicsuffixlist) in `extra`."""

import functools
import re

from django.utils.translation import gettext_lazy as _
from publicsuffixlist import PublicSuffixList

from .base import IndicatorError, IndicatorType, Normalised, clean_input

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Top-level domains that are also file extensions: 'invoice.zip' in a mail is usually a file.
FILE_LIKE_TLDS = frozenset({"zip", "mov", "sh", "py", "pl", "rs", "md", "exe", "pdf", "doc", "js", "ps", "cc"})
_DEFANGED_DOT = re.compile(r"\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*", re.IGNORECASE)
_DEFANGED_AT = re.compile(r"\s*[\[({]\s*(?:@|at)\s*[\])}]\s*", re.IGNORECASE)
_DEFANGED_COLON = re.compile(r"\[:\]")


@functools.cache
def suffix_list() -> PublicSuffixList:
    """Parsed once per process; parsing the bundled list takes tens of milliseconds. Unknown
    top-level domains count as public suffixes unless a call says otherwise."""
    return PublicSuffixList(accept_unknown=True)


def refang(text: str) -> str:
    """Undo the usual defanging: [.] (.) [dot] {.} -> '.', [@] [at] -> '@', [:] -> ':'."""
    if "[" not in text and "(" not in text and "{" not in text:
        return text  # every defanged form has a bracket; most values have none
    text = _DEFANGED_DOT.sub(".", text)
    text = _DEFANGED_AT.sub("@", text)
    return _DEFANGED_COLON.sub(":", text)


def to_ascii(host: str) -> str:
    """Lower-case ASCII (punycode) form of a host name; IndicatorError when it is not one.

    Python's built-in 'idna' codec implements IDNA 2003; the only difference that matters
    here (ß, ς mapped rather than kept) does not occur in the names we see in reports.
    """
    host = host.strip().rstrip(".").lower()
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise IndicatorError(_("This is not a valid domain name.")) from error
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise IndicatorError(_("A domain name is two or more labels of letters, digits and hyphens, e.g. example.com."))
    if labels[-1].isdigit():
        raise IndicatorError(_("A domain name does not end in a number (is this an IP address?)."))
    return ascii_host


def to_unicode(ascii_host: str) -> str:
    if "xn--" not in ascii_host:
        return ascii_host  # no punycoded label: the idna codec would give it back unchanged
    try:
        return ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        return ascii_host


def registrable_domain(ascii_host: str) -> str | None:
    return suffix_list().privatesuffix(ascii_host)


def has_known_suffix(ascii_host: str) -> bool:
    return suffix_list().publicsuffix(ascii_host, accept_unknown=False) is not None


class Domain(IndicatorType):
    kind = "domain"
    label = _("Domain name")
    patterns = (
        (re.compile(r"(?i)(?<![\w@.-])(?P<v>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.|\[\.\]|\(\.\)|\[dot\]))+[a-z][a-z0-9-]{1,62})(?![\w@-]|\.\w)"), 0.6),
    )

    def normalise(self, raw: str) -> Normalised:
        host = to_ascii(refang(clean_input(raw, what=self.label)))
        registrable = registrable_domain(host)
        flags = () if registrable else (_("This is a public suffix (like co.uk), not a domain someone registered."),)
        if not has_known_suffix(host):
            flags += (_("The top-level domain is not in the public suffix list."),)
        return Normalised(value=host, display=to_unicode(host), flags=flags, extra={"registrable_domain": registrable})


TYPE = Domain()
