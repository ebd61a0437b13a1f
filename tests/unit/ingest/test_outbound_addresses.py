"""The deny list: every IANA special-purpose entry, and IPv4 hidden inside IPv6."""

from __future__ import annotations

import ipaddress

import pytest

from ingest.net.addresses import IPV4_DENIED, IPV6_DENIED, is_public_address, not_public_reason

PRIVATE = "Private-Use (RFC 1918)"
LINK_LOCAL = "Link Local (RFC 3927)"


@pytest.mark.parametrize(
    ("network", "name"), [(str(n), name) for n, name in (*IPV4_DENIED, *IPV6_DENIED)]
)
def test_every_registry_entry_is_refused_at_both_ends(network: str, name: str) -> None:
    net = ipaddress.ip_network(network)
    for address in (net.network_address, net.broadcast_address):
        assert not is_public_address(str(address)), (network, name)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("192.0.0.9", "Port Control Protocol Anycast (RFC 7723)"),  # "globally reachable"
        ("192.31.196.1", "AS112-v4 (RFC 7535)"),
        ("192.52.193.1", "AMT (RFC 7450)"),
        ("192.175.48.1", "Direct Delegation AS112 Service (RFC 7534)"),
        ("100.64.0.1", "Shared Address Space (RFC 6598)"),
        ("2001:4:112::1", "AS112-v6 (RFC 7535)"),
        ("2620:4f:8000::1", "Direct Delegation AS112 Service (RFC 7534)"),
        ("3fff::1", "Documentation (RFC 9637)"),
        ("5f00::1", "Segment Routing (SRv6) SIDs (RFC 9602)"),
        ("::ffff:169.254.169.254", "IPv4-mapped form of 169.254.169.254, " + LINK_LOCAL),
        ("::a00:1", "IPv4-compatible form of 10.0.0.1, Private-Use (RFC 1918)"),
        ("2002:a9fe:a9fe::1", "6to4 form of 169.254.169.254, Link Local (RFC 3927)"),
        ("64:ff9b::7f00:1", "NAT64 form of 127.0.0.1, Loopback (RFC 1122)"),
        ("64:ff9b:1::808:808", "IPv4-IPv6 Translation, local use (RFC 8215)"),
        # Teredo hides the client's address inverted in the last 32 bits.
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo form of 10.0.0.1, " + PRIVATE),
        ("2002:808:808::1", "6to4 (RFC 3056)"),  # deprecated relays, whatever they carry
        ("4000::1", "outside IPv6 Global Unicast 2000::/3"),
        ("fe80::1%eth0", "Link-Local Unicast (RFC 4291)"),
        ("example.com", "not an IP address"),
    ],
)
def test_the_reason_names_the_registry_entry(address: str, reason: str) -> None:
    assert not_public_reason(address) == reason


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700::6810:84e5", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    # 64:ff9b::808:808: an IPv6-only host behind DNS64 sees every public site this way.
    assert not_public_reason(address) is None
