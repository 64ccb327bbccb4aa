"""The HTTP fetcher against real servers on loopback: PageServer for well-behaved pages, and
small raw-socket servers below for what a well-behaved server will not do (trickle bytes, never
answer, lie about lengths, send bombs). Nothing is sent to any non-loopback address, and names
under .test are answered by the stand-in resolver from test_netguard (no DNS traffic)."""

from __future__ import annotations

import contextlib
import datetime
import gzip
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable

import pytest

from scrapers import netguard
from scrapers.fetch import ACCEPTED_TYPES, FetchError, FetchResult, fetch, get_fetcher
from tests.scrapers.test_netguard import FakeResolver
from tests.servers import Page, PageServer, free_port

MB = 1024 * 1024
LIST = "<html><body><table><tr><th>Name</th></tr><tr><td>Stripe</td></tr></table></body></html>"


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    netguard.clear_dns_cache()
    resolver = FakeResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    yield resolver
    netguard.clear_dns_cache()


@pytest.fixture
def page_server():
    # The shared PageServer, polling for shutdown every 0.05 s instead of 0.5 s: this file
    # starts one per test, and the default poll alone would add half a second to each.
    server = PageServer()
    server.thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    yield server.start()
    server.stop()


class RawServer:
    """A TCP server on a loopback address running ``handle(conn)`` per connection."""

    def __init__(self, handle: Callable[[socket.socket], None], host: str = "127.0.0.1"):
        self.handle = handle
        self.listener = socket.create_server((host, 0))
        self.host, self.port = host, self.listener.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://{self.host}:{self.port}{path}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # ssl.SSLError is an OSError
            self.handle(conn)

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()


@pytest.fixture
def raw_server():
    servers: list[RawServer] = []

    def start(handle, host="127.0.0.1") -> RawServer:
        servers.append(RawServer(handle, host))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def answer(head: str, body: bytes = b"") -> Callable[[socket.socket], None]:
    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)

    return handle


def failure(url: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, **{"allow_private": True, **kwargs})
    assert "\n" not in caught.value.message
    return caught.value


# --- well-behaved pages -----------------------------------------------------------------------


def test_it_fetches_an_html_page(page_server):
    page_server.pages["/subprocessors"] = Page(
        LIST, headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT"}
    )
    result = fetch(page_server.url("/subprocessors"), allow_private=True, user_agent="Subwatch/1")
    assert result == FetchResult(
        url=page_server.url("/subprocessors"),
        status=200,
        body=LIST.encode(),
        content_type="text/html",
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 10:00:00 GMT",
    )
    path, headers = page_server.requests[0]
    assert path == "/subprocessors"
    assert headers["User-Agent"] == "Subwatch/1"
    assert headers["Host"] == f"127.0.0.1:{page_server.port}"
    assert "If-None-Match" not in headers and "If-Modified-Since" not in headers


