"""The webhook channel: where a webhook may go, its signature, and real deliveries to local servers.

The receivers are real HTTP(S) servers on loopback addresses, which the guard refuses unless
the test allows them through WEBHOOK_ALLOWED_NETWORKS, as an operator would for an internal SIEM.
"""

import datetime
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from port2port.alerts.channels import webhook
from port2port.alerts.channels.webhook import UnsafeDestination, check_url, post, resolve_safe, sign, verify
from port2port.core.tests.commandline import port2port, production_environment, run

SECRET = "whsec_test"
BODY = b'{"alert":42}'


# --- Receivers ---

@dataclass
class Received:
    path: str
    headers: object  # email.message.Message: case-insensitive .get()
    body: bytes


class RecordingHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(Received(self.path, self.headers, body))
        self.send_response(self.server.status)
        for name, value in self.server.answer_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, format, *args):
        pass  # keep the test output quiet


class Receiver(ThreadingHTTPServer):
    """A webhook receiver on a loopback address that records every request reaching it."""

    daemon_threads = True

    def __init__(self, host="127.0.0.1", port=0, *, status=204, headers=None, tls=None):
        super().__init__((host, port), RecordingHandler)
        self.status = status
        self.answer_headers = headers or {}
        self.received: list[Received] = []
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path="/hooks/p2p", host=None, scheme="http") -> str:
        return f"{scheme}://{host or self.server_address[0]}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


@dataclass
class SilentServer:
    """Accepts connections (the kernel does, from its backlog) and never answers."""

    sock: socket.socket = field(default_factory=socket.socket)

    def __enter__(self):
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        return self

    def __exit__(self, *exc_info):
        self.sock.close()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hooks/p2p"


