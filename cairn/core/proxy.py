"""Behind a reverse proxy: believe its forwarding headers, and only its.

A proxy that ends TLS passes the client's address in X-Forwarded-For and the
scheme in X-Forwarded-Proto. Anyone can send those headers, so they are read
only when the request itself comes from an address in TRUSTED_PROXIES; from
anywhere else they are dropped before any other code (SecurityMiddleware's
SECURE_PROXY_SSL_HEADER, the lockout, rate limits) can read them. The
client's address then replaces REMOTE_ADDR, so everything keyed on addresses
(Axes lockouts, allauth's rate limits, the audit) sees the real client.
"""

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """ "10.0.0.1", "10.0.0.0/8" or "::1" -> networks; a bad entry is a configuration error."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an address") from exc
    return networks


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip("[]")
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: str, networks: list[Network]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: list[Network]) -> str:
    """The first address, from the right, that is not one of our proxies.

    Each proxy appends the address it received the request from, so the
    right-hand entries are ours and the first untrusted one is the client;
    anything left of it was written by the client and proves nothing.
    """
    if not _trusted(remote_addr, networks):
        return remote_addr
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if _ip(hop) is None:
            break  # garbage: stop believing the chain here
        if not _trusted(hop, networks):
            return str(_ip(hop))
    # Every hop was a proxy of ours (or none was given): the leftmost valid one.
    valid = [h for h in hops if _ip(h) is not None]
    return str(_ip(valid[0])) if valid else remote_addr


FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.networks = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        if self.networks and _trusted(remote, self.networks):
            meta["REMOTE_ADDR"] = client_address(
                remote, meta.get("HTTP_X_FORWARDED_FOR", ""), self.networks
            )
            # Only the proxy next to us speaks for the scheme: keep its last value.
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "")
            if proto:
                meta["HTTP_X_FORWARDED_PROTO"] = proto.split(",")[-1].strip().lower()
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """For Axes: the address TrustedProxyMiddleware settled on."""
    return request.META.get("REMOTE_ADDR")
