"""Guards on outbound connections: where they may go and how long they may take (no Django).

``vet(url, allow_private=...)`` parses an http(s) URL, resolves its host once (with a short cache)
and refuses any address that is not on the public internet, so the fetcher can connect to exactly
the addresses vetted here and a DNS answer that changes in between (rebinding) cannot matter.

``with deadline(seconds) as limit:`` bounds a whole request: sockets handed to ``watch()`` inside
the block are shut down by one watchdog thread once the deadline passes, so a server that trickles
bytes (each read just inside the read timeout) cannot hold a worker for ever.

``pool_for(target, address)`` gives a reused urllib3 pool to one vetted address, whose sockets
obey the current deadline.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import ipaddress
import itertools
import os
import re
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_SETTING = "SUBWATCH_ALLOW_PRIVATE_ADDRESSES"
DNS_TTL = 60.0  # seconds a vetted resolution is reused
_DNS_CACHE_MAX = 1024
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_HOST_RE = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class Rejected(Exception):
    """A URL the fetcher must not (or cannot) request. ``kind`` is one of
    "invalid_url", "blocked_address" or "dns"; ``message`` is one readable line."""

    def __init__(self, kind: str, message: str, *, temporary: bool = False):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.temporary = temporary


@dataclass(frozen=True, slots=True)
class Target:
    """A vetted request target: connect to one of ``addresses``, send ``host_header``."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    request_target: str  # path and query, percent-encoded
    host_header: str
    addresses: tuple[str, ...] = ()


def vet(url: str, *, allow_private: bool | Collection[str] = False) -> Target:
    """Parse ``url`` and resolve its host; raise Rejected unless every address is allowed.

    ``allow_private`` is True (allow anything), False (public addresses only) or a collection
    of networks such as ``["10.1.2.0/24"]`` allowed in addition to public addresses.
    """
    if isinstance(allow_private, str):
        raise TypeError("allow_private takes True, False or a collection of networks")
    target = parse(url)
    addresses = resolve(target.host)
    if allow_private is not True:
        extra = [ipaddress.ip_network(n, strict=False) for n in allow_private or ()]
        for ip in addresses:
            if not is_public(ip) and not any(ip in net for net in extra):
                raise Rejected("blocked_address", _blocked_message(target.host, ip))
    return replace(target, addresses=tuple(str(ip) for ip in addresses))


def parse(url: str) -> Target:
    """Check the shape of an http(s) URL (no network); the result has no addresses yet."""
    raw = url.strip() if isinstance(url, str) else ""

    def invalid(reason: str) -> Rejected:
        return Rejected("invalid_url", f"not a valid http(s) URL: {_shown(raw or url)} ({reason})")

    if not raw:
        raise invalid("empty")
    if _CONTROL_RE.search(raw):
        raise invalid("contains control characters")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise invalid(f"scheme {scheme}: is not supported" if scheme else "no http:// or https://")
    if "@" in parts.netloc:
        raise invalid("user names and passwords in URLs are not allowed")
    host = parts.hostname or ""
    if not host:
        raise invalid("no host")
    try:
        port = parts.port
    except ValueError:
        raise invalid("bad port") from None
    if port is None:
        port = 443 if scheme == "https" else 80
    elif port == 0:
        raise invalid("bad port")
    literal = _ip_literal(host)
    if literal is None:
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise invalid("bad host name") from None
        if not _HOST_RE.fullmatch(host) or len(host) > 253:
            raise invalid("bad host name")
    else:
        host = str(literal)
    named = f"[{host}]" if ":" in host else host
    default = port == (443 if scheme == "https" else 80)
    request_target = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        request_target += "?" + quote(parts.query, safe=_QUERY_SAFE)
    return Target(
        url=raw,
        scheme=scheme,
        host=host,
        port=port,
        request_target=request_target,
        host_header=named if default else f"{named}:{port}",
    )


def is_public(ip: IPAddress) -> bool:
    """True only for addresses on the public internet: not private, loopback, link-local,
    multicast, reserved, unspecified, shared (CGNAT 100.64/10), documentation, nor IPv6
    forms that embed such an IPv4 address (mapped, 6to4, NAT64)."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return is_public(ip.sixtofour)
        if ip in _NAT64:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.teredo is not None or ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


_dns_cache: dict[str, tuple[float, tuple[IPAddress, ...]]] = {}


def resolve(host: str) -> tuple[IPAddress, ...]:
    """The host's addresses (an IP literal is its own address), cached for DNS_TTL seconds."""
    literal = _ip_literal(host)
    if literal is not None:
        return (literal,)
    now = time.monotonic()
    cached = _dns_cache.get(host)
    if cached is not None and cached[0] > now:
        return cached[1]
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise Rejected("dns", f"cannot resolve host {host}: {reason}", temporary=True) from None
    addresses = tuple(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not addresses:
        raise Rejected("dns", f"cannot resolve host {host}: no addresses", temporary=True)
    if len(_dns_cache) >= _DNS_CACHE_MAX:
        _dns_cache.clear()
    _dns_cache[host] = (now + DNS_TTL, addresses)
    return addresses


def clear_dns_cache() -> None:
    _dns_cache.clear()


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _blocked_message(host: str, ip: IPAddress) -> str:
    if _ip_literal(host) is not None:
        what = f"{ip} is a private or loopback address"
    else:
        what = f"{host} resolves to a private or loopback address ({ip})"
    return f"{what}; set {ALLOW_SETTING}=1 to allow it"


def _shown(url: str) -> str:
    """The URL for a message: one line, at most 200 characters, any password hidden."""
    shown = re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url)
    if len(shown) > 200:
        shown = shown[:200] + "…"
    return repr(shown)