def test_an_unchanged_page_is_not_modified(page_server):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Page("", status=304, headers={"ETag": '"v1"'})
        return Page(LIST, headers={"ETag": '"v1"'})

    page_server.pages["/list"] = conditional
    result = fetch(
        page_server.url("/list"),
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 10:00:00 GMT",
        allow_private=True,
    )
    assert result == FetchResult(
        url=page_server.url("/list"),
        status=304,
        body=b"",
        content_type="",
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 10:00:00 GMT",
        not_modified=True,
    )
    headers = page_server.requests[0][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 02 Mar 2026 10:00:00 GMT"


def test_checking_many_pages_on_one_host_reuses_one_connection(page_server):
    ports: set[int] = set()

    def unchanged(handler):
        ports.add(handler.client_address[1])
        return Page("", status=304)

    page_server.pages["/list"] = unchanged
    page_server.pages["/page"] = Page(LIST)
    for _ in range(30):
        assert fetch(page_server.url("/list"), etag='"v1"', allow_private=True).not_modified
        assert fetch(page_server.url("/page"), allow_private=True).status == 200
    assert len(ports) == 1


def test_an_unchanged_page_costs_little_cpu(page_server):
    page_server.pages["/list"] = Page("", status=304)
    fetch(page_server.url("/list"), etag='"v1"', allow_private=True)
    started = time.thread_time()  # this thread only: the server's work is not counted
    for _ in range(200):
        fetch(page_server.url("/list"), etag='"v1"', allow_private=True)
    per_fetch = (time.thread_time() - started) / 200
    assert per_fetch < 0.003, f"{per_fetch * 1000:.2f} ms of CPU per unchanged page"


@pytest.mark.parametrize("content_type", ACCEPTED_TYPES)
def test_it_accepts_each_document_type(page_server, content_type):
    page_server.pages["/doc"] = Page("%PDF-1.7 or text", content_type=f"{content_type}; q=1")
    assert fetch(page_server.url("/doc"), allow_private=True).content_type == content_type


def test_it_accepts_a_pdf_sent_as_octet_stream_or_without_a_type(page_server):
    page_server.pages["/dpa.pdf"] = Page(b"%PDF-1.7\n...", content_type="application/octet-stream")
    page_server.pages["/untyped"] = Page(b"%PDF-1.4\n...", content_type="")
    page_server.pages["/plain"] = Page(LIST, content_type="")
    assert fetch(page_server.url("/dpa.pdf"), allow_private=True).content_type == "application/pdf"
    assert fetch(page_server.url("/untyped"), allow_private=True).content_type == "application/pdf"
    assert fetch(page_server.url("/plain"), allow_private=True).body == LIST.encode()


@pytest.mark.parametrize(
    ("content_type", "said"),
    [
        ("image/png", "unsupported content type image/png"),
        ("application/zip", "unsupported content type application/zip"),
        (
            "application/octet-stream",
            "unsupported content type application/octet-stream (not a PDF)",
        ),
    ],
)
def test_other_content_types_are_refused(page_server, content_type, said):
    page_server.pages["/logo"] = Page(b"\x89PNG....", content_type=content_type)
    error = failure(page_server.url("/logo"))
    assert (error.kind, error.temporary, error.status) == ("content_type", False, 200)
    assert error.message == f"{said} from {page_server.url('/logo')}"


def test_it_decodes_gzip_and_deflate(page_server):
    page_server.pages["/gz"] = Page(
        gzip.compress(LIST.encode()), headers={"Content-Encoding": "gzip"}
    )
    page_server.pages["/zlib"] = Page(
        zlib.compress(LIST.encode()), headers={"Content-Encoding": "deflate"}
    )
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    page_server.pages["/raw"] = Page(
        raw.compress(LIST.encode()) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    for path in ("/gz", "/zlib", "/raw"):
        assert fetch(page_server.url(path), allow_private=True).body == LIST.encode(), path
    assert "gzip" in page_server.requests[0][1]["Accept-Encoding"]


def test_an_unknown_content_encoding_is_refused(page_server):
    page_server.pages["/br"] = Page(b"\x1b...", headers={"Content-Encoding": "br"})
    error = failure(page_server.url("/br"))
    assert error.kind == "content_type"
    assert error.message.startswith("unsupported content encoding br from ")


def test_a_corrupt_gzip_body_is_a_temporary_network_error(page_server):
    page_server.pages["/gz"] = Page(
        gzip.compress(LIST.encode())[:-20], headers={"Content-Encoding": "gzip"}
    )
    error = failure(page_server.url("/gz"))
    assert (error.kind, error.temporary) == ("network", True)
    assert "truncated compressed body" in error.message


# --- HTTP errors and redirects ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "phrase", "temporary"),
    [
        (500, "Internal Server Error", True),
        (503, "Service Unavailable", True),
        (404, "Not Found", False),
        (403, "Forbidden", False),
        (410, "Gone", False),
        (408, "Request Timeout", True),
        (425, "Too Early", True),
        (429, "Too Many Requests", True),
    ],
)
def test_http_errors_say_whether_a_retry_may_help(page_server, status, phrase, temporary):
    page_server.pages["/list"] = Page("oops", status=status)
    error = failure(page_server.url("/list"))
    assert (error.kind, error.status, error.temporary) == ("http", status, temporary)
    assert error.message == f"HTTP {status} {phrase} from {page_server.url('/list')}"


def test_it_follows_redirects_and_reports_the_final_url(page_server):
    page_server.pages["/old"] = Page("", status=301, headers={"Location": "/moved"})
    page_server.pages["/moved"] = Page(
        "", status=302, headers={"Location": page_server.url("/new")}
    )
    page_server.pages["/new"] = Page("", status=307, headers={"Location": "final?lang=en"})
    page_server.pages["/final?lang=en"] = Page(LIST)
    result = fetch(page_server.url("/old"), allow_private=True)
    assert result.url == page_server.url("/final?lang=en")
    assert result.body == LIST.encode()
    assert [path for path, _ in page_server.requests] == [
        "/old",
        "/moved",
        "/new",
        "/final?lang=en",
    ]


def test_it_gives_up_after_five_redirects(page_server):
    for n in range(10):
        page_server.pages[f"/r{n}"] = Page("", status=302, headers={"Location": f"/r{n + 1}"})
    error = failure(page_server.url("/r0"))
    assert (error.kind, error.temporary) == ("redirect", False)
    assert error.message == f"more than 5 redirects starting at {page_server.url('/r0')}"
    assert len(page_server.requests) == 6


def test_a_redirect_without_a_location_is_an_error(page_server):
    page_server.pages["/r"] = Page("", status=302)
    error = failure(page_server.url("/r"))
    assert (error.kind, error.status) == ("redirect", 302)
    assert error.message == f"HTTP 302 Found from {page_server.url('/r')} without a Location"


@pytest.mark.parametrize(
    "location",
    ["ftp://127.0.0.1/list.txt", "file:///etc/passwd", "http://alice:secret@127.0.0.1/"],
)
def test_each_redirect_target_is_validated(page_server, location):
    page_server.pages["/r"] = Page("", status=302, headers={"Location": location})
    error = failure(page_server.url("/r"))
    assert error.kind == "invalid_url"
    assert "secret" not in error.message


def test_a_redirect_to_a_disallowed_address_is_refused_before_connecting(page_server, raw_server):
    internal = raw_server(answer("HTTP/1.1 200 OK\nContent-Length: 2\n", b"hi"), host="127.0.0.2")
    page_server.pages["/r"] = Page("", status=302, headers={"Location": internal.url("/admin")})
    error = failure(page_server.url("/r"), allow_private=["127.0.0.1/32"])
    assert error.kind == "blocked_address"
    assert error.message.startswith("127.0.0.2 is a private or loopback address;")
    assert internal.connections == 0


# --- the address guard, end to end -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::1]:{port}/",
        "http://10.0.0.1:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/",
    ],
)
def test_private_addresses_are_refused_unless_allowed(page_server, url):
    page_server.pages["/"] = Page(LIST)
    with pytest.raises(FetchError) as caught:
        fetch(url.format(port=page_server.port))
    assert caught.value.kind == "blocked_address"
    assert caught.value.message.endswith("set SUBWATCH_ALLOW_PRIVATE_ADDRESSES=1 to allow it")
    assert page_server.requests == []


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "not a url", "http://user:pass@127.0.0.1/"])
def test_malformed_urls_are_refused(url):
    error = failure(url)
    assert (error.kind, error.temporary) == ("invalid_url", False)
    assert error.message.startswith("not a valid http(s) URL: ")


