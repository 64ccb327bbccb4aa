"""HTTP fetching for vendor pages (plain Python, no Django; urllib3 2.x underneath).

Every request resolves its host once, refuses non-public addresses (scrapers.netguard) and
connects to exactly the vetted address, sending the real name as Host header and TLS SNI.
Redirects are followed by hand (at most MAX_REDIRECTS), vetting each hop. Each fetch has
connect and read timeouts plus an overall deadline enforced by one watchdog thread that shuts
the socket of a fetch that runs past it (so a server trickling bytes cannot hold a worker).
Bodies are capped at ``max_bytes`` after gzip/deflate decoding. Connections are pooled per
(scheme, address, port, host name) and reused across fetches (netguard.pool_for).
"""

from __future__ import annotations

import http
import importlib
import re
import ssl
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from scrapers import netguard

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
    "application/pdf",
    "application/json",
)
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TEMPORARY_4XX = frozenset({408, 425, 429})
_CHUNK = 64 * 1024
_OCTET_STREAM = "application/octet-stream"
_ACCEPT = "text/html,application/xhtml+xml,application/pdf,application/json,text/*;q=0.8,*/*;q=0.1"


class FetchError(Exception):
    """A fetch that gave no usable document. ``temporary`` says whether retrying may help.

    kind: invalid_url, blocked_address, dns, refused, timeout, tls, network, http, redirect,
    too_large, content_type.
    """

    def __init__(
        self, kind: str, message: str, *, temporary: bool = False, status: int | None = None
    ):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.temporary = temporary
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: int
    body: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def validate_url(url: str, *, allow_private: bool | Collection[str] = False) -> str:
    """Return the URL (stripped) if it may be fetched; raise FetchError(kind="invalid_url",
    "blocked_address" or "dns") otherwise. ``allow_private``: see netguard.vet."""
    return _vet(url, allow_private).url


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
    max_bytes: int = 10 * 1024 * 1024,
    allow_private: bool | Collection[str] = False,
    user_agent: str = "Subwatch",
    total_timeout: float | None = None,
) -> FetchResult:
    """GET ``url``; raise FetchError for anything but a usable document or a 304.

    ``total_timeout`` (default connect_timeout + 2 * read_timeout) bounds the whole fetch,
    redirects included; DNS resolution is bounded by the system resolver instead.
    """
    total = total_timeout if total_timeout is not None else connect_timeout + 2 * read_timeout
    headers = {"User-Agent": user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    ask = _Ask(headers, connect_timeout, read_timeout, total, max_bytes, etag, last_modified)
    current = url
    with netguard.deadline(total) as limit:
        for _ in range(MAX_REDIRECTS + 1):
            target = _vet(current, allow_private)
            try:
                outcome = _hop(target, ask, limit)
            except (HTTPError, OSError) as exc:
                raise _network_error(exc, target.host, ask, limit) from exc
            if isinstance(outcome, FetchResult):
                return outcome
            current = outcome
    raise FetchError("redirect", f"more than {MAX_REDIRECTS} redirects starting at {url}")


def get_fetcher(name: str = "http") -> Callable[..., FetchResult]:
    """The fetch callable registered under ``name`` (imported lazily)."""
    try:
        module, attr = FETCHERS[name].split(":")
    except KeyError:
        raise ValueError(f"unknown fetcher {name!r}; known: {', '.join(FETCHERS)}") from None
    return getattr(importlib.import_module(module), attr)


FETCHERS = {"http": "scrapers.fetch:fetch"}


def _vet(url: str, allow_private: bool | Collection[str]) -> netguard.Target:
    try:
        return netguard.vet(url, allow_private=allow_private)
    except netguard.Rejected as exc:
        raise FetchError(exc.kind, exc.message, temporary=exc.temporary) from None


@dataclass(frozen=True, slots=True)
class _Ask:
    headers: dict[str, str]
    connect_timeout: float
    read_timeout: float
    total: float
    max_bytes: int
    etag: str
    last_modified: str


def _hop(target: netguard.Target, ask: _Ask, limit: netguard.Deadline) -> FetchResult | str:
    """One request: the result, or the URL a redirect points to."""
    resp = _open(target, ask, limit)
    try:
        location = resp.headers.get("Location", "").strip()
        if resp.status in _REDIRECTS and location:
            _discard(resp)
            return urljoin(target.url, location)
        return _result(target, resp, ask, limit)
    except BaseException:
        resp.close()
        raise
    finally:
        resp.release_conn()


def _open(target: netguard.Target, ask: _Ask, limit: netguard.Deadline):
    """Send the request to the first vetted address that accepts a connection."""
    headers = {**ask.headers, "Host": target.host_header}
    error: Exception | None = None
    for address in target.addresses:
        remaining = max(limit.remaining(), 0.001)
        timeout = urllib3.Timeout(
            connect=min(ask.connect_timeout, remaining), read=min(ask.read_timeout, remaining)
        )
        try:
            return netguard.pool_for(target, address).urlopen(
                "GET",
                target.request_target,
                headers=headers,
                timeout=timeout,
                retries=False,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
            )
        except (NewConnectionError, ConnectTimeoutError) as exc:
            error = exc  # try the next address, if any
    assert error is not None
    raise error


def _result(target, resp, ask: _Ask, limit: netguard.Deadline) -> FetchResult:
    status, url, header = resp.status, target.url, resp.headers.get
    max_bytes = ask.max_bytes
    if status == 304:
        _discard(resp)
        return FetchResult(
            url=url,
            status=304,
            body=b"",
            content_type="",
            not_modified=True,
            etag=header("ETag", ask.etag),
            last_modified=header("Last-Modified", ask.last_modified),
        )
    if status >= 300:
        _discard(resp)
        try:
            said = f"HTTP {status} {http.HTTPStatus(status).phrase}"
        except ValueError:
            said = f"HTTP {status} {resp.reason or ''}".rstrip()
        if status < 400:
            raise FetchError("redirect", f"{said} from {url} without a Location", status=status)
        temporary = status >= 500 or status in _TEMPORARY_4XX
        raise FetchError("http", f"{said} from {url}", temporary=temporary, status=status)
    ctype = header("Content-Type", "").split(";")[0].strip().lower()
    if ctype and ctype not in ACCEPTED_TYPES and ctype != _OCTET_STREAM:
        raise _unsupported(f"content type {ctype}", url, status)
    declared = header("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, f"declares {int(declared)} bytes, over", max_bytes, status)
    body = _read_body(target, resp, limit, max_bytes, status)
    if ctype in ("", _OCTET_STREAM) and body.startswith(b"%PDF-"):
        ctype = "application/pdf"
    elif ctype == _OCTET_STREAM:
        raise _unsupported(f"content type {ctype} (not a PDF)", url, status)
    return FetchResult(
        url=url,
        status=status,
        body=body,
        content_type=ctype,
        etag=header("ETag", ""),
        last_modified=header("Last-Modified", ""),
    )


def _unsupported(what: str, url: str, status: int) -> FetchError:
    return FetchError("content_type", f"unsupported {what} from {url}", status=status)


def _read_body(target, resp, limit, max_bytes, status) -> bytes:
    encoding = resp.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise _unsupported(f"content encoding {encoding}", target.url, status)
    inflate = _Inflater(encoding) if encoding not in ("", "identity") else None
    parts: list[bytes] = []
    raw_size = size = 0
    while chunk := resp.read(_CHUNK, decode_content=False):
        raw_size += len(chunk)
        if inflate is not None:
            chunk = inflate.feed(chunk, max_bytes - size)
        size += len(chunk)
        if size > max_bytes or raw_size > max_bytes:
            raise _too_large(target.url, "is larger than", max_bytes, status)
        parts.append(chunk)
        if limit.expired:
            break
    if limit.expired:  # the socket was cut: what we have may be a truncated body
        raise TimeoutError("overall deadline")
    if inflate is not None:
        inflate.finish()
    return b"".join(parts)


def _discard(resp) -> None:
    """Finish a response whose body we do not want: drain a small one so the connection can
    be reused, close anything else."""
    remaining = resp.length_remaining
    if remaining is not None and remaining <= _CHUNK:
        resp.drain_conn()
    else:
        resp.close()


def _too_large(url: str, what: str, max_bytes: int, status: int) -> FetchError:
    message = f"response from {url} {what} the {max_bytes}-byte limit"
    return FetchError("too_large", message, status=status)


class _Inflater:
    """gzip/deflate decoding that never produces more than the caller's budget (bombs)."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        self._first = True
        self._obj = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, budget: int) -> bytes:
        try:
            out = self._obj.decompress(data, max(budget, 0) + 1)
        except zlib.error:
            if not (self._deflate and self._first):
                raise ProtocolError("corrupt compressed body") from None
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            out = self._obj.decompress(data, max(budget, 0) + 1)
        self._first = False
        return out

    def finish(self) -> None:
        if not self._obj.eof:
            raise ProtocolError("truncated compressed body")


# --- errors -----------------------------------------------------------------------------------


def _network_error(exc: Exception, host: str, ask: _Ask, limit) -> FetchError:
    def temporary(kind: str, message: str) -> FetchError:
        return FetchError(kind, message, temporary=True)

    connect_slow = f"timed out connecting to {host} after {ask.connect_timeout:g}s"
    if limit.expired:
        return temporary("timeout", f"gave up on {host} after {ask.total:g}s (overall deadline)")
    if isinstance(exc, NewConnectionError):
        cause = exc.__cause__
        if isinstance(cause, ConnectionRefusedError):
            return temporary("refused", f"connection refused by {host} (port {exc.conn.port})")
        if isinstance(cause, TimeoutError):
            return temporary("timeout", connect_slow)
        return temporary("network", f"cannot connect to {host}: {_one_line(cause or exc)}")
    if isinstance(exc, ConnectTimeoutError):
        return temporary("timeout", connect_slow)
    if isinstance(exc, ReadTimeoutError | TimeoutError):
        return temporary("timeout", f"{host} sent nothing for {ask.read_timeout:g}s")
    if isinstance(exc, SSLError | ssl.SSLError):
        return temporary("tls", f"TLS error with {host}: {_tls_reason(exc)}")
    if isinstance(exc, ProtocolError):
        reason = exc.args[-1] if exc.args else exc
        return temporary("network", f"connection to {host} broke: {_one_line(reason)}")
    return temporary("network", f"network error with {host}: {_one_line(exc)}")


def _tls_reason(exc: Exception) -> str:
    inner = exc.args[0] if isinstance(exc, SSLError) and exc.args else exc
    if isinstance(inner, ssl.SSLCertVerificationError) and inner.verify_message:
        return f"certificate verify failed: {inner.verify_message}"
    return _one_line(re.sub(r"^\[SSL: \w+\] |\s*\(_ssl\.c:\d+\)$", "", str(inner)))


def _one_line(value: object) -> str:
    text = " ".join(str(value).split()) or type(value).__name__
    return text if len(text) <= 200 else text[:200] + "…"
