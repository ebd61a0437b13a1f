"""Articles stored through ingest's own story clustering, for tests of stories over days.

``tests.support.digest_world.add_story`` states story ids by hand; stories that continue
across days must be clustered the way ingest does it (story keys, the story window,
the Jaccard test), or a test could only prove what it assumed. :func:`report` hands one
analysed article to ingest's write path (``_Cycle._store_articles``, the code every
ingest cycle runs) with no feed or network around it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.analyse import Analysed
from ingest.dedupe import band_keys, content_hash, minhash, story_words
from ingest.pipeline import _Cycle, _DueSource
from storage.articles import terms_in_order
from storage.models import Article

_urls = itertools.count(1)


@dataclass(frozen=True)
class Telling:
    """One outlet's article: its headline, opening text and summary sentences."""

    title: str
    text: str
    summary: Sequence[str]


def _cycle() -> _Cycle:
    # Only the story-words cache of a cycle is used by _store_articles.
    cycle = _Cycle.__new__(_Cycle)
    cycle.story_words = {}
    return cycle


async def report(
    session: AsyncSession,
    source_id: int,
    telling: Telling,
    *,
    published_at: datetime,
    topics: Sequence[str] = ("world",),
) -> Article:
    """Store ``telling`` by outlet ``source_id`` as ingest would; return the stored row."""
    n = next(_urls)
    url = f"https://outlet{source_id}.test/story/{n}"
    words = story_words(telling.title, telling.text)
    analysed = Analysed(
        url=url,
        guid=None,
        title=telling.title,
        published_at=published_at,
        text=telling.text,
        summary=tuple(telling.summary),
        summary_positions=tuple(range(len(telling.summary))),
        language="en",
        topics=tuple(topics),
        terms=frozenset(terms_in_order(" ".join([telling.title, *telling.summary]))),
        content_hash=content_hash(title=telling.title, text=f"{telling.text} {n}", url=url),
        story_words=words,
        story_keys=tuple(band_keys(minhash(words))),
    )
    source = _DueSource(
        id=source_id,
        name=f"Outlet {source_id}",
        url=f"https://outlet{source_id}.test/feed",
        topics=tuple(topics),
        language="en",
        etag=None,
        last_modified=None,
        failures=0,
        healthy_since=published_at,
    )
    await _cycle()._store_articles(session, source, [analysed], published_at)
    stored = await session.scalar(select(Article).where(Article.url == url))
    assert stored is not None
    return stored


# A story told over three days: the first reports, retellings by other outlets, a
# follow-up with a new headline and new facts, and unrelated news.
QUAKE_TEXT = (
    "A magnitude 6.8 earthquake struck the coastal city of Valdoria early on Monday, "
    "collapsing buildings in the old harbour district and cutting power to thousands of "
    "homes. Rescue teams from the regional fire service searched the rubble through the "
    "morning while the harbour authority closed the port and ordered ships to stay at sea. "
    "The national seismology institute said the quake's epicentre lay twelve kilometres "
    "offshore at a depth of ten kilometres."
)
QUAKE = Telling(
    "Earthquake strikes Valdoria harbour district, buildings collapse",
    QUAKE_TEXT,
    (
        "A magnitude 6.8 earthquake struck the coastal city of Valdoria early on Monday.",
        "Rescue teams searched the rubble of the old harbour district.",
        "The harbour authority closed the port.",
    ),
)


def retelling(outlet: str) -> Telling:
    """The quake as another outlet tells it: its own headline, the same facts."""
    return Telling(
        f"Valdoria earthquake collapses harbour buildings, {outlet} reports",
        f"{outlet} understands the following. {QUAKE_TEXT}",
        QUAKE.summary,
    )


FOLLOW_UP = Telling(
    "Death toll rises to 41 as Valdoria rescuers reach trapped families",
    "Rescue teams in Valdoria reached families trapped under collapsed buildings in the "
    "old harbour district on Wednesday, two days after a magnitude 6.8 earthquake struck "
    "the coastal city, as the death toll rose to 41. The harbour authority reopened the "
    "port to aid ships carrying tents, water and generators while the fire service "
    "searched the rubble; the seismology institute recorded forty aftershocks offshore.",
    (
        "The death toll rose to 41 as rescuers reached families trapped under buildings.",
        "Aid ships carrying tents, water and generators were let into the reopened port.",
        "Forty aftershocks were recorded offshore.",
    ),
)


_OTHER = [
    (
        "City council approves budget for new tram line",
        "The council voted for a tram line "
        "across the northern suburbs with twelve stops, a depot and a cycle bridge over the "
        "canal; construction starts in spring and the first trams run in three years.",
    ),
    (
        "Chess prodigy wins national championship at fourteen",
        "A fourteen-year-old from "
        "Lindenberg won the national chess championship after a tense final round, beating "
        "the reigning grandmaster with the black pieces in a rook endgame.",
    ),
    (
        "Orchestra announces free summer concerts in parks",
        "The philharmonic orchestra will "
        "play six free evening concerts in city parks this summer, with programmes of film "
        "music, waltzes and a children's matinee.",
    ),
    (
        "Bakery chain recalls bread over allergy labelling",
        "A bakery chain recalled four "
        "kinds of sliced bread because the labels omitted sesame, urging customers with "
        "allergies to return them for a refund.",
    ),
]


def other_news(n: int) -> Telling:
    """Unrelated news: a different story for each ``n`` below four."""
    title, text = _OTHER[n]
    return Telling(title, text, (text.split(",")[0] + ".",))