def test_it_connects_to_the_address_it_vetted(page_server, fake_dns):
    # The name is resolved once; a changed answer afterwards (DNS rebinding) is never used.
    page_server.pages["/list"] = Page(LIST)
    fake_dns.answers["vendor.test"] = ["127.0.0.1"]
    url = f"http://vendor.test:{page_server.port}/list"
    assert fetch(url, allow_private=["127.0.0.0/8"]).body == LIST.encode()
    fake_dns.answers["vendor.test"] = ["10.9.9.9"]
    assert fetch(url, allow_private=["127.0.0.0/8"]).body == LIST.encode()
    assert fake_dns.asked == ["vendor.test"]
    assert [h["Host"] for _, h in page_server.requests] == [f"vendor.test:{page_server.port}"] * 2

    netguard.clear_dns_cache()  # when the answer is asked again, it is vetted again
    error = failure(url, allow_private=["127.0.0.0/8"])
    assert error.kind == "blocked_address"
    assert error.message.startswith(
        "vendor.test resolves to a private or loopback address (10.9.9.9)"
    )
    assert len(page_server.requests) == 2


def test_it_tries_the_next_address_when_one_refuses(page_server, fake_dns):
    page_server.pages["/list"] = Page(LIST)
    fake_dns.answers["dual.test"] = ["127.0.0.3", "127.0.0.1"]  # nothing listens on .3
    result = fetch(f"http://dual.test:{page_server.port}/list", allow_private=True)
    assert result.body == LIST.encode()