# --- overall deadline -------------------------------------------------------------------------


class Deadline:
    """One request's deadline and the sockets it uses; expiring shuts them down."""

    __slots__ = ("at", "sockets", "done", "expired")

    def __init__(self, at: float) -> None:
        self.at = at
        self.sockets: list[socket.socket] = []
        self.done = False
        self.expired = False

    def remaining(self) -> float:
        return self.at - time.monotonic()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Bound everything inside the block (that hands its sockets to ``watch``) to ``seconds``."""
    limit = _watchdog.arm(time.monotonic() + seconds)
    token = _current.set(limit)
    try:
        yield limit
    finally:
        _current.reset(token)
        _watchdog.disarm(limit)


def watch(sock: socket.socket) -> None:
    """Shut ``sock`` down when the current ``deadline`` block runs out (no-op outside one)."""
    limit = _current.get(None)
    if limit is not None:
        _watchdog.watch(limit, sock)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket method, so a TLS socket is cut without touching its SSL state.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """A single daemon thread that expires deadlines as they pass."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, at: float) -> Deadline:
        limit = Deadline(at)
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="netguard-deadline")
                self._thread.daemon = True
                self._thread.start()
            heapq.heappush(self._heap, (at, next(self._seq), limit))
            if self._heap[0][2] is limit:
                self._cond.notify()
        return limit

    def watch(self, limit: Deadline, sock: socket.socket) -> None:
        with self._cond:
            if limit.expired:
                _shutdown(sock)
            elif not limit.done:
                limit.sockets.append(sock)

    def disarm(self, limit: Deadline) -> None:
        with self._cond:
            limit.done = True
            limit.sockets.clear()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                # Finished deadlines stay in the heap until they come up (cheap lazy removal).
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    limit = heapq.heappop(self._heap)[2]
                    if not limit.done:
                        limit.expired = True
                        for sock in limit.sockets:
                            _shutdown(sock)
                self._cond.wait(self._heap[0][0] - now if self._heap else None)


_watchdog = _Watchdog()
_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("netguard_deadline")


# --- pinned, watched connection pools ---------------------------------------------------------


class _Watched:
    """Connection mixin: hand every socket used inside a ``deadline`` block to it."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        watch(sock)
        return sock

    def request(self, *args, **kwargs) -> None:
        if self.sock is not None:  # a reused connection
            watch(self.sock)
        return super().request(*args, **kwargs)


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_MAX_POOLS = 64
_pools: OrderedDict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = OrderedDict()
_pools_lock = threading.Lock()
_tls_context: ssl.SSLContext | None = None


def pool_for(target: Target, address: str) -> urllib3.HTTPConnectionPool:
    """A reused pool of connections to one vetted ``address`` of ``target``, whose sockets
    obey the current ``deadline``. TLS gets the real host name for SNI and verification."""
    key = (target.scheme, address, target.port, target.host)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None:
            _pools.move_to_end(key)
            return pool
        if target.scheme == "https":
            pool = _HTTPSPool(
                address,
                target.port,
                maxsize=4,
                block=False,
                retries=False,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ssl_context=_shared_tls_context(),
            )
        else:
            pool = _HTTPPool(address, target.port, maxsize=4, block=False, retries=False)
        _pools[key] = pool
        while len(_pools) > _MAX_POOLS:
            _pools.popitem(last=False)[1].close()
        return pool


def _shared_tls_context() -> ssl.SSLContext:
    """One verifying context for all pools (loading the CA store per connection is slow)."""
    global _tls_context
    if _tls_context is None:
        context = urllib3.util.ssl_.create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
        context.load_default_certs()
        _tls_context = context
    return _tls_context


def _after_fork() -> None:
    # A child has no watchdog thread, must not share its parent's sockets, and must not wait
    # on a lock the parent held.
    global _watchdog, _pools_lock
    _watchdog = _Watchdog()
    _pools.clear()
    _pools_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)
