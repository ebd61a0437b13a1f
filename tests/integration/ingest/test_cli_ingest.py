"""`newsbot ingest` and `newsbot sources` as an operator runs them, in a subprocess."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from storage import Article, ArticleTopic, open_database
from tests.integration.ingest.conftest import write_sources
from tests.support.databases import BACKENDS, temporary_database_url
from tests.support.env import SETTING_NAMES, run_newsbot
from tests.support.feed_server import FeedServer, Item, Resource, article_page, rss, serve_items
from tests.support.forward_proxy import ForwardProxy


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
async def test_newsbot_ingest_stores_everything_once_then_only_sends_conditional_gets(
    backend: str, tmp_path: Path, bbc_items: list[Item]
) -> None:
    # Dated relative to the real clock: the command runs on the wall clock.
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    items = [
        replace(item, published_at=now - timedelta(minutes=5 * i))
        for i, item in enumerate(bbc_items[:12])
    ]
    with FeedServer() as server:
        world = serve_items(server, items[:6], feed_path="/a.xml", title="A")
        teasers = serve_items(server, items[6:], feed_path="/b.xml", full_text=False, title="B")
        broken = server.url("/missing.xml")
        sources = write_sources(
            tmp_path / "sources.toml",
            [
                ("Outlet A", world, ["world"]),
                ("Outlet B", teasers, ["business"]),
                ("Gone", broken, []),
            ],
        )
        async with temporary_database_url(backend, tmp_path) as url:
            env = {
                "DATABASE_URL": url,
                "NEWSBOT_SOURCES": str(sources),
                # The outlets' server is on loopback: listed, as an intranet feed would be.
                "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            }
            assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0

            first = run_newsbot("ingest", env=env, cwd=tmp_path)

            assert first.returncode == 0, first.stderr
            assert "3 due: 2 fetched, 0 not modified, 1 failed" in first.stdout
            assert "12 new, 0 duplicate" in first.stdout
            assert "6 article pages fetched" in first.stdout
            assert f"Gone ({broken}): HTTP 404 Not Found" in first.stdout
            assert "Traceback" not in first.stderr, first.stderr

            second = run_newsbot("ingest", env=env, cwd=tmp_path)

            assert second.returncode == 0, second.stderr
            # The failed source backs off: it is not due in the second run.
            assert "2 due: 0 fetched, 2 not modified, 0 failed" in second.stdout
            assert "0 new, 0 duplicate" in second.stdout
            assert server.stats.conditional["/a.xml"] == server.stats.conditional["/b.xml"] == 1
            assert server.stats.requests["/missing.xml"] == 1

            listing = run_newsbot("sources", env=env, cwd=tmp_path)
            assert listing.returncode == 0, listing.stderr
            lines = listing.stdout.splitlines()
            assert lines[0].split() == [
                "ID",
                "STATUS",
                "NAME",
                "LAST",
                "SUCCESS",
                "FAILS",
                "NEXT",
                "FETCH",
                "URL",
            ]
            assert any("Gone" in line and "failing" in line for line in lines)
            assert "    last error: HTTP 404 Not Found" in lines

            db = open_database(url)
            try:
                async with db.sessions() as s:
                    articles = (await s.scalars(select(Article))).all()
                    tagged = set((await s.scalars(select(ArticleTopic.article_id))).all())
                assert len(articles) == len({a.url for a in articles}) == 12
                for article in articles:
                    assert 1 <= len(article.summary) <= 5
                    assert article.language == "en"
                    assert article.story_id is not None
                    assert article.id in tagged
            finally:
                await db.dispose()


def test_a_broken_sources_file_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "X"\nurl = "ftp://x"\n', encoding="utf-8")
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_SOURCES", str(sources))
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path))
    for command in ("ingest", "sources"):
        assert main([command]) == 2
        assert capsys.readouterr().err.strip().splitlines() == [
            f'newsbot: {sources}: source "X": url must be an http(s) address '
            '(url = "https://example.com/rss")'
        ]
    assert not (tmp_path / "newsbot.db").exists()  # stopped before touching anything


@pytest.mark.postgres
async def test_an_unmigrated_postgresql_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with temporary_database_url("postgresql", tmp_path) as url:
        for name in SETTING_NAMES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("DATABASE_URL", url)
        for command in ("ingest", "sources"):
            # main() runs its own event loop: give it a thread of its own.
            assert await asyncio.to_thread(main, [command]) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and "run `newsbot migrate` first" in err[0]


@pytest.mark.slow
def test_behind_a_proxy_feeds_and_pages_go_through_newsbot_feed_proxy(
    tmp_path: Path, bbc_items: list[Item]
) -> None:
    from base64 import b64encode
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    items = [
        replace(item, published_at=now - timedelta(minutes=5 * i))
        for i, item in enumerate(bbc_items[:4])
    ]
    # The outlet's host does not resolve (.invalid): only the proxy can reach it.
    outlet = "http://news.invalid"
    with FeedServer() as server, ForwardProxy(server.port) as proxy:
        for item in items:
            server.add(
                f"/articles/{item.id}.html",
                Resource(body=article_page(item), content_type="text/html; charset=utf-8"),
            )
        server.add("/teasers.xml", Resource(body=rss(items, base_url=outlet, full_text=False)))
        sources = write_sources(
            tmp_path / "sources.toml", [("Behind", f"{outlet}/teasers.xml", ["world"])]
        )

        # HTTPS_PROXY / HTTP_PROXY are for the Telegram client; feeds ignore them.
        (tmp_path / "env").mkdir()
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'env' / 'newsbot.db'}",
            "NEWSBOT_SOURCES": str(sources),
            "HTTP_PROXY": proxy.url,
            "HTTPS_PROXY": proxy.url,
        }
        assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
        ignored = run_newsbot("ingest", env=env, cwd=tmp_path)
        assert "1 due: 0 fetched, 0 not modified, 1 failed" in ignored.stdout, ignored.stderr
        assert proxy.requested == []

        (tmp_path / "setting").mkdir()
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'setting' / 'newsbot.db'}",
            "NEWSBOT_SOURCES": str(sources),
            "NEWSBOT_FEED_PROXY": f"http://me:s3cret@127.0.0.1:{proxy.port}",
        }
        assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
        done = run_newsbot("ingest", env=env, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "1 due: 1 fetched, 0 not modified, 0 failed" in done.stdout
    assert "4 new, 0 duplicate" in done.stdout
    assert "4 article pages fetched" in done.stdout
    assert proxy.requested[0] == f"{outlet}/teasers.xml"
    assert sorted(proxy.requested[1:]) == sorted(
        f"{outlet}/articles/{item.id}.html" for item in items
    )
    assert set(proxy.credentials) == {"Basic " + b64encode(b"me:s3cret").decode()}
    assert "s3cret" not in done.stdout + done.stderr
