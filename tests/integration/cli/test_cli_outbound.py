"""The outbound policy from the terminal: `newsbot summarize URL`, `newsbot sources import`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.env import run_newsbot
from tests.support.feed_server import FeedServer, Resource
from tests.support.outbound import INTERNAL, STACKED, double_gzip

PAGE = (
    "<html><head><title>Storm</title></head><body><article>"
    + "<p>The storm closed the harbour and the ferries stayed in port until Wednesday.</p>" * 30
    + "</article></body></html>"
).encode()
ALLOW_LOOPBACK = {"NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"}


@pytest.mark.slow
def test_summarize_refuses_a_page_compressed_twice_and_an_internal_redirect(
    tmp_path: Path,
) -> None:
    with FeedServer() as site, FeedServer(INTERNAL) as internal:
        secret = internal.add("/secret", Resource(PAGE, content_type="text/html"))
        stacked = site.add(
            "/stacked",
            Resource(double_gzip(PAGE * 50_000), content_type="text/html", headers=STACKED),
        )
        bounce = site.add("/go", Resource(status=302, location=secret))
        results = {
            url: run_newsbot("summarize", url, env=ALLOW_LOOPBACK, cwd=tmp_path)
            for url in (stacked, bounce, secret)
        }
    assert sum(internal.stats.requests.values()) == 0
    reasons = {
        stacked: "the site sent that page compressed more than once (gzip, gzip), which I "
        "refuse to unpack",
        bounce: f"{INTERNAL} is a private or local address, and I only read public web pages",
        secret: f"{INTERNAL} is a private or local address, and I only read public web pages",
    }
    for url, result in results.items():
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"newsbot summarize: cannot summarise {url}: {reasons[url]}"
        ]


def _opml(body: str) -> bytes:
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head>'
        f"<body>{body}</body></opml>"
    ).encode()


@pytest.mark.slow
def test_import_of_a_deeply_nested_file_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.opml"
    deep.write_bytes(
        _opml("<outline>" * 2900 + '<outline xmlUrl="https://a.example/f"/>' + "</outline>" * 2900)
    )
    assert 50_000 < deep.stat().st_size < 60_000
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}"}
    result = run_newsbot("sources", "import", str(deep), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"newsbot: {deep}: the file nests elements more than 64 levels deep (line 1); no feed "
        "reader exports folders that deep"
    ]


@pytest.mark.slow
def test_import_skips_internal_addresses_unless_allow_listed(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.opml"
    feeds.write_bytes(
        _opml(
            '<outline text="Metadata" xmlUrl="http://169.254.169.254/latest/"/>'
            '<outline text="Redis" xmlUrl="http://127.0.0.1:6379/"/>'
            '<outline text="Intranet" xmlUrl="http://10.1.2.3/rss.xml"/>'
            '<outline text="Outlet" xmlUrl="https://feeds.example.org/rss.xml"/>'
        )
    )
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
        "NEWSBOT_SOURCES": str(tmp_path / "none.toml"),
        "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "10.1.2.3",
    }
    (tmp_path / "none.toml").write_text("# none\n", encoding="utf-8")
    assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
    result = run_newsbot("sources", "import", str(feeds), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[-1] == "2 sources imported, 0 already present, 2 warnings"
    assert (
        '"Metadata" (http://169.254.169.254/latest/) skipped: 169.254.169.254 is a private or '
        "local address (Link Local (RFC 3927)); list its host in NEWSBOT_ALLOWED_PRIVATE_HOSTS "
        "to import it"
    ) in out
    assert '"Redis" (http://127.0.0.1:6379/) skipped: 127.0.0.1 is a private' in out
    assert "http://10.1.2.3/rss.xml" in out and "https://feeds.example.org/rss.xml" in out
