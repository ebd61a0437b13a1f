"""Telegraph pages of articles ("Read here"): the cached page, and what a new one needs.

Functions take a session and never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage._upsert import insert_ignoring_conflicts
from storage.models import Article, Source, TelegraphPage


@dataclass(frozen=True, slots=True)
class StoredPage:
    path: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What a Telegraph page of an article is made of."""

    article_id: int
    title: str
    url: str
    source: str | None
    language: str | None
    text: str


async def page_of(session: AsyncSession, article_id: int) -> StoredPage | None:
    """The article's page when one was created, else None."""
    row = (
        await session.execute(
            select(TelegraphPage.path, TelegraphPage.url).where(
                TelegraphPage.article_id == article_id
            )
        )
    ).first()
    return StoredPage(row[0], row[1]) if row is not None else None


async def article_text(session: AsyncSession, article_id: int) -> ArticleText | None:
    """The article's title, link, outlet and full text; None when it is gone (pruned)."""
    row = (
        await session.execute(
            select(
                Article.id,
                Article.title,
                Article.url,
                Source.name,
                Article.language,
                Article.text,
            )
            .outerjoin(Source, Source.id == Article.source_id)
            .where(Article.id == article_id)
        )
    ).first()
    if row is None:
        return None
    return ArticleText(int(row[0]), row[1], row[2], row[3], row[4], row[5] or "")


async def save_page(
    session: AsyncSession, article_id: int, page: StoredPage, *, now: datetime
) -> StoredPage | None:
    """Keep ``page`` as the article's page, unless another process stored one first:
    the stored page is returned either way (None: the article was pruned meanwhile)."""
    if await session.get(Article, article_id) is None:
        return None
    row = {"article_id": article_id, "path": page.path, "url": page.url, "created_at": now}
    await session.execute(insert_ignoring_conflicts(session, TelegraphPage, [row]))
    return await page_of(session, article_id)
