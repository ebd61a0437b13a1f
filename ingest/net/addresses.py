"""Which IP addresses are public: an explicit deny list, not only the ``ipaddress`` flags.

The tables are IANA's "IPv4 Special-Purpose Address Registry" and "IPv6 Special-Purpose
Address Registry" entry by entry (with the registries' names), plus multicast and,
for IPv6, everything outside the Global Unicast space 2000::/3 that IANA has allocated.
Every entry is refused, including the few the registries call "globally reachable"
(anycast services such as AS112 or PCP): none of them serves a web page a feed or a
reader could mean.

IPv6 addresses that carry an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4, Teredo,
NAT64) are judged by the IPv4 address inside too: ``64:ff9b::a9fe:a9fe`` reaches
169.254.169.254 through a NAT64 gateway. Only the well-known NAT64 prefix 64:ff9b::/96
is allowed with a public IPv4 address inside (an IPv6-only host behind DNS64 sees every
site there); the other forms are refused whatever they carry. The standard library's
flags are checked as well, as a second opinion; alone they are incomplete (Python's
tables lag the registry).
"""

from __future__ import annotations

import ipaddress

IPv4 = ipaddress.IPv4Network
IPv6 = ipaddress.IPv6Network

#: IANA IPv4 Special-Purpose Address Registry (and 224.0.0.0/4, multicast).
IPV4_DENIED: tuple[tuple[IPv4, str], ...] = (
    (IPv4("0.0.0.0/8"), '"This network" (RFC 791)'),
    (IPv4("10.0.0.0/8"), "Private-Use (RFC 1918)"),
    (IPv4("100.64.0.0/10"), "Shared Address Space (RFC 6598)"),
    (IPv4("127.0.0.0/8"), "Loopback (RFC 1122)"),
    (IPv4("169.254.0.0/16"), "Link Local (RFC 3927)"),
    (IPv4("172.16.0.0/12"), "Private-Use (RFC 1918)"),
    (IPv4("192.0.0.0/29"), "IPv4 Service Continuity Prefix (RFC 7335)"),
    (IPv4("192.0.0.8/32"), "IPv4 dummy address (RFC 7600)"),
    (IPv4("192.0.0.9/32"), "Port Control Protocol Anycast (RFC 7723)"),
    (IPv4("192.0.0.10/32"), "Traversal Using Relays around NAT Anycast (RFC 8155)"),
    (IPv4("192.0.0.170/31"), "NAT64/DNS64 Discovery (RFC 7050)"),
    (IPv4("192.0.0.0/24"), "IETF Protocol Assignments (RFC 6890)"),
    (IPv4("192.0.2.0/24"), "Documentation (TEST-NET-1, RFC 5737)"),
    (IPv4("192.31.196.0/24"), "AS112-v4 (RFC 7535)"),
    (IPv4("192.52.193.0/24"), "AMT (RFC 7450)"),
    (IPv4("192.88.99.0/24"), "Deprecated (6to4 Relay Anycast, RFC 7526)"),
    (IPv4("192.168.0.0/16"), "Private-Use (RFC 1918)"),
    (IPv4("192.175.48.0/24"), "Direct Delegation AS112 Service (RFC 7534)"),
    (IPv4("198.18.0.0/15"), "Benchmarking (RFC 2544)"),
    (IPv4("198.51.100.0/24"), "Documentation (TEST-NET-2, RFC 5737)"),
    (IPv4("203.0.113.0/24"), "Documentation (TEST-NET-3, RFC 5737)"),
    (IPv4("224.0.0.0/4"), "Multicast (RFC 5771)"),
    (IPv4("240.0.0.0/4"), "Reserved (RFC 1112)"),
    (IPv4("255.255.255.255/32"), "Limited Broadcast (RFC 919)"),
)

