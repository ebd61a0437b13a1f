"""Stories a reader already received: skip, or once more as an update (digest.returns)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.compose import Section, compose
from digest.returns import (
    Received,
    Verdict,
    decide,
    digest_moment,
    merge,
    new_headline_with_new_facts,
)
from stories import Story

SENT = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)
TITLE = "Earthquake strikes Valdoria harbour district, buildings collapse"
SUMMARY = (
    "A magnitude 6.8 earthquake struck the coastal city of Valdoria early on Monday.",
    "Rescue teams searched the rubble of the old harbour district.",
)
RETOLD = "Valdoria earthquake collapses harbour buildings, Wire reports"
FOLLOW_UP = "Death toll rises to 41 as Valdoria rescuers reach trapped families"
NEW_FACTS = (
    "The death toll rose to 41 as rescuers reached families trapped under buildings.",
    "Aid ships carrying tents, water and generators were let into the reopened port.",
)


def got(
    *, outlets: int | None = 1, at: datetime = SENT, updates: int = 0, title: str = TITLE
) -> Received:
    return Received(at, outlets, title, SUMMARY if title else (), updates)


def now_story(
    *, outlets: int = 1, title: str = RETOLD, summary: tuple[str, ...] = SUMMARY, n: int = 9
) -> Story:
    return Story(
        article_id=n,
        story_id=1,
        title=title,
        url=f"https://news.test/{n}",
        summary=summary,
        source="Wire",
        published_at=SENT + timedelta(hours=20),
        outlets=outlets,
    )


DAY = timedelta(hours=24)
MINUTE = timedelta(minutes=1)

CASES = [
    # (what the reader got, the story now, how long after the send, verdict)
    pytest.param(None, now_story(), DAY, Verdict.NEW, id="never-received"),
    pytest.param(got(), now_story(outlets=2), DAY, Verdict.SKIP, id="one-new-outlet"),
    pytest.param(got(), now_story(outlets=3), 3 * DAY, Verdict.SKIP, id="two-new-outlets"),
    pytest.param(got(), now_story(outlets=4), DAY, Verdict.UPDATE, id="three-new-outlets"),
    pytest.param(got(outlets=2), now_story(outlets=4), DAY, Verdict.SKIP, id="two-since-send"),
    pytest.param(got(), now_story(outlets=4), DAY - MINUTE, Verdict.SKIP, id="23h59-after"),
    pytest.param(got(), now_story(outlets=9), timedelta(minutes=20), Verdict.SKIP, id="20min"),
    pytest.param(got(updates=1), now_story(outlets=9), 3 * DAY, Verdict.SKIP, id="update-used"),
    pytest.param(got(outlets=None), now_story(outlets=9), DAY, Verdict.SKIP, id="unknown-count"),
    pytest.param(got(outlets=0), now_story(outlets=3), DAY, Verdict.UPDATE, id="linked-3"),
    pytest.param(got(outlets=0), now_story(outlets=2), DAY, Verdict.SKIP, id="linked-2"),
    pytest.param(
        got(),
        now_story(title=FOLLOW_UP, summary=NEW_FACTS),
        DAY,
        Verdict.UPDATE,
        id="new-headline-new-facts",
    ),
    pytest.param(
        got(),
        now_story(title=FOLLOW_UP, summary=NEW_FACTS),
        DAY - MINUTE,
        Verdict.SKIP,
        id="new-headline-too-soon",
    ),
    pytest.param(
        got(), now_story(title=FOLLOW_UP, summary=SUMMARY), DAY, Verdict.SKIP, id="no-new-facts"
    ),
    pytest.param(
        got(), now_story(title=TITLE, summary=NEW_FACTS), DAY, Verdict.SKIP, id="same-headline"
    ),
    pytest.param(
        got(title=""),
        now_story(title=FOLLOW_UP, summary=NEW_FACTS),
        DAY,
        Verdict.SKIP,
        id="sent-article-pruned",
    ),
]


@pytest.mark.parametrize(("received", "story", "after", "verdict"), CASES)
def test_verdicts(
    received: Received | None, story: Story, after: timedelta, verdict: Verdict
) -> None:
    assert decide(received, story, SENT + after) is verdict


def test_a_new_headline_is_measured_on_title_words_and_summary_sentences() -> None:
    # The retelling shares most title words: not a new headline.
    assert not new_headline_with_new_facts(got(), now_story(title=RETOLD, summary=NEW_FACTS))
    # Numbers are words: a changed toll is new.
    toll = now_story(title=FOLLOW_UP, summary=("The toll rose from 12 to 41 on Wednesday.",))
    assert new_headline_with_new_facts(got(), toll)


# A story received at 23:50 local time that grew at 00:10: each local 23:50 digest after
# that, and whether 24 hours have passed. DST nights make the next 23:50 23 or 25 h later.
ZONES = [
    ("Pacific/Kiritimati", date(2026, 6, 10)),
    ("Pacific/Pago_Pago", date(2026, 6, 10)),
    ("Asia/Kathmandu", date(2026, 6, 10)),
    ("America/St_Johns", date(2026, 6, 10)),
    ("Europe/Berlin", date(2026, 3, 28)),  # clocks go forward on the 29th
    ("America/New_York", date(2026, 10, 31)),  # clocks go back on 1 November
]


@pytest.mark.parametrize(("zone", "day"), ZONES)
def test_day_boundaries_in_every_zone(zone: str, day: date) -> None:
    tz = ZoneInfo(zone)
    sent = datetime.combine(day, time(23, 50), tzinfo=tz)
    received = got(at=sent.astimezone(UTC))
    grown = now_story(outlets=4)
    after_midnight = datetime.combine(day + timedelta(days=1), time(0, 20), tzinfo=tz)
    assert decide(received, grown, after_midnight) is Verdict.SKIP
    next_2350 = datetime.combine(day + timedelta(days=1), time(23, 50), tzinfo=tz)
    elapsed = next_2350.astimezone(UTC) - sent.astimezone(UTC)
    expected = Verdict.UPDATE if elapsed >= DAY else Verdict.SKIP
    assert decide(received, grown, next_2350) is expected
    # 24 hours of elapsed time, whatever the wall clock says (added in UTC: an aware
    # local datetime plus a day is the same wall time, 23 or 25 h on a DST night).
    sent_utc = sent.astimezone(UTC)
    assert decide(received, grown, sent_utc + DAY - MINUTE) is Verdict.SKIP
    assert decide(received, grown, sent_utc + DAY) is Verdict.UPDATE


def test_the_zones_include_a_23_hour_and_a_25_hour_night() -> None:
    def night(zone: str, day: date) -> timedelta:
        tz = ZoneInfo(zone)
        start = datetime.combine(day, time(23, 50), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(23, 50), tzinfo=tz)
        return end.astimezone(UTC) - start

    assert night("Europe/Berlin", date(2026, 3, 28)) == timedelta(hours=23)
    assert night("America/New_York", date(2026, 10, 31)) == timedelta(hours=25)


def test_a_digest_counts_from_its_due_time_when_sent_on_time() -> None:
    due = SENT
    assert digest_moment(due, due + timedelta(seconds=40)) == due
    assert digest_moment(due, due + timedelta(hours=15)) == due + timedelta(hours=15)  # late
    assert digest_moment(None, due + timedelta(seconds=40)) == due + timedelta(seconds=40)
    # Yesterday's tick ran 40 s into the minute, today's 5 s: still 24 hours apart.
    yesterday = got(at=digest_moment(due, due + timedelta(seconds=40)))
    today = digest_moment(due + DAY, due + DAY + timedelta(seconds=5))
    assert decide(yesterday, now_story(outlets=4), today) is Verdict.UPDATE


def test_merged_sends_take_the_newest_send_and_count_linked_outlets_as_zero() -> None:
    first = got(outlets=2, at=SENT)
    linked = got(outlets=5, at=SENT + DAY, title=FOLLOW_UP, updates=1)
    merged = merge([(first, True), (linked, False)])
    assert merged == Received(SENT + DAY, 2, FOLLOW_UP, SUMMARY, 1)
    assert merge([]) is None
    assert merge([(got(outlets=None), True), (first, True)]) == got(outlets=None)


def test_compose_sends_a_grown_story_once_marked_and_skips_the_rest() -> None:
    grown = now_story(outlets=4, n=9)
    same = Story(
        article_id=10,
        story_id=2,
        title="Something else",
        url="https://news.test/10",
        summary=("One.",),
        source="Wire",
        published_at=SENT + timedelta(hours=21),
    )
    received = {1: got(), 2: got()}
    composition = compose(
        [Section("World", [grown, same])],
        since=SENT,
        seen_articles={1, 3},
        seen_stories={1, 2},
        max_per_topic=5,
        max_items=10,
        received=received,
        now=SENT + DAY,
    )
    [item] = composition.items()
    assert (item.article_id, item.is_update) == (9, True)
    # The very article the reader got never comes back, whatever the story did.
    again = compose(
        [Section("World", [grown])],
        since=SENT,
        seen_articles={9},
        seen_stories={1},
        max_per_topic=5,
        max_items=10,
        received=received,
        now=SENT + DAY,
    )
    assert again.item_count == 0
