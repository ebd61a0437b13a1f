"""Outbound HTTP: one policy and one client for feeds, pages and reader links.

:class:`OutboundPolicy` decides where a fetch may connect (public addresses only, unless
the operator allow-listed the host), :class:`OutboundClient` performs GETs under it,
checking and pinning every redirect hop and decoding bodies within a byte cap.
"""

from ingest.net.addresses import is_public_address, not_public_reason
from ingest.net.client import Fetched, OutboundClient, ResponseCheck
from ingest.net.errors import (
    BadCoding,
    BadRedirect,
    BadStatus,
    NotResolved,
    OutboundError,
    Refused,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    Unacceptable,
    Unreachable,
)
from ingest.net.policy import OutboundPolicy, Resolver, system_resolver

__all__ = [
    "BadCoding",
    "BadRedirect",
    "BadStatus",
    "Fetched",
    "NotResolved",
    "OutboundClient",
    "OutboundError",
    "OutboundPolicy",
    "Refused",
    "Resolver",
    "ResponseCheck",
    "TimedOut",
    "TooLarge",
    "TooManyRedirects",
    "Unacceptable",
    "Unreachable",
    "is_public_address",
    "not_public_reason",
    "system_resolver",
]
