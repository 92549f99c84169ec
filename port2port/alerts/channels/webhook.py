"""Signed webhooks, the sending half: pure functions the delivery worker calls, no models.

A receiver gets a POST of a JSON body with these headers:

    Content-Type: application/json
    User-Agent: Port2Port-Webhook/1
    X-Port2Port-Delivery: <delivery id>                      (when the caller gives one)
    X-Port2Port-Signature: t=<unix seconds>,v1=<hex digest>

The digest is HMAC-SHA256, keyed with the webhook's secret, of the ASCII timestamp, a full stop
and the raw body bytes: `f"{t}.".encode() + body`, as in Stripe's scheme. The timestamp is
inside the signed text, so a captured request cannot be replayed after the receiver's
tolerance. A receiver should accept any one of several `v1=` values (there may be more than one
while a secret is rotated) and ignore keys it does not know. `verify()` is that receiver side.

Webhook URLs are typed by organisation admins, so every delivery is guarded against
server-side request forgery: the host is resolved once, every address it resolves to is
checked, and the connection is made to a checked address itself (with the host name still sent
as Host and checked by TLS), so a DNS answer that changes between check and connect (DNS
rebinding) cannot reach an internal address. Redirects are never followed.
"""

import hashlib
import hmac
import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SIGNATURE_HEADER = "X-Port2Port-Signature"
DELIVERY_HEADER = "X-Port2Port-Delivery"
USER_AGENT = "Port2Port-Webhook/1"

# The wait after each failed attempt. A receiver that stays down is tried six times over about
# seven and a half hours, long enough to outlast a maintenance window, then given up.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# ±20 %, so the deliveries that failed together during an outage do not all return at once.
JITTER = 0.2

# Instance metadata services (AWS, GCP, Azure, OpenStack; AWS over IPv6; Alibaba) hand out
# cloud credentials. They stay refused even inside WEBHOOK_ALLOWED_NETWORKS: an operator who
# allows 100.64.0.0/10 for a VPN, say, must not open Alibaba's metadata service by the way.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address) for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
# IETF protocol assignments (RFC 6890): refused by name because Python before 3.12.4 calls
# some of them global (CVE-2024-4032).
IETF_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")  # a translator would reach the IPv4 inside

# The kinds of address no receiver may have, most telling first (0.0.0.0 is also "private").
UNSAFE_KINDS = (
    ("is_loopback", gettext_lazy("a loopback address")),
    ("is_unspecified", gettext_lazy("an unspecified address")),
    ("is_link_local", gettext_lazy("a link-local address")),
    ("is_multicast", gettext_lazy("a multicast address")),
    ("is_private", gettext_lazy("a private address")),
    ("is_reserved", gettext_lazy("a reserved address")),
)


class UnsafeDestination(ValueError):
    """A webhook URL that would reach somewhere a webhook must not; the message says why."""


@dataclass(frozen=True)
class DeliveryResult:
    """What one attempt came to: `ok` for a 2xx answer, otherwise `error` says what went wrong."""

    ok: bool
    status: int | None
    error: str
    elapsed_ms: int


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


# --- Where a webhook may go ---

def check_url(url: str) -> None:
    """Refuse a URL that is malformed, not HTTPS, carries credentials or names an unsafe IP.

    Syntax only, no DNS: `post()` resolves and checks the host again at every delivery.
    """
    _parse(url)


