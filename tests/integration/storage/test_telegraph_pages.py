"""Telegraph pages of articles: one per article, kept by the first writer, gone with it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select

from storage import Database
from storage.models import Article, TelegraphPage
from storage.telegraph import StoredPage, article_text, page_of, save_page
from tests.support.digest_world import add_sources, add_story

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


async def _article(db: Database) -> int:
    async with db.sessions.begin() as session:
        sources = await add_sources(session, 1, NOW)
        [article_id] = await add_story(
            session, title="Rates fall", topics=[], sources=sources, published_at=NOW
        )
        (await session.get(Article, article_id)).text = "One.\nTwo."  # type: ignore[union-attr]
    return article_id


async def test_the_first_page_stored_is_kept_and_goes_with_its_article(db: Database) -> None:
    article_id = await _article(db)
    async with db.sessions() as session:
        assert await page_of(session, article_id) is None
        text = await article_text(session, article_id)
    assert text is not None
    assert (text.title, text.source, text.text) == ("Rates fall", "Outlet 0", "One.\nTwo.")

    first = StoredPage("Rates-fall-12-06", "https://telegra.ph/Rates-fall-12-06")
    second = StoredPage("Rates-fall-12-06-2", "https://telegra.ph/Rates-fall-12-06-2")
    async with db.sessions.begin() as session:
        assert await save_page(session, article_id, first, now=NOW) == first
    # Another process that created its own page meanwhile gets the stored one back.
    async with db.sessions.begin() as session:
        assert await save_page(session, article_id, second, now=NOW) == first
    async with db.sessions() as session:
        assert await page_of(session, article_id) == first

    async with db.sessions.begin() as session:
        await session.execute(delete(Article).where(Article.id == article_id))
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TelegraphPage)) == 0
        assert await article_text(session, article_id) is None
    async with db.sessions.begin() as session:
        assert await save_page(session, article_id, first, now=NOW) is None
