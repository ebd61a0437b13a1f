"""`run_cycle` against a real HTTP server: every article once, complete; then nothing new."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from ingest import Fetcher, InlineAnalyser, run_cycle
from ingest.analyse import Analysed, Candidate
from ingest.topics import TopicRules
from storage import Article, ArticleTopic, Database, IngestRun, Source, open_database
from storage.articles import articles_matching_words, latest_stories
from storage.ingest_writes import ingest_lock
from tests.integration.ingest.conftest import NOW, clock, config_for, write_sources
from tests.support.feed_server import FeedServer, Item, Resource, atom, serve_items


def _by_category(items: list[Item], category: str, count: int) -> list[Item]:
    chosen: list[Item] = []
    texts: set[str] = set()
    for item in items:
        if item.category == category and item.text not in texts:
            texts.add(item.text)
            chosen.append(item)
        if len(chosen) == count:
            break
    return chosen


def _retold(item: Item, outlet: str) -> Item:
    """The same story as another outlet tells it: new headline, new opening, same facts."""
    paragraphs = item.text.split("\n\n")
    text = "\n\n".join([f"{outlet} understands the following.", *paragraphs[1:]])
    published = item.published_at + timedelta(minutes=5) if item.published_at else None
    return replace(
        item,
        id=f"{outlet}-{item.id}",
        title=f"{item.title}, {outlet} reports",
        text=text,
        published_at=published,
    )


async def _articles(db: Database) -> list[Article]:
    async with db.sessions() as s:
        return list((await s.scalars(select(Article).order_by(Article.id))).all())


async def test_every_article_is_stored_once_complete_and_a_second_run_adds_nothing(
    db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    business = _by_category(bbc_items, "business", 12)
    tech = _by_category(bbc_items, "tech", 8)
    sport = _by_category(bbc_items, "sport", 6)
    wire = [_retold(business[0], "Wire"), _retold(business[3], "Wire")]
    full = serve_items(feed_server, business, feed_path="/business.xml")
    teasers = serve_items(feed_server, tech, feed_path="/tech.xml", full_text=False)
    sport_url = feed_server.add(
        "/sport.atom",
        Resource(
            body=atom(sport, base_url=feed_server.base_url), content_type="application/atom+xml"
        ),
    )
    wire_url = serve_items(feed_server, wire, feed_path="/wire.xml", title="Wire")
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            ("Business Daily", full, ["business"]),
            ("Tech Teasers", teasers, ["technology"]),
            ("Sport Atom", sport_url, ["sport"]),
            ("Wire", wire_url, []),
        ],
    )
    config = config_for(sources)

    report = await run_cycle(db, fetcher, analyser, config, clock=clock)

    assert (report.sources_fetched, report.sources_failed) == (4, 0)
    assert report.articles_new == 28
    assert report.stories_merged == 2
    assert report.pages_fetched == len(tech)
    articles = await _articles(db)
    assert len(articles) == 28
    assert len({a.url for a in articles}) == 28
    for article in articles:
        assert "utm_" not in article.url and "#" not in article.url
        assert 1 <= len(article.summary) <= 5
        assert sorted(article.summary_positions) == sorted(set(article.summary_positions))
        assert len(article.summary_positions) == len(article.summary)
        assert article.language == "en"
        assert article.story_id is not None
        assert article.published_at <= NOW
    by_title = {a.title: a for a in articles}
    # Teaser-only entries were completed from their pages (the last paragraph is there).
    for item in tech:
        stored = by_title[item.title]
        assert item.text.split("\n\n")[-1].strip()[:60] in stored.text
        assert "All rights reserved" not in stored.text
    # The wire's retellings joined the original stories; everything else is its own story.
    for original in (business[0], business[3]):
        first = by_title[original.title]
        retold = by_title[f"{original.title}, Wire reports"]
        assert retold.story_id == first.id == first.story_id
    assert sum(1 for a in articles if a.story_id == a.id) == 26
    async with db.sessions() as s:
        topics = {
            (row.article_id, row.topic_slug)
            for row in (await s.scalars(select(ArticleTopic))).all()
        }
        sport_article = by_title[sport[0].title]
        assert (sport_article.id, "sport") in topics
        assert all((by_title[i.title].id, "technology") in topics for i in tech)
        # The newest business story is shown once, with the other outlet counted.
        latest = await latest_stories(s, topic_slug="business", limit=3)
        assert latest[0].title == f"{business[0].title}, Wire reports"
        assert latest[0].story_id == by_title[business[0].title].id
        assert latest[0].more_sources == 1
        assert latest[1].title == business[1].title
        # Keyword subscriptions find stored articles by the words of title and summary.
        word = business[1].title.split()[0]
        assert by_title[business[1].title].id in await articles_matching_words(
            s, word, since=NOW.replace(year=2025), limit=100
        )

    again = await run_cycle(db, fetcher, analyser, config, clock=clock)

    assert (again.sources_not_modified, again.articles_new, again.sources_failed) == (4, 0, 0)
    for path in ("/business.xml", "/tech.xml", "/sport.atom", "/wire.xml"):
        assert feed_server.stats.requests[path] == 2
        assert feed_server.stats.conditional[path] == 1
        assert feed_server.stats.not_modified[path] == 1
    assert len(await _articles(db)) == 28
    async with db.sessions() as s:
        runs = (await s.scalars(select(IngestRun).order_by(IngestRun.id))).all()
        assert [(r.articles_new, r.sources_not_modified) for r in runs] == [(28, 0), (0, 4)]
    assert any(ua.startswith("GetNewsFast/") for ua in feed_server.stats.user_agents)


async def test_a_changed_feed_adds_only_its_new_entry(
    sqlite_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    items = _by_category(bbc_items, "politics", 6)
    url = serve_items(feed_server, items[1:], feed_path="/politics.xml")
    config = config_for(write_sources(tmp_path / "s.toml", [("Politics", url, ["politics"])]))
    first = await run_cycle(sqlite_db, fetcher, analyser, config, clock=clock)
    assert first.articles_new == 5

    serve_items(feed_server, items, feed_path="/politics.xml")  # one more at the top
    second = await run_cycle(sqlite_db, fetcher, analyser, config, clock=clock)

    assert (second.sources_fetched, second.articles_new, second.articles_duplicate) == (1, 1, 5)
    assert len(await _articles(sqlite_db)) == 6


async def test_on_postgresql_only_one_process_ingests_at_a_time(
    pg_db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    analyser: InlineAnalyser,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    url = serve_items(feed_server, bbc_items[:2], feed_path="/one.xml")
    config = config_for(write_sources(tmp_path / "s.toml", [("One", url, ["world"])]))
    # Another process's cycle holds the lock (a session of its own on the server).
    async with pg_db.engine.connect() as conn:
        schema = str(await conn.scalar(text("SELECT current_schema()")))
    db_url = pg_db.engine.url.render_as_string(hide_password=False)
    other = open_database(db_url, schema=schema)
    try:
        async with ingest_lock(other) as mine:
            assert mine
            report = await run_cycle(pg_db, fetcher, analyser, config, clock=clock)
            assert report.skipped
            assert report.summary_line() == "ingest skipped: another process is ingesting"
            assert feed_server.stats.requests["/one.xml"] == 0
        report = await run_cycle(pg_db, fetcher, analyser, config, clock=clock)
        assert (report.skipped, report.articles_new) == (False, 2)
    finally:
        await other.dispose()


class _BreaksOneFeed(InlineAnalyser):
    """Analyses normally, except that one feed's articles cannot be stored."""

    def __init__(self, broken_prefix: str) -> None:
        super().__init__()
        self.broken_prefix = broken_prefix

    async def analyse(self, candidates: Sequence[Candidate], rules: TopicRules) -> list[Analysed]:
        analysed = await super().analyse(candidates, rules)
        # A title of None breaks the articles table's NOT NULL on purpose: the one
        # ill-typed value here is what makes that feed's batch fail to store.
        return [
            replace(a, title=None) if a.url.startswith(self.broken_prefix) else a  # type: ignore[arg-type]
            for a in analysed
        ]


