"""IPv4 or IPv6 address, or a CIDR network, in the canonical compressed form of the standard
library's ipaddress. Private and reserved ranges are flagged: they mean something only inside
one organisation's network, so a match across ports is likely a coincidence."""

import ipaddress
import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input
from .domain import refang

_PRIVATE = _("A private or reserved range: it means something only inside one network.")


class IpAddress(IndicatorType):
    kind = "ip"
    label = _("IP address or network")
    patterns = (
        (re.compile(r"(?<![\w.\[])(?P<v>[0-9]{1,3}(?:(?:\.|\[\.\]|\(\.\))[0-9]{1,3}){3}(?:/[0-9]{1,2})?)(?![\w\]]|\.[0-9])"), 0.85),
        (re.compile(r"(?i)(?<![\w:])(?P<v>(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4}){0,6}(?:/[0-9]{1,3})?)(?![\w:])"), 0.8),
        (re.compile(r"(?i)(?<![\w:])(?P<v>::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4}(?:/[0-9]{1,3})?)(?![\w:])"), 0.8),
    )

    def normalise(self, raw: str) -> Normalised:
        text = refang(clean_input(raw, what=self.label)).strip("[]")
        if "/" not in text and (address := _ipv4_address(text)) is not None:
            return _single_ipv4(address)
        network = _parse(text)
        if network.num_addresses == 1 and "/" not in text:
            value = str(network.network_address)
        elif network.prefixlen == network.max_prefixlen:
            value = str(network.network_address)
        else:
            value = network.compressed
        return Normalised(value=value, display=value, flags=_flags(text, network), extra=_extra(network))


def _ipv4_address(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def _single_ipv4(address) -> Normalised:
    """The common case, one IPv4 address, without building a network around it: the result is
    what the /32 network gives (its properties are its one address's), at half the cost."""
    value = str(address)
    flags = (_PRIVATE,) if _is_special(address) else ()
    return Normalised(value=value, display=value, flags=flags, extra={"version": 4, "is_network": False})


def _parse(text: str):
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError as error:
        raise IndicatorError(_("This is not an IPv4 or IPv6 address or network, e.g. 192.0.2.10 or 2001:db8::/32.")) from error


def _flags(text, network) -> tuple:
    flags = ()
    if "/" in text and ipaddress.ip_interface(text).ip != network.network_address:
        flags += (_("The address had host bits set; the network it belongs to is used."),)
    if _is_special(network):
        flags += (_PRIVATE,)
    return flags


def _is_special(address_or_network) -> bool:
    return (address_or_network.is_private or address_or_network.is_loopback or address_or_network.is_link_local
            or address_or_network.is_reserved or address_or_network.is_multicast)


def _extra(network) -> dict:
    return {"version": network.version, "is_network": network.num_addresses > 1}


TYPE = IpAddress()