class TricklingServer(SilentServer):
    """Starts an answer at once, then sends one byte of headers every 50 ms, for ever."""

    def __enter__(self):
        super().__enter__()
        self.stop = threading.Event()
        threading.Thread(target=self._trickle, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        super().__exit__()

    def _trickle(self):
        connection, _ = self.sock.accept()
        with connection:
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                while not self.stop.wait(0.05):
                    connection.sendall(b"X")
            except OSError:
                pass  # the client cut the connection, as it should


@pytest.fixture
def local_receivers(settings):
    """The operator allows loopback receivers and plain http, as for a test SIEM."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.WEBHOOK_ALLOW_HTTP = True


@pytest.fixture
def dns(monkeypatch):
    """A resolver for names under .test: each lookup answers the next list given, the last for ever.

    Every other name and every address literal goes to the real resolver.
    """
    real_getaddrinfo = socket.getaddrinfo
    answers: dict[str, list[list[str]]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if not (isinstance(host, str) and host.endswith(".test")):
            return real_getaddrinfo(host, port, *args, **kwargs)
        addresses = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [_address_info(address, port) for address in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def _address_info(address: str, port: int):
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


# --- Where a webhook may go ---

@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "::1",
    "10.0.0.5", "172.16.0.1", "172.31.255.254", "192.168.1.20", "fc00::1", "fd12:3456::1",
    "169.254.169.254", "169.254.10.10", "fe80::1", "fd00:ec2::254", "100.100.100.200",
    "::ffff:127.0.0.1", "::ffff:10.0.0.5", "::ffff:169.254.169.254",
    "0.0.0.0", "::", "100.64.0.1", "224.0.0.1", "ff02::1", "240.0.0.1", "255.255.255.255",
    "2002:7f00:1::",  # 6to4 carrying 127.0.0.1
    "2002:a00:5::",  # 6to4 carrying 10.0.0.5
    "2001:0:4136:e378:8000:63bf:f5ff:fffa",  # Teredo, client 10.0.0.5
    "64:ff9b::a00:5",  # NAT64 of 10.0.0.5
    "192.0.2.1",  # documentation range: nobody's receiver
])
def test_it_refuses_addresses_that_are_not_public(address):
    with pytest.raises(UnsafeDestination):
        resolve_safe(address, 443)


@pytest.mark.parametrize("address, reason", [
    ("10.0.0.5", "url: 10.0.0.5 is a private address"),
    ("127.0.0.1", "url: 127.0.0.1 is a loopback address"),
    ("169.254.169.254", "url: 169.254.169.254 is a cloud metadata address"),
    ("fd00:ec2::254", "url: fd00:ec2::254 is a cloud metadata address"),
    ("100.64.0.1", "url: 100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("0.0.0.0", "url: 0.0.0.0 is an unspecified address"),
    ("::ffff:127.0.0.1", "url: ::ffff:127.0.0.1 resolves to 127.0.0.1, a loopback address"),
    ("2002:7f00:1::", "url: 2002:7f00:1:: carries 127.0.0.1, a loopback address"),
])
def test_a_refusal_says_which_address_and_why(address, reason):
    with pytest.raises(UnsafeDestination) as refusal:
        resolve_safe(address, 443)
    assert str(refusal.value) == reason


def test_it_refuses_a_host_name_that_resolves_to_loopback():
    with pytest.raises(UnsafeDestination, match="url: localhost resolves to .*a loopback address"):
        resolve_safe("localhost", 443)


def test_it_refuses_a_name_when_any_one_of_its_addresses_is_internal(dns):
    dns["mixed.test"] = [["8.8.8.8", "10.0.0.5"]]
    with pytest.raises(UnsafeDestination, match="url: mixed.test resolves to 10.0.0.5, a private address"):
        resolve_safe("mixed.test", 443)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "2002:808:808::"])
def test_it_lets_public_addresses_through(address):
    assert [str(ip) for ip in resolve_safe(address, 443)] == [address]


def test_a_public_name_resolves_to_its_addresses(dns):
    dns["siem.test"] = [["8.8.8.8", "2606:4700:4700::1111"]]
    assert [str(ip) for ip in resolve_safe("siem.test", 443)] == ["8.8.8.8", "2606:4700:4700::1111"]


def test_the_operator_can_allow_an_internal_network(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.20.0.0/16"]
    assert [str(ip) for ip in resolve_safe("127.0.0.1", 80)] == ["127.0.0.1"]
    assert resolve_safe("::ffff:127.0.0.1", 80) == [ipaddress.ip_address("::ffff:127.0.0.1")]
    assert [str(ip) for ip in resolve_safe("10.20.3.4", 80)] == ["10.20.3.4"]
    with pytest.raises(UnsafeDestination, match="10.21.0.1 is a private address"):
        resolve_safe("10.21.0.1", 80)


def test_allowing_a_network_never_opens_the_metadata_services(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["169.254.0.0/16", "100.64.0.0/10", "fd00::/8"]
    assert [str(ip) for ip in resolve_safe("169.254.10.10", 80)] == ["169.254.10.10"]
    for address in ("169.254.169.254", "100.100.100.200", "fd00:ec2::254"):
        with pytest.raises(UnsafeDestination, match="a cloud metadata address"):
            resolve_safe(address, 80)


@pytest.mark.slow
def test_a_bad_allowed_network_is_a_configuration_error(tmp_path):
    # Read from the environment by settings.py, so the whole program refuses to start.
    result = run(port2port("check"), production_environment(tmp_path, P2P_WEBHOOK_ALLOWED_NETWORKS="10.0.0.1/8"))
    assert result.returncode != 0
    assert "P2P_WEBHOOK_ALLOWED_NETWORKS must list networks such as 10.20.0.0/16" in result.stderr
    assert "Traceback" not in result.stderr


# --- Checking a URL when a webhook is saved ---

def test_plain_http_is_refused_by_default():
    with pytest.raises(UnsafeDestination, match="url: must start with https://"):
        check_url("http://siem.example/hooks/p2p")


def test_plain_http_is_accepted_when_the_operator_allows_it(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    check_url("http://siem.example/hooks/p2p")


@pytest.mark.parametrize("url", [
    "https://siem.example/hooks/p2p",
    "https://siem.example:8443/hooks/p2p?source=port2port",
    "https://8.8.8.8/hooks",
    "https://[2606:4700:4700::1111]:8443/",
])
def test_it_accepts_a_public_https_url(url):
    check_url(url)


@pytest.mark.parametrize("url, message", [
    ("https://user:secret@siem.example/", "url: must not contain a user name or password"),
    ("https://siem.example@10.0.0.5/", "url: must not contain a user name or password"),
    ("https:///hooks", "url: must name a host"),
    ("siem.example/hooks", "url: must start with https://"),
    ("ftp://siem.example/", "url: must start with https://"),
    ("https://siem.example:0/", "url: the port must be a number between 1 and 65535"),
    ("https://siem.example:70000/", "url: the port must be a number between 1 and 65535"),
    ("https://siem.example:http/", "url: the port must be a number between 1 and 65535"),
    ("https://siem.example/a b", "url: must not contain spaces or control characters"),
    ("https://siem.example/\r\nX-Injected: 1", "url: must not contain spaces or control characters"),
    ("https://10.0.0.5/hooks", "url: 10.0.0.5 is a private address"),
    ("https://[::1]/hooks", "url: ::1 is a loopback address"),
    ("https://169.254.169.254/latest/meta-data/", "url: 169.254.169.254 is a cloud metadata address"),
])
def test_it_refuses_a_url_that_is_malformed_or_unsafe(url, message):
    with pytest.raises(ValueError) as refusal:
        check_url(url)
    assert str(refusal.value).startswith(message)


# --- Signatures ---

def test_the_signature_follows_the_documented_scheme():
    # Worked out independently: printf '1700000000.{"alert":42}' | openssl dgst -sha256 -hmac whsec_test
    assert sign(SECRET, 1700000000, BODY) == "b1bcae401a09fb3f381cdb780d29080f2dfc8f1b93d331124e296daf47762e8c"
    assert webhook.signature_header(SECRET, 1700000000, BODY) == (
        "t=1700000000,v1=b1bcae401a09fb3f381cdb780d29080f2dfc8f1b93d331124e296daf47762e8c"
    )


def test_a_signature_verifies_with_the_same_secret_and_body():
    header = webhook.signature_header(SECRET, 1700000000, BODY)
    assert verify(SECRET, header, BODY, now=1700000100)


def test_a_tampered_body_or_another_secret_does_not_verify():
    header = webhook.signature_header(SECRET, 1700000000, BODY)
    assert not verify(SECRET, header, b'{"alert":43}', now=1700000000)
    assert not verify("another-secret", header, BODY, now=1700000000)
    moved = header.replace("t=1700000000", "t=1700000001")  # a replay with a fresher timestamp
    assert not verify(SECRET, moved, BODY, now=1700000001)


def test_an_old_or_far_future_timestamp_does_not_verify():
    header = webhook.signature_header(SECRET, 1700000000, BODY)
    assert verify(SECRET, header, BODY, now=1700000300)
    assert not verify(SECRET, header, BODY, now=1700000301)
    assert not verify(SECRET, header, BODY, now=1699999699)
    assert verify(SECRET, header, BODY, now=1700000900, tolerance=900)


def test_any_of_several_signatures_verifies_while_a_secret_is_rotated():
    header = f"t=1700000000,v1={sign('old-secret', 1700000000, BODY)},v1={sign(SECRET, 1700000000, BODY)}"
    assert verify(SECRET, header, BODY, now=1700000000)


@pytest.mark.parametrize("header", ["", "garbage", "v1=abc", "t=1700000000", "t=soon,v1=abc", "t=1,t=2,v1=abc"])
def test_a_malformed_signature_header_does_not_verify(header):
    assert not verify(SECRET, header, BODY, now=1700000000)


# --- Deliveries to real local servers ---

def test_a_receiver_gets_the_body_with_a_verifiable_signature(local_receivers):
    with Receiver() as receiver:
        result = post(receiver.url("/hooks/p2p?org=7"), BODY, SECRET, delivery_id="d-123")
    assert result.ok and result.status == 204 and result.error == ""
    assert result.elapsed_ms >= 0
    [request] = receiver.received
    assert request.path == "/hooks/p2p?org=7"
    assert request.body == BODY
    assert request.headers.get("Content-Type") == "application/json"
    assert request.headers.get("User-Agent") == "Port2Port-Webhook/1"
    assert request.headers.get("X-Port2Port-Delivery") == "d-123"
    assert request.headers.get("Host") == f"127.0.0.1:{receiver.port}"
    assert verify(SECRET, request.headers.get("X-Port2Port-Signature"), BODY, now=time.time())


def test_the_host_header_names_the_host_while_the_connection_goes_to_its_checked_address(local_receivers):
    with Receiver() as receiver:
        result = post(receiver.url(host="localhost"), BODY, SECRET)
    assert result.ok
    assert receiver.received[0].headers.get("Host") == f"localhost:{receiver.port}"


def test_a_name_that_rebinds_after_the_check_still_reaches_only_the_checked_address(settings, dns):
    # The name answers an allowed address when checked, then an internal one: a DNS rebinding.
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    dns["rebind.test"] = [["127.0.0.2"], ["127.0.0.1"]]
    with Receiver("127.0.0.2") as allowed, Receiver("127.0.0.1", allowed.port) as internal:
        result = post(allowed.url(host="rebind.test"), BODY, SECRET)
    assert result.ok
    assert len(allowed.received) == 1
    assert internal.received == []


def test_a_delivery_to_an_unsafe_address_is_a_failed_result_and_sends_nothing(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    with Receiver() as receiver:
        result = post(receiver.url(), BODY, SECRET)
    assert not result.ok and result.status is None
    assert result.error == "url: 127.0.0.1 is a loopback address"
    assert receiver.received == []


def test_a_redirect_is_a_failure_and_its_target_is_never_requested(local_receivers):
    with Receiver() as target, Receiver(status=302, headers={"Location": target.url("/internal")}) as receiver:
        result = post(receiver.url(), BODY, SECRET)
    assert not result.ok and result.status == 302
    assert result.error.startswith("redirects are not followed")
    assert len(receiver.received) == 1
    assert target.received == []


def test_an_error_status_is_a_failure(local_receivers):
    with Receiver(status=500) as receiver:
        result = post(receiver.url(), BODY, SECRET)
    assert not result.ok and result.status == 500
    assert result.error == "the receiver answered HTTP 500"


def test_a_receiver_that_never_answers_times_out_quickly(local_receivers):
    started = time.monotonic()
    with SilentServer() as server:
        result = post(server.url(), BODY, SECRET, timeout=0.5)
    assert time.monotonic() - started < 2
    assert not result.ok and result.status is None
    assert result.error == "no answer within 0.5 seconds"


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_timeout(local_receivers):
    started = time.monotonic()
    with TricklingServer() as server:
        result = post(server.url(), BODY, SECRET, timeout=0.5)
    assert time.monotonic() - started < 2
    assert not result.ok
    assert result.error == "no answer within 0.5 seconds"


def test_a_refused_connection_is_a_failed_result(local_receivers):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = post(f"http://127.0.0.1:{closed_port}/", BODY, SECRET, timeout=0.5)
    assert not result.ok and result.status is None
    assert result.error.startswith("could not connect")


def test_a_name_that_does_not_resolve_is_a_failed_result():
    result = post("https://no-such-receiver.invalid/hooks", BODY, SECRET, timeout=0.5)
    assert not result.ok
    assert result.error.startswith("url: the host name no-such-receiver.invalid does not resolve")


# --- HTTPS: the connection is pinned to an address, the certificate still checked for the name ---

@dataclass
class Certificates:
    authority: str  # the test CA, as a file the client is told to trust
    chains: dict[str, tuple[str, str]]  # host name -> (certificate file, key file)

    def server_context(self, host_name: str, seen_names: list) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*self.chains[host_name])
        context.sni_callback = lambda sock, name, ctx: seen_names.append(name)
        return context


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Certificates:
    folder = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Port 2 Port test CA")])
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, is_ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chains = {}
    for host_name in ("localhost", "elsewhere.example"):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)])
        certificate = _certificate(subject, ca_name, key.public_key(), ca_key, dns_name=host_name)
        (folder / f"{host_name}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        (folder / f"{host_name}.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        chains[host_name] = (str(folder / f"{host_name}.pem"), str(folder / f"{host_name}.key"))
    return Certificates(str(folder / "ca.pem"), chains)


def _certificate(subject, issuer, public_key, signing_key, *, is_ca=False, dns_name=None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if dns_name:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture
def trusting_the_test_ca(certificates, monkeypatch, settings):
    # OpenSSL reads SSL_CERT_FILE whenever a default context loads its certificates.
    monkeypatch.setenv("SSL_CERT_FILE", certificates.authority)
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def test_https_sends_the_host_name_and_verifies_its_certificate(certificates, trusting_the_test_ca):
    seen_names = []
    tls = certificates.server_context("localhost", seen_names)
    with Receiver(tls=tls) as receiver:
        result = post(receiver.url(host="localhost", scheme="https"), BODY, SECRET)
    assert result.ok, result.error
    assert seen_names == ["localhost"]
    assert receiver.received[0].body == BODY


def test_https_refuses_a_certificate_for_another_name(certificates, trusting_the_test_ca):
    tls = certificates.server_context("elsewhere.example", [])
    with Receiver(tls=tls) as receiver:
        result = post(receiver.url(host="localhost", scheme="https"), BODY, SECRET)
    assert not result.ok and result.status is None
    assert result.error.startswith("the TLS certificate is not valid: Hostname mismatch")
    assert receiver.received == []


def test_https_refuses_a_certificate_from_an_unknown_authority(certificates, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    tls = certificates.server_context("localhost", [])
    with Receiver(tls=tls) as receiver:
        result = post(receiver.url(host="localhost", scheme="https"), BODY, SECRET)
    assert not result.ok
    assert result.error.startswith("the TLS certificate is not valid")
    assert receiver.received == []


# --- Retries ---

def test_the_wait_between_attempts_grows_and_stops_at_max_attempts():
    assert webhook.MAX_ATTEMPTS == 6
    bases = [30, 120, 600, 3600, 6 * 3600]
    for attempt, base in enumerate(bases, start=1):
        for _ in range(50):
            delay = webhook.next_attempt_delay(attempt).total_seconds()
            assert base * 0.8 <= delay <= base * 1.2
    one_run = [webhook.next_attempt_delay(attempt) for attempt in range(1, webhook.MAX_ATTEMPTS)]
    assert one_run == sorted(one_run)
    with pytest.raises(ValueError, match="attempt: must be between 1 and 5"):
        webhook.next_attempt_delay(webhook.MAX_ATTEMPTS)


def test_the_wait_is_jittered_so_failed_deliveries_do_not_return_together():
    delays = {webhook.next_attempt_delay(1) for _ in range(20)}
    assert len(delays) > 1