def test_an_unknown_host_is_a_temporary_dns_error():
    error = failure("https://nowhere.test/subprocessors")
    assert (error.kind, error.temporary) == ("dns", True)
    assert error.message == "cannot resolve host nowhere.test: Name or service not known"


# --- network failures -------------------------------------------------------------------------


def test_a_refused_connection_is_temporary():
    port = free_port()
    error = failure(f"http://127.0.0.1:{port}/list")
    assert (error.kind, error.temporary, error.status) == ("refused", True, None)
    assert error.message == f"connection refused by 127.0.0.1 (port {port})"


def test_a_slow_server_times_out(page_server):
    page_server.pages["/slow"] = Page(LIST, delay=2.0)
    started = time.monotonic()
    error = failure(page_server.url("/slow"), read_timeout=0.5)
    assert (error.kind, error.temporary) == ("timeout", True)
    assert error.message == "127.0.0.1 sent nothing for 0.5s"
    assert time.monotonic() - started < 1.5


def test_a_server_that_accepts_and_never_answers_times_out(raw_server):
    silent = raw_server(lambda conn: (read_request(conn), time.sleep(10)))
    started = time.monotonic()
    error = failure(silent.url(), read_timeout=0.5)
    assert (error.kind, error.temporary) == ("timeout", True)
    assert time.monotonic() - started < 1.5


def trickle(head: bytes, drip: bytes) -> Callable[[socket.socket], None]:
    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(head)
        for _ in range(200):  # one drip every 0.1 s: each read is well inside its timeout
            time.sleep(0.1)
            conn.sendall(drip)

    return handle


@pytest.mark.parametrize(
    ("head", "drip"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n", b"<"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", b"<"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", b"X-Filler: y\r\n"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\n<\r\n"),
    ],
    ids=["body-with-length", "body-until-close", "headers", "chunked"],
)
def test_a_trickling_server_cannot_outlast_the_overall_deadline(raw_server, head, drip):
    server = raw_server(trickle(head, drip))
    started = time.monotonic()
    error = failure(server.url(), read_timeout=0.5, total_timeout=1.0)
    assert (error.kind, error.temporary) == ("timeout", True)
    assert error.message == "gave up on 127.0.0.1 after 1s (overall deadline)"
    assert time.monotonic() - started < 2.0


def test_a_body_shorter_than_its_content_length_is_a_network_error(raw_server):
    liar = raw_server(
        answer("HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 5000\n", b"<html>")
    )
    error = failure(liar.url())
    assert (error.kind, error.temporary) == ("network", True)
    assert error.message.startswith("connection to 127.0.0.1 broke: ")


def test_a_server_speaking_plain_http_to_https_is_a_tls_error(page_server):
    error = failure(f"https://127.0.0.1:{page_server.port}/")
    assert (error.kind, error.temporary) == ("tls", True)
    assert error.message.startswith("TLS error with 127.0.0.1: ")


