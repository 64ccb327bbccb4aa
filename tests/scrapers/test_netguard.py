"""The address guard: which URLs the fetcher may request and where they may connect.

No test here sends traffic anywhere: literals are refused before any connection, "localhost"
resolves from /etc/hosts, and other names are answered by a stand-in for the system resolver
(socket.getaddrinfo), so no real DNS server is ever asked.
"""

from __future__ import annotations

import ipaddress
import socket
import time

import pytest

from scrapers import netguard
from scrapers.fetch import FetchError, validate_url

ALLOW_HINT = "set SUBWATCH_ALLOW_PRIVATE_ADDRESSES=1 to allow it"


@pytest.fixture(autouse=True)
def _fresh_dns_cache():
    netguard.clear_dns_cache()
    yield
    netguard.clear_dns_cache()


class FakeResolver:
    """Stands in for socket.getaddrinfo: made-up names get ``answers``; "localhost" and numeric
    hosts go to the real resolver with AI_NUMERICHOST or /etc/hosts (no DNS traffic); any other
    name is unknown. So no test can ever ask a real DNS server, even by mistake."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.asked: list[str] = []
        self._real = socket.getaddrinfo

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002
        if host == "localhost":
            return self._real(host, port, family, type, proto, flags)
        if host not in self.answers:
            try:
                return self._real(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
            except socket.gaierror:
                pass
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 0))
            for ip in self.answers[host]
        ]


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    resolver = FakeResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",  # multicast (ipaddress calls it global)
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.2.10",  # documentation
        "198.18.0.1",  # benchmarking
        "::1",
        "::",
        "fe80::1",
        "fd12:3456::1",
        "fec0::1",  # site-local
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
        "2002:a00:1::1",  # 6to4 wrapping 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
        "2001::1",  # Teredo
    ],
)
def test_it_refuses_non_public_addresses(address):
    assert not netguard.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_it_accepts_public_addresses(address):
    assert netguard.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://127.0.0.1:8000/list", "127.0.0.1 is a private or loopback address"),
        ("http://[::1]/", "::1 is a private or loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private or loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a private"),
        ("http://[::ffff:7f00:1]/", "::ffff:7f00:1 is a private or loopback address"),
        ("http://100.64.1.2/", "100.64.1.2 is a private or loopback address"),
    ],
)
def test_validate_url_blocks_private_literals_with_a_hint(url, shown):
    with pytest.raises(FetchError) as caught:
        validate_url(url)
    error = caught.value
    assert (error.kind, error.temporary, error.status) == ("blocked_address", False, None)
    assert error.message == f"{shown}{error.message[len(shown) :]}"
    assert error.message.endswith(ALLOW_HINT)
    assert "\n" not in error.message


def test_validate_url_says_what_localhost_resolves_to():
    with pytest.raises(FetchError) as caught:
        validate_url("http://localhost:8000/subprocessors")
    message = caught.value.message
    assert caught.value.kind == "blocked_address"
    assert message.startswith("localhost resolves to a private or loopback address (")
    assert message.endswith(f"); {ALLOW_HINT}")


def test_numeric_spellings_of_loopback_are_caught_after_resolution():
    for url in ("http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/"):
        with pytest.raises(FetchError) as caught:
            validate_url(url)
        assert caught.value.kind == "blocked_address", url
        assert "(127.0.0.1)" in caught.value.message


def test_validate_url_allows_private_addresses_when_configured():
    assert (
        validate_url(" http://127.0.0.1:8000/a ", allow_private=True) == "http://127.0.0.1:8000/a"
    )
    assert validate_url("http://localhost/", allow_private=True) == "http://localhost/"


def test_an_allowed_network_lets_only_that_network_through():
    assert netguard.vet("http://127.0.0.1/", allow_private=["127.0.0.0/8"]).addresses == (
        "127.0.0.1",
    )
    with pytest.raises(netguard.Rejected) as caught:
        netguard.vet("http://10.0.0.1/", allow_private=["127.0.0.0/8"])
    assert caught.value.kind == "blocked_address"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://vendor.example/list", "scheme ftp: is not supported"),
        ("file:///etc/passwd", "scheme file: is not supported"),
        ("javascript:alert(1)", "scheme javascript: is not supported"),
        ("not a url", "no http:// or https://"),
        ("vendor.example/subprocessors", "no http:// or https://"),
        ("", "empty"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("http://vendor.example:99999/", "bad port"),
        ("http://vendor.example:0/", "bad port"),
        ("http://vendor.example:http/", "bad port"),
        ("http://ven dor.example/", "bad host name"),
        ("http://vendor..example/", "bad host name"),
        ("http://vendor.example/\r\nX-Injected: 1", "contains control characters"),
        ("http://user@vendor.example/", "user names and passwords in URLs are not allowed"),
    ],
)
def test_validate_url_rejects_malformed_urls_in_one_line(url, reason):
    with pytest.raises(FetchError) as caught:
        validate_url(url)
    error = caught.value
    assert (error.kind, error.temporary) == ("invalid_url", False)
    assert error.message.startswith("not a valid http(s) URL: ")
    assert error.message.endswith(f"({reason})")
    assert "\n" not in error.message and "\r" not in error.message


def test_it_never_repeats_a_password_from_a_url():
    with pytest.raises(FetchError) as caught:
        validate_url("http://alice:hunter2@vendor.example/list")
    assert caught.value.kind == "invalid_url"
    assert "hunter2" not in caught.value.message
    assert "alice:***@vendor.example" in caught.value.message


def test_parse_builds_the_request_target_and_host_header():
    target = netguard.parse("HTTPS://Vendor.Example/legal/sub processors?lang=en#list")
    assert (target.scheme, target.host, target.port) == ("https", "vendor.example", 443)
    assert target.host_header == "vendor.example"
    assert target.request_target == "/legal/sub%20processors?lang=en"

    assert netguard.parse("http://vendor.example:8080").host_header == "vendor.example:8080"
    assert netguard.parse("http://vendor.example:8080").request_target == "/"
    assert netguard.parse("http://[2606:4700::1]:81/").host_header == "[2606:4700::1]:81"
    assert netguard.parse("http://bücher.example/").host == "xn--bcher-kva.example"


def test_an_unresolvable_host_is_a_temporary_dns_error(fake_dns):
    with pytest.raises(FetchError) as caught:
        validate_url("https://nowhere.test/subprocessors")
    error = caught.value
    assert (error.kind, error.temporary) == ("dns", True)
    assert error.message == "cannot resolve host nowhere.test: Name or service not known"


def test_a_name_with_any_private_address_is_refused(fake_dns):
    fake_dns.answers["mixed.test"] = ["93.184.216.34", "10.1.2.3"]
    with pytest.raises(FetchError) as caught:
        validate_url("https://mixed.test/")
    assert caught.value.message.startswith(
        "mixed.test resolves to a private or loopback address (10.1.2.3)"
    )


def test_a_resolution_is_reused_for_a_while_then_asked_again(fake_dns, monkeypatch):
    fake_dns.answers["vendor.test"] = ["93.184.216.34"]
    assert netguard.vet("https://vendor.test/a").addresses == ("93.184.216.34",)
    fake_dns.answers["vendor.test"] = ["10.0.0.7"]  # the record changes (rebinding)
    assert netguard.vet("https://vendor.test/b").addresses == ("93.184.216.34",)
    assert fake_dns.asked == ["vendor.test"]

    later = time.monotonic() + netguard.DNS_TTL + 1
    monkeypatch.setattr(netguard.time, "monotonic", lambda: later)
    with pytest.raises(netguard.Rejected) as caught:
        netguard.vet("https://vendor.test/c")
    assert caught.value.kind == "blocked_address"
    assert fake_dns.asked == ["vendor.test", "vendor.test"]


def test_a_deadline_shuts_down_a_watched_socket():
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    peer, _ = server.accept()
    try:
        client.settimeout(5)
        started = time.monotonic()
        with netguard.deadline(0.3) as limit:
            netguard.watch(client)
            assert client.recv(10) == b""  # cut, not a 5 s timeout
        assert limit.expired
        assert time.monotonic() - started < 2
    finally:
        for sock in (client, peer, server):
            sock.close()


def test_a_finished_deadline_leaves_its_socket_alone():
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    peer, _ = server.accept()
    try:
        with netguard.deadline(0.2) as limit:
            netguard.watch(client)
        time.sleep(0.4)
        peer.sendall(b"still here")
        client.settimeout(2)
        assert client.recv(10) == b"still here"
        assert not limit.expired
    finally:
        for sock in (client, peer, server):
            sock.close()
