"""URL: defanged input accepted (hxxp://, hxxps[:]//, example[.]com); scheme and host lower
case, host IDNA-encoded, default port dropped; path, query and fragment kept as written."""

import ipaddress
import re
import urllib.parse

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input
from .domain import refang, registrable_domain, to_ascii

_SCHEMES = {"http": 80, "https": 443, "ftp": 21, "sftp": 22, "ftps": 990}
_SPACE = re.compile(r"\s")
_FANGS = ((re.compile(r"^h[xX]{2}p(s?)", re.IGNORECASE), r"http\1"), (re.compile(r"^fxp", re.IGNORECASE), "ftp"))


def _refang_url(text: str) -> str:
    text = refang(text).replace("[://]", "://").replace("[:]//", "://")
    for pattern, replacement in _FANGS:
        text = pattern.sub(replacement, text)
    return text


class Url(IndicatorType):
    kind = "url"
    label = _("URL")
    patterns = (
        (re.compile(r"(?i)\b(?P<v>(?:h[tx]{2}ps?|fxp|ftps?|sftp)(?:://|\[://\]|\[:\]//)[^\s<>\"'`]+)"), 0.95),
    )

    def normalise(self, raw: str) -> Normalised:
        text = _refang_url(clean_input(raw, what=self.label)).rstrip(".,;:!?)]}>'\"")
        if _SPACE.search(text):
            raise IndicatorError(_("A URL has no spaces."))
        parts = _split(text)
        host = _host(parts.hostname or "")
        netloc = _netloc(parts, host)
        path = parts.path or "/"
        value = urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path, parts.query, parts.fragment))
        registrable = None if host.startswith("[") or _is_ip(host) else registrable_domain(host)
        return Normalised(value=value, display=value, extra={"host": host, "registrable_domain": registrable})


def _split(text: str):
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as error:
        raise IndicatorError(_("This is not a valid URL.")) from error
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise IndicatorError(_("A URL starts with http://, https:// or ftp:// and names a host, e.g. https://example.com/login."))
    return parts


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host(hostname: str) -> str:
    if _is_ip(hostname):
        address = ipaddress.ip_address(hostname)
        return f"[{address.compressed}]" if address.version == 6 else address.compressed
    return to_ascii(hostname)


def _netloc(parts, host: str) -> str:
    # Credentials in a URL are evidence too (phishing kits use them), so they are kept.
    userinfo = parts.netloc.rpartition("@")[0]
    port = parts.port
    netloc = host if port in (None, _SCHEMES[parts.scheme.lower()]) else f"{host}:{port}"
    return f"{userinfo}@{netloc}" if userinfo else netloc


TYPE = Url()