def test_tls_names_the_real_host_not_the_address(raw_server, fake_dns):
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = raw_server(lambda conn: context.wrap_socket(conn, server_side=True))
    fake_dns.answers["vendor.test"] = ["127.0.0.1"]
    error = failure(f"https://vendor.test:{server.port}/", connect_timeout=2, read_timeout=2)
    assert error.kind == "tls"
    assert names == ["vendor.test"]


def self_signed(tmp_path, name: str) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for ``name``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = tmp_path / "server.pem"
    pem.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pem)
    return context


def test_an_untrusted_certificate_is_refused_even_when_connecting_by_address(
    raw_server, fake_dns, tmp_path
):
    context = self_signed(tmp_path, "vendor.test")
    served: list[bytes] = []

    def handle(conn):
        with context.wrap_socket(conn, server_side=True) as tls:
            served.append(read_request(tls))

    server = raw_server(handle)
    fake_dns.answers["vendor.test"] = ["127.0.0.1"]
    error = failure(f"https://vendor.test:{server.port}/", connect_timeout=2, read_timeout=2)
    assert (error.kind, error.temporary) == ("tls", True)
    assert error.message == (
        "TLS error with vendor.test: certificate verify failed: self-signed certificate"
    )
    assert served == []


# --- size cap ---------------------------------------------------------------------------------


def test_a_declared_20_mb_body_is_refused_without_reading_it(page_server):
    page_server.pages["/huge"] = Page(b"x" * (20 * MB))
    error = failure(page_server.url("/huge"))
    assert (error.kind, error.temporary, error.status) == ("too_large", False, 200)
    assert error.message == (
        f"response from {page_server.url('/huge')} declares {20 * MB} bytes, "
        f"over the {10 * MB}-byte limit"
    )


def endless(head: str) -> Callable[[socket.socket], None]:
    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        block = b"x" * 65536
        for _ in range(20 * 16):  # 20 MB
            conn.sendall(b"10000\r\n" + block + b"\r\n" if "chunked" in head else block)

    return handle


@pytest.mark.parametrize(
    "head",
    [
        "HTTP/1.1 200 OK\nContent-Type: text/html\nTransfer-Encoding: chunked\n",
        "HTTP/1.1 200 OK\nContent-Type: text/html\nConnection: close\n",
    ],
    ids=["chunked", "no-length"],
)
def test_an_undeclared_20_mb_body_is_cut_off_at_the_limit(raw_server, head):
    server = raw_server(endless(head))
    error = failure(server.url("/huge"))
    assert (error.kind, error.temporary) == ("too_large", False)
    assert error.message == (
        f"response from {server.url('/huge')} is larger than the {10 * MB}-byte limit"
    )


def test_a_gzip_bomb_is_cut_off_at_the_decompressed_limit(page_server):
    bomb = gzip.compress(b"\0" * (20 * MB))  # about 20 KB on the wire
    page_server.pages["/bomb"] = Page(bomb, headers={"Content-Encoding": "gzip"})
    error = failure(page_server.url("/bomb"), max_bytes=MB)
    assert error.kind == "too_large"
    assert error.message.endswith(f"is larger than the {MB}-byte limit")


def test_a_body_of_exactly_the_limit_is_fine(page_server):
    page_server.pages["/edge"] = Page(b"x" * 1000, headers={"Content-Encoding": "identity"})
    assert len(fetch(page_server.url("/edge"), max_bytes=1000, allow_private=True).body) == 1000
    page_server.pages["/gz"] = Page(
        gzip.compress(b"x" * 1000), headers={"Content-Encoding": "gzip"}
    )
    assert len(fetch(page_server.url("/gz"), max_bytes=1000, allow_private=True).body) == 1000
    assert failure(page_server.url("/gz"), max_bytes=999).kind == "too_large"


# --- registry ---------------------------------------------------------------------------------


def test_the_http_fetcher_is_registered():
    assert get_fetcher() is fetch
    assert get_fetcher("http") is fetch
    with pytest.raises(ValueError, match="unknown fetcher 'carrier-pigeon'; known: http"):
        get_fetcher("carrier-pigeon")
