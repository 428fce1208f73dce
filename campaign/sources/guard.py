"""The address guard against server-side request forgery, shared by every fetch the app makes.

A source URL (and every redirect it follows, and its robots.txt) may not reach loopback,
private, link-local, carrier-grade NAT, multicast, reserved or cloud-metadata addresses unless
an administrator allow-listed its host and port (the `SOURCE_ALLOW_HOSTS` setting or the
allowed-hosts table edited on the sources pages). An entry is `host:port`; a bare host allows
ports 80 and 443 only, so allowing the demo site on 127.0.0.1:5050 does not open every other
service on the machine; `host:*` allows every port of that host (said out loud, never
implied). The check is made on the *resolved* addresses: every address a name resolves to must
be public, so a name pointing at 127.0.0.1 is refused, and so are numeric spellings such as
``http://2130706433/`` or ``http://0x7f.1/``.

`AddressGuard` is both the Fetcher's ``url_guard`` (a readable ``blocked`` outcome before any
request) and, through `AddressGuard.transport()`, the place where connections are opened: the
transport resolves the name once, checks the addresses and connects to exactly those
addresses, keeping the Host header and TLS server name of the URL. A DNS answer that changes
between the url_guard's check and the connection (DNS rebinding) is therefore checked again
and refused, never followed. A proxy configured through the environment (HTTP_PROXY) resolves
names itself: then only the url_guard's check applies.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from campaign.extensions import db
from campaign.sources.models import AllowedHost
from scrapers.fetch import BlockedAddress
from scrapers.urls import ANY_PORT, HostEntryError, split_host_entry

__all__ = [
    "AddressGuard", "address_problem", "allowed_hosts", "normalize_entry", "normalize_host",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[tuple[Any, ...]]]
DEFAULT_PORTS = frozenset({80, 443})  # what a bare host in the allow-list opens
Ports = frozenset[int] | str  # the ports allowed for a host, or ANY_PORT

# Spelled out although `is_global` covers most of them: the list is what a reviewer checks.
_BLOCKED_NETWORKS = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
    "fc00::/7", "fe80::/10", "ff00::/8",
))


def normalize_host(host: str) -> str:
    """A host as the allow-list compares it: lower case, no brackets, no trailing dot, and a
    Chinese domain in its xn-- form (the form the connection sees)."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def normalize_entry(entry: str) -> tuple[str, int | str | None]:
    """An allow-list entry as (normalized host, port or ANY_PORT or None for 80/443); raises
    HostEntryError for a malformed port."""
    host, port = split_host_entry(entry)
    return normalize_host(host), port


def _allow_table(entries: Iterable[str]) -> dict[str, Ports]:
    """host -> the ports the entries allow for it. A malformed entry allows nothing (config.py
    refuses one in SOURCE_ALLOW_HOSTS at start-up, the form one typed on the sources page)."""
    table: dict[str, Ports] = {}
    for entry in entries:
        try:
            host, port = normalize_entry(entry)
        except HostEntryError:
            continue
        if not host:
            continue
        known = table.get(host, frozenset())
        if ANY_PORT in (port, known):
            table[host] = ANY_PORT
        else:
            assert isinstance(known, frozenset)
            table[host] = known | (DEFAULT_PORTS if port is None else frozenset({int(port)}))
    return table


def url_port(url: str) -> tuple[str, int]:
    """The host and port a URL connects to (80 for http, 443 for https by default); raises
    ValueError for a malformed URL."""
    parts = urlsplit(url)
    default = 443 if parts.scheme.lower() == "https" else 80
    return parts.hostname or "", parts.port or default


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why a connection to `address` is refused, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return address_problem(inner)
    if any(address in net for net in _BLOCKED_NETWORKS if net.version == address.version):
        return f"{address} is a local, private or reserved address"
    if not address.is_global or address.is_multicast or address.is_reserved:
        return f"{address} is not a public address"
    return None