def resolve_safe(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, or UnsafeDestination if any one of them is unsafe.

    One bad address refuses them all: a name that answers both a public and an internal
    address is a rebinding trick. Resolution failures raise socket.gaierror (an OSError).
    """
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(ipaddress.ip_address(answer[4][0]) for answer in answers))
    allowed = _allowed_networks()
    for address in addresses:
        if refusal := _refusal(host, address, allowed):
            raise UnsafeDestination(refusal)
    return addresses


def _parse(url: str) -> _Target:
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ValueError(_("url: must not contain spaces or control characters"))
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError(_("url: is not a valid URL")) from None
    _check_scheme(parts.scheme)
    if "@" in parts.netloc:
        raise UnsafeDestination(
            _("url: must not contain a user name or password (the receiver checks the signature instead)")
        )
    host = _check_host(parts.hostname or "")
    return _Target(parts.scheme, host, _check_port(parts), _request_path(parts))


def _check_scheme(scheme: str) -> None:
    if scheme == "https" or (scheme == "http" and settings.WEBHOOK_ALLOW_HTTP):
        return
    if scheme == "http":
        raise UnsafeDestination(_("url: must start with https:// (plain http is turned off on this platform)"))
    raise ValueError(_("url: must start with https://"))


def _check_host(host: str) -> str:
    if not host:
        raise ValueError(_("url: must name a host, as in https://siem.example/hooks/port2port"))
    literal = _ip_literal(host)
    if literal is None:
        try:
            host.encode("idna")
        except UnicodeError:
            raise ValueError(_("url: %(host)s is not a valid host name") % {"host": host}) from None
    elif refusal := _refusal(host, literal, _allowed_networks()):
        raise UnsafeDestination(refusal)
    return host


def _check_port(parts) -> int:
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:  # urlsplit accepts ":0", and an out-of-range port raises
        raise ValueError(_("url: the port must be a number between 1 and 65535"))
    return port or (443 if parts.scheme == "https" else 80)


def _request_path(parts) -> str:
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not path.isascii():
        raise ValueError(_("url: the path must be ASCII (percent-encode other characters)"))
    return path


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _allowed_networks() -> list[IPNetwork]:
    try:
        return [ipaddress.ip_network(network) for network in settings.WEBHOOK_ALLOWED_NETWORKS]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS must list networks such as 10.20.0.0/16 ({error})"
        ) from None


def _refusal(host: str, address: IPAddress, allowed: list[IPNetwork]) -> str | None:
    """Why `host`, at `address`, must not be reached; None when it may.

    An IPv4-mapped IPv6 address is judged as the IPv4 address it is; 6to4, Teredo and NAT64
    addresses are judged by the IPv4 addresses they carry as well as by themselves.
    """
    address = getattr(address, "ipv4_mapped", None) or address
    for inner in (address, *_carried_ipv4(address)):
        if kind := _unsafe_kind(inner, allowed):
            return _refusal_message(host, address, inner, kind)
    return None


def _refusal_message(host: str, address: IPAddress, inner: IPAddress, kind: str) -> str:
    values = {"host": host, "address": address, "inner": inner, "kind": kind}
    if host == str(address):
        if inner == address:
            return _("url: %(address)s is %(kind)s") % values
        return _("url: %(address)s carries %(inner)s, %(kind)s") % values
    if inner == address:
        return _("url: %(host)s resolves to %(address)s, %(kind)s") % values
    return _("url: %(host)s resolves to %(address)s, which carries %(inner)s, %(kind)s") % values


def _unsafe_kind(address: IPAddress, allowed: list[IPNetwork]) -> str | None:
    if address in METADATA_ADDRESSES:
        return _("a cloud metadata address")
    if any(address in network for network in allowed):
        return None
    if address in SHARED_ADDRESS_SPACE:
        return _("a shared (carrier-grade NAT) address")
    if address in IETF_PROTOCOL_ASSIGNMENTS:
        return _("not a public address")
    for attribute, kind in UNSAFE_KINDS:
        if getattr(address, attribute):
            return str(kind)
    if not address.is_global:  # whatever else the registries set aside (documentation, ...)
        return _("not a public address")
    return None


def _carried_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    if address.version == 4:
        return []
    carried = [address.sixtofour] if address.sixtofour else []
    carried += list(address.teredo or ())  # (server, client), the client already de-obfuscated
    if address in NAT64_PREFIX:
        carried.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return carried


# --- Signing ---

def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256, keyed with `secret`, of "<timestamp>." followed by the body."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of X-Port2Port-Signature: `t=<timestamp>,v1=<signature>`."""
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float, tolerance: int = 300) -> bool:
    """True when `header` signs `body` with `secret` and its time is within `tolerance` s of `now`."""
    parsed = _parse_signature_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    if abs(now - timestamp) > tolerance:  # too old is a replay; far ahead is a forged clock
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


def _parse_signature_header(header: str) -> tuple[int, list[str]] | None:
    fields = [item.strip().partition("=") for item in header.split(",")]
    timestamps = [value for key, _sep, value in fields if key == "t"]
    signatures = [value for key, _sep, value in fields if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isascii() or not timestamps[0].isdigit() or not signatures:
        return None
    return int(timestamps[0]), signatures


# --- Sending ---

def post(
    url: str, body: bytes, secret: str, *, timeout: float = 5.0, delivery_id: str | None = None
) -> DeliveryResult:
    """POST a signed body to a webhook; every failure comes back in the result, none is raised.

    `timeout` bounds the whole exchange after DNS, not each read. An unsafe or malformed URL is
    a failed result too (its error says why), so the caller logs it like any other failure.
    """
    started = time.monotonic()
    try:
        target = _parse(url)
        addresses = resolve_safe(target.host, target.port)
        status = _exchange(target, addresses, _headers(secret, body, delivery_id), body, timeout)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return DeliveryResult(False, None, _failure(error, url, timeout), _elapsed_ms(started))
    return DeliveryResult(200 <= status < 300, status, _status_error(status), _elapsed_ms(started))


def _headers(secret: str, body: bytes, delivery_id: str | None) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, int(time.time()), body),
    }
    if delivery_id:
        headers[DELIVERY_HEADER] = str(delivery_id)
    return headers


