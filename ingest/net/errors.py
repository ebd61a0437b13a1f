"""What an outbound fetch can end with, as data: each caller words it for its audience.

``str()`` of every error is one line for operators (logs, ``/sources``, `newsbot
sources`); the reader-link fetcher turns the kind and fields into a reader's sentence.
"""

from __future__ import annotations


class OutboundError(Exception):
    """A fetch failed or was refused; ``str()`` is one line saying why."""


class Refused(OutboundError):
    """The policy forbids the URL: another scheme, or a host that is not public."""

    def __init__(self, message: str, *, host: str = "", address: str = "") -> None:
        super().__init__(message)
        self.host = host
        self.address = address


class NotResolved(OutboundError):
    """The host name has no address."""

    def __init__(self, host: str) -> None:
        super().__init__(f"the host {host} could not be found")
        self.host = host


class Unreachable(OutboundError):
    """No connection, or the connection broke while reading."""


class BadStatus(OutboundError):
    """The server answered with an error status (or a redirect without a usable Location)."""

    def __init__(self, status: int, phrase: str) -> None:
        super().__init__(f"HTTP {status} {phrase}".rstrip())
        self.status = status


class TimedOut(OutboundError):
    """No complete answer in time."""


class BadRedirect(OutboundError):
    """A redirect whose Location is not a URL."""


class TooManyRedirects(OutboundError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} redirects (a redirect loop?)")
        self.limit = limit


class TooLarge(OutboundError):
    """The body, decoded, is larger than the cap."""

    def __init__(self, cap: int, declared: int | None = None) -> None:
        if declared is not None:
            message = f"body of {declared:,} bytes is over the {cap:,}-byte limit"
        else:
            message = f"body is over the {cap:,}-byte limit (counted after decompression)"
        super().__init__(message)
        self.cap = cap


class BadCoding(OutboundError):
    """A Content-Encoding we refuse (stacked, unknown) or a body that does not decode."""

    def __init__(self, message: str, *, kind: str, codings: str = "") -> None:
        super().__init__(message)
        #: "stacked", "unknown" or "corrupt".
        self.kind = kind
        #: The codings as the server listed them ("gzip, gzip").
        self.codings = codings


class Unacceptable(OutboundError):
    """The caller's check on the response (its content type) refused it before the body."""
