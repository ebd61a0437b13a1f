""" "Read here": the Telegraph page of an article, created on the first press, then reused.

Two presses at once in this process wait for one another (a lock per article), so they
create one page; two processes racing both create one, and the database's primary key
keeps the first stored (the other page stays orphaned on Telegraph, harmlessly).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.links.telegraph import PageDraft, TelegraphClient, TelegraphError
from bot.runtime.services import Services
from storage.telegraph import ArticleText, StoredPage, article_text, page_of, save_page

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageLink:
    url: str
    title: str
    created: bool


@dataclass(frozen=True)
class ReadProblem:
    """Why no page is shown: "gone" (pruned), "no_text", or Telegraph's failure kind
    ("unavailable", "refused", "flood" with ``retry_after`` seconds)."""

    problem: str
    retry_after: int | None = None


async def open_page(
    services: Services,
    client: TelegraphClient,
    article_id: int,
    *,
    now: datetime,
    draft: Callable[[ArticleText], PageDraft],
) -> PageLink | ReadProblem:
    """The article's page: the stored one, or a new one made from ``draft(article)``."""
    async with client.locks.hold(article_id):
        result = await _open(services, client, article_id, now=now, draft=draft)
    outcome = result.problem if isinstance(result, ReadProblem) else _made(result)
    services.metrics.read_here.labels(outcome=outcome).inc()
    return result


def _made(link: PageLink) -> str:
    return "created" if link.created else "reused"


async def _open(
    services: Services,
    client: TelegraphClient,
    article_id: int,
    *,
    now: datetime,
    draft: Callable[[ArticleText], PageDraft],
) -> PageLink | ReadProblem:
    async with services.db.sessions() as session:
        article = await article_text(session, article_id)
        stored = await page_of(session, article_id)
    if article is None:
        log.info("read here: article %d is no longer stored", article_id)
        return ReadProblem("gone")
    if stored is not None:
        return PageLink(stored.url, article.title, created=False)
    if not article.text.strip():
        log.info("read here: article %d has no full text stored", article_id)
        return ReadProblem("no_text")
    try:
        created = await client.create_page(draft(article))
    except TelegraphError as error:
        # The detail is Telegraph's error code or an exception's name: never the token.
        log.warning("read here: no Telegraph page for article %d: %s", article_id, error)
        return ReadProblem(error.kind, error.retry_after)
    async with services.db.sessions.begin() as session:
        kept = await save_page(session, article_id, StoredPage(created.path, created.url), now=now)
    if kept is None:
        return ReadProblem("gone")
    return PageLink(kept.url, article.title, created=kept.url == created.url)
