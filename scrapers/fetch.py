"""HTTP fetching with timeouts, a size cap, conditional GET and an address guard.

(Interim version; the fetch work replaces the internals and keeps this interface.)
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
    "application/pdf",
    "application/json",
)


class FetchError(Exception):
    """A fetch that gave no usable document. ``temporary`` says whether retrying may help."""

    def __init__(self, kind: str, message: str, *, temporary: bool = False, status: int | None = None):
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


def validate_url(url: str, *, allow_private: bool = False) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("invalid_url", f"not an http(s) URL: {url!r}")
    if not allow_private:
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError("dns", f"cannot resolve {parts.hostname}: {exc}", temporary=True) from exc
        for info in infos:
            if not ipaddress.ip_address(info[4][0]).is_global:
                raise FetchError("blocked_address", f"{parts.hostname} is not a public address")
    return url.strip()


_pool = urllib3.PoolManager(retries=False)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    connect_timeout: float = 10.0,
    read_timeout: float = 30.0,
    max_bytes: int = 10 * 1024 * 1024,
    allow_private: bool = False,
    user_agent: str = "Subwatch",
) -> FetchResult:
    validate_url(url, allow_private=allow_private)
    headers = {"User-Agent": user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        resp = _pool.request(
            "GET", url, headers=headers, preload_content=False, redirect=True,
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
        )
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError("network", str(exc), temporary=True) from exc
    try:
        if resp.status == 304:
            return FetchResult(url=url, status=304, body=b"", content_type="", not_modified=True)
        if resp.status >= 400:
            raise FetchError("http", f"HTTP {resp.status}", temporary=resp.status >= 500, status=resp.status)
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype and ctype not in ACCEPTED_TYPES:
            raise FetchError("content_type", f"unsupported content type {ctype}", status=resp.status)
        body = resp.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FetchError("too_large", f"body larger than {max_bytes} bytes", status=resp.status)
        return FetchResult(
            url=url, status=resp.status, body=body, content_type=ctype,
            etag=resp.headers.get("ETag", ""), last_modified=resp.headers.get("Last-Modified", ""),
        )
    finally:
        resp.release_conn()
