"""Canonical article URLs: one spelling per article, whatever link the feed used.

Feeds decorate links with campaign parameters and fragments, and two feeds of the same
outlet may spell the host differently; the canonical form is what ``articles.url``
stores and what de-duplication compares.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only say where a click came from (exact names).
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "smid",
        "at_medium",
        "at_campaign",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "ito",
        "xtor",
    }
)
#: Prefixes of tracking parameters (utm_source, utm_medium, …).
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """``url`` without tracking parameters, fragment, default port or host case.

    The path and the remaining parameters keep their order and case: servers may treat
    them as significant. A string that is not an http(s) URL is returned stripped.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return raw
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return raw
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` ("" when it has none): the per-host limit's key."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
