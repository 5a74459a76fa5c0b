"""Group network addresses the way limits count them: one person's address, and their network.

An IPv4 address is one person's (or one clinic's, behind NAT). An IPv6 user
is usually given a whole /64, and can pick any address inside it, so a limit
per IPv6 address would limit nothing: a /64 counts as one address. A network
is wider: an IPv4 /24 or an IPv6 /48, roughly what one provider hands one
site, for limits that a person hopping between neighbouring addresses should
still meet. Anything that is not an IP address (a test client's name, a Unix
socket) is its own address and its own network.
"""

from __future__ import annotations

import ipaddress

__all__ = ["address_key", "network_key"]


def _grouped(host: str, v4_prefix: int, v6_prefix: int) -> str:
    try:
        address = ipaddress.ip_address(host.strip())
    except ValueError:
        return host.strip()[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = v4_prefix if address.version == 4 else v6_prefix
    if prefix == address.max_prefixlen:
        return str(address)
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def address_key(host: str) -> str:
    """One client: an IPv4 address as it is, an IPv6 address as its /64."""
    return _grouped(host, 32, 64)


def network_key(host: str) -> str:
    """A client's neighbourhood: the IPv4 /24 or the IPv6 /48 it is in."""
    return _grouped(host, 24, 48)