#: IANA IPv6 Special-Purpose Address Registry (more specific entries first), multicast,
#: and the deprecated ranges the registry no longer lists but hosts may still route.
IPV6_DENIED: tuple[tuple[IPv6, str], ...] = (
    (IPv6("::/128"), "Unspecified Address (RFC 4291)"),
    (IPv6("::1/128"), "Loopback Address (RFC 4291)"),
    (IPv6("::ffff:0:0/96"), "IPv4-mapped Address (RFC 4291)"),
    (IPv6("::/96"), "IPv4-compatible Address (deprecated, RFC 4291)"),
    (IPv6("64:ff9b::/96"), "IPv4-IPv6 Translation (RFC 6052)"),
    (IPv6("64:ff9b:1::/48"), "IPv4-IPv6 Translation, local use (RFC 8215)"),
    (IPv6("100::/64"), "Discard-Only Address Block (RFC 6666)"),
    (IPv6("100:0:0:1::/64"), "Dummy IPv6 Prefix (RFC 9780)"),
    (IPv6("2001::/32"), "TEREDO (RFC 4380)"),
    (IPv6("2001:1::1/128"), "Port Control Protocol Anycast (RFC 7723)"),
    (IPv6("2001:1::2/128"), "Traversal Using Relays around NAT Anycast (RFC 8155)"),
    (IPv6("2001:1::3/128"), "DNS-SD Service Registration Protocol Anycast (RFC 9665)"),
    (IPv6("2001:2::/48"), "Benchmarking (RFC 5180)"),
    (IPv6("2001:3::/32"), "AMT (RFC 7450)"),
    (IPv6("2001:4:112::/48"), "AS112-v6 (RFC 7535)"),
    (IPv6("2001:10::/28"), "Deprecated (previously ORCHID, RFC 4843)"),
    (IPv6("2001:20::/28"), "ORCHIDv2 (RFC 7343)"),
    (IPv6("2001:30::/28"), "Drone Remote ID Protocol Entity Tags (DETs) Prefix (RFC 9374)"),
    (IPv6("2001::/23"), "IETF Protocol Assignments (RFC 2928)"),
    (IPv6("2001:db8::/32"), "Documentation (RFC 3849)"),
    (IPv6("2002::/16"), "6to4 (RFC 3056)"),
    (IPv6("2620:4f:8000::/48"), "Direct Delegation AS112 Service (RFC 7534)"),
    (IPv6("3fff::/20"), "Documentation (RFC 9637)"),
    (IPv6("5f00::/16"), "Segment Routing (SRv6) SIDs (RFC 9602)"),
    (IPv6("fc00::/7"), "Unique-Local (RFC 4193)"),
    (IPv6("fe80::/10"), "Link-Local Unicast (RFC 4291)"),
    (IPv6("fec0::/10"), "Site-Local (deprecated, RFC 3879)"),
    (IPv6("ff00::/8"), "Multicast (RFC 4291)"),
)

#: The only IPv6 space IANA has allocated for global unicast.
GLOBAL_UNICAST_V6 = IPv6("2000::/3")
_NAT64 = (IPv6("64:ff9b::/96"), IPv6("64:ff9b:1::/48"))
_COMPATIBLE = IPv6("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries, and how: ``("NAT64", 10.0.0.1)``."""
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]  # the client's address (the server is [0])
    if any(ip in net for net in _NAT64):
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _COMPATIBLE and int(ip) > 1:
        return "IPv4-compatible", ipaddress.IPv4Address(int(ip))
    return None


def _v4_reason(ip: ipaddress.IPv4Address) -> str | None:
    for network, name in IPV4_DENIED:
        if ip in network:
            return name
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        return "not globally routable"
    return None


def not_public_reason(address: str) -> str | None:
    """Why ``address`` is not a public unicast address (the registry entry), or None.

    Text that is not an IP address at all is not public either.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv4Address):
        return _v4_reason(ip)
    inner = embedded_ipv4(ip)
    if inner is not None:
        how, v4 = inner
        reason = _v4_reason(v4)
        if reason is not None:
            return f"{how} form of {v4}, {reason}"
        if ip in _NAT64[0]:
            # On an IPv6-only host behind DNS64, every public site resolves into the
            # well-known NAT64 prefix (the registry calls it globally reachable): judged
            # by the IPv4 address inside, which was public.
            return None
    for network, name in IPV6_DENIED:
        if ip in network:
            return name
    if ip not in GLOBAL_UNICAST_V6:
        return "outside IPv6 Global Unicast 2000::/3"
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        return "not globally routable"
    return None


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast address."""
    return not_public_reason(address) is None