async def test_a_batch_that_cannot_be_stored_loses_nothing_of_the_others(
    db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    good = [replace(i, id=f"good-{i.id}") for i in bbc_items[50:56]]
    bad = [replace(i, id=f"bad-{i.id}") for i in bbc_items[60:63]]
    good_url = serve_items(feed_server, good, feed_path="/good.xml")
    bad_url = serve_items(feed_server, bad, feed_path="/bad.xml")
    config = config_for(
        write_sources(tmp_path / "s.toml", [("Good", good_url, ["world"]), ("Bad", bad_url, [])])
    )
    analyser = _BreaksOneFeed(f"{feed_server.base_url}/articles/bad-")

    report = await run_cycle(db, fetcher, analyser, config, clock=clock)

    assert (report.articles_new, report.sources_fetched, report.sources_failed) == (6, 1, 1)
    assert [f.name for f in report.failures] == ["Bad"]
    assert len(await _articles(db)) == 6
    async with db.sessions() as s:
        bad_source = (await s.scalars(select(Source).where(Source.name == "Bad"))).one()
    # A failure of the source, in its health: it backs off, its feed is read in full next
    # time, and /sources shows why.
    assert bad_source.consecutive_failures == 1 and bad_source.etag is None
    assert bad_source.last_error is not None
    assert bad_source.last_error.startswith("none of its 3 new articles could be stored")


async def test_one_article_the_database_refuses_costs_only_itself(
    db: Database,
    feed_server: FeedServer,
    fetcher: Fetcher,
    bbc_items: list[Item],
    tmp_path: Path,
) -> None:
    items = [replace(i, id=f"one-{i.id}") for i in bbc_items[70:75]]
    url = serve_items(feed_server, items, feed_path="/one.xml")
    config = config_for(write_sources(tmp_path / "s.toml", [("One", url, ["world"])]))
    refused = f"{feed_server.base_url}/articles/{items[2].id}.html"
    analyser = _BreaksOneFeed(refused)

    report = await run_cycle(db, fetcher, analyser, config, clock=clock)

    assert (report.articles_new, report.entries_invalid, report.sources_failed) == (4, 1, 0)
    assert refused not in {a.url for a in await _articles(db)}
    async with db.sessions() as s:
        source = (await s.scalars(select(Source).where(Source.name == "One"))).one()
    assert (source.consecutive_failures, source.last_error) == (0, None)
    assert source.etag is not None