def _exchange(target: _Target, addresses: list[IPAddress], headers: dict, body: bytes, timeout: float) -> int:
    """Send the request over a pinned connection; the answer's status code."""
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target.host, target.port, addresses=addresses, timeout=timeout)
    deadline = _Deadline(connection, timeout)
    try:
        with deadline:
            connection.request("POST", target.path, body=body, headers=headers)
            # The body is not read: only the status counts, and a large one would cost time.
            status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as error:
        if deadline.passed:  # the cut connection shows up as a reset or a closed socket
            raise TimeoutError from error
        raise
    finally:
        connection.close()
    if deadline.passed:  # http.client takes a cut as the end of the headers: not an answer
        raise TimeoutError
    return status


def _failure(error: Exception, url: str, timeout: float) -> str:
    """The delivery log's words for what went wrong."""
    if isinstance(error, ssl.SSLCertVerificationError):  # before ValueError: it is one too
        return _("the TLS certificate is not valid: %(reason)s") % {"reason": error.verify_message}
    if isinstance(error, ValueError):  # includes UnsafeDestination
        return str(error)
    if isinstance(error, TimeoutError):
        return _("no answer within %(seconds)s seconds") % {"seconds": timeout}
    if isinstance(error, socket.gaierror):
        host = urlsplit(url).hostname
        values = {"host": host, "reason": error.strerror}
        return _("url: the host name %(host)s does not resolve (%(reason)s)") % values
    if isinstance(error, http.client.HTTPException):
        return _("the receiver's answer is not valid HTTP (%(reason)s)") % {"reason": repr(error)}
    return _("could not connect: %(reason)s") % {"reason": error.strerror or error}


def _status_error(status: int) -> str:
    if 200 <= status < 300:
        return ""
    if 300 <= status < 400:
        return _("redirects are not followed (the receiver answered HTTP %(status)s)") % {"status": status}
    return _("the receiver answered HTTP %(status)s") % {"status": status}


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _connect_first(addresses: list[IPAddress], port: int, timeout: float) -> socket.socket:
    """A socket to the first address that accepts, in resolver order, as create_connection does."""
    last_error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((str(address), port), timeout)
        except OSError as error:
            last_error = error
    raise last_error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a host by name (its Host header) over a socket to addresses already checked."""

    def __init__(self, host: str, port: int, *, addresses: list[IPAddress], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect_first(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS likewise; TLS sends the host name (SNI) and checks the certificate against it."""

    def __init__(self, host: str, port: int, *, addresses: list[IPAddress], timeout: float):
        self.tls = ssl.create_default_context()  # system CAs, certificate and host name required
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self) -> None:
        # The plain socket is set first so that the deadline can cut a dragging handshake too.
        self.sock = _connect_first(self.addresses, self.port, self.timeout)
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


class _Deadline:
    """Cuts a connection that outlasts `seconds` in all.

    Socket timeouts count per read, so a receiver that trickles its answer one byte at a time
    could otherwise hold the worker (and every other organisation's alerts) indefinitely.
    """

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.connection = connection
        self.passed = False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.timer.cancel()
        self.timer.join()  # a cut under way finishes before the caller closes the socket

    def _cut(self) -> None:
        self.passed = True
        sock = self.connection.sock
        if sock is None:  # still connecting: the connect timeout ends that
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read in the other thread
        except OSError:
            pass  # already closed


def next_attempt_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number `attempt` (1 = the first), with jitter.

    Raises ValueError from attempt MAX_ATTEMPTS on: the delivery is then given up.
    """
    if not 1 <= attempt < MAX_ATTEMPTS:
        raise ValueError(f"attempt: must be between 1 and {MAX_ATTEMPTS - 1}, not {attempt}")
    return RETRY_DELAYS[attempt - 1] * random.uniform(1 - JITTER, 1 + JITTER)
