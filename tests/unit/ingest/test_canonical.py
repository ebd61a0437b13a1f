"""Canonical URLs: one spelling per article, whatever link the feed used."""

from __future__ import annotations

import pytest

from ingest.canonical import canonical_url, host_of


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        (
            "https://News.Example.com:443/a/B?utm_source=rss&utm_medium=feed&id=7#comments",
            "https://news.example.com/a/B?id=7",
        ),
        ("http://example.com:80/x?fbclid=abc&gclid=def", "http://example.com/x"),
        ("https://example.com/x?page=2&ocid=rss&UTM_Campaign=y", "https://example.com/x?page=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:8443/x?b=2&a=1", "https://example.com:8443/x?b=2&a=1"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("urn:uuid:1234", "urn:uuid:1234"),
        ("https://[::1]:8080/x#y", "https://[::1]:8080/x"),
        ("https://example.com:99999/x", "https://example.com:99999/x"),
    ],
)
def test_tracking_fragments_default_ports_and_host_case_go(link: str, canonical: str) -> None:
    assert canonical_url(link) == canonical


def test_host_of_is_the_per_host_limit_key() -> None:
    assert host_of("https://Feeds.BBCI.co.uk/news/rss.xml") == "feeds.bbci.co.uk"
    assert host_of("not a url") == ""
