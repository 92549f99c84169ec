"""The client address the audit log records, with and without a trusted reverse proxy."""

from django.test import RequestFactory

from port2port.core.views import client_ip


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_it_ignores_a_forwarded_header_unless_a_proxy_is_trusted(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_trusted_proxy_it_takes_the_address_that_proxy_saw(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    request = request_from("127.0.0.1", forwarded="6.6.6.6, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