def _literal(host: str) -> IPAddress | None:
    """The address a numeric host spells, including 2130706433, 0x7f.1 and 0177.0.0.1."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton accepts the old decimal, octal and hex forms that resolvers accept too
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError, UnicodeError):
        return None


class AddressGuard:
    """Refuse non-public addresses except for allow-listed hosts; see the module docstring.

    `resolve` is `socket.getaddrinfo` (tests replace it); `allowed` can be replaced at any
    time with `set_allowed` (the scheduler re-reads the table before every claim).
    """

    def __init__(self, allowed: Iterable[str] = (), *, resolve: Resolver | None = None) -> None:
        self._allowed = _allow_table(allowed)
        self._resolve = resolve

    @property
    def allowed(self) -> frozenset[str]:
        """The allow-listed hosts, normalized (whatever their ports)."""
        return frozenset(self._allowed)

    def set_allowed(self, hosts: Iterable[str]) -> None:
        """Replace the allow-list (entries `host`, `host:port` or `host:*`)."""
        self._allowed = _allow_table(hosts)

    def is_allowed(self, host: str, port: int) -> bool:
        """True when an administrator allow-listed `host` on `port`."""
        ports = self._allowed.get(normalize_host(host))
        return ports is not None and (ports == ANY_PORT or port in ports)

    def __call__(self, url: str) -> str | None:
        """The Fetcher's url_guard: None when `url` may be fetched, else why not."""
        try:
            host, port = url_port(url)
        except ValueError:
            return None  # the Fetcher reports the malformed URL itself
        try:
            self.addresses(host, port)
        except BlockedAddress as refused:
            return str(refused)
        except OSError:
            return None  # an unknown host: the fetch reports the connection error
        return None

    def addresses(self, host: str, port: int) -> list[str]:
        """The checked addresses to connect to for `host`; raises BlockedAddress if any of
        them is not public, OSError if the name does not resolve. A host allow-listed on this
        port is returned as is (the system resolver connects to it)."""
        host = normalize_host(host)
        if not host:
            raise OSError("no host")
        if self.is_allowed(host, port):
            return [host]
        literal = _literal(host)
        found = [literal] if literal is not None else self._lookup(host, port)
        for address in found:
            problem = address_problem(address)
            if problem:
                raise BlockedAddress(f"{host}:{port} resolves to a blocked address: {problem}")
        return list(dict.fromkeys(str(address) for address in found))

    def _lookup(self, host: str, port: int) -> list[IPAddress]:
        resolve = self._resolve or socket.getaddrinfo
        try:
            infos = resolve(host, port, 0, socket.SOCK_STREAM)
        except UnicodeError as error:
            raise OSError(str(error)) from error
        found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not found:
            raise OSError(f"{host} has no address")
        return found

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that connects only to addresses this guard checked."""
        return PinnedTransport(self)


class _PinnedBackend(httpcore.NetworkBackend):
    """Resolve and check at connect time, then connect to the checked IP itself."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        try:
            addresses = self._guard.addresses(host, port)
        except BlockedAddress:
            raise
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        last: Exception | None = None
        for address in addresses:
            try:
                return self._backend.connect_tcp(address, port, timeout, local_address,
                                                 socket_options)
            except httpcore.ConnectError as error:
                last = error
        raise last or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        raise BlockedAddress("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class PinnedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore connection pool whose connections go through the
    guard (httpx's own transport offers no public way to set the network backend). The
    request keeps its URL, so the Host header and the TLS server name are the URL's host."""

    def __init__(self, guard: AddressGuard) -> None:
        self._connections = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_PinnedBackend(guard))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the pinned pool; httpcore's errors become httpx's."""
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._connections.handle_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_ResponseStream(response),
                              extensions=response.extensions)

    def close(self) -> None:
        """Close every pooled connection."""
        self._connections.close()


class _ResponseStream(httpx.SyncByteStream):
    """A response body read from httpcore, with its errors turned into httpx's."""

    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """httpcore and httpx name their transport errors alike (ConnectTimeout, ReadError, ...):
    raise httpx's, so callers handle one family."""
    try:
        yield
    except httpcore.TimeoutException as error:
        raise getattr(httpx, type(error).__name__, httpx.TimeoutException)(str(error)) from error
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
            httpcore.ProxyError) as error:
        raise getattr(httpx, type(error).__name__, httpx.TransportError)(str(error)) from error


def allowed_hosts(config_hosts: Iterable[str]) -> list[str]:
    """The configured hosts plus the allowed-hosts table (inside an app context)."""
    stored = db.session.scalars(db.select(AllowedHost.host)).all()
    return [*config_hosts, *stored]
