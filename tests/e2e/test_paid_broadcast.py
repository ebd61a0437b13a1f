"""NEWSBOT_PAID_BROADCAST: digests ask for paid broadcasting and the ceiling rises to 1,000/s."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.delivery.sender import SharedRateLimiter
from tests.support.bot_harness import RunningBot, running_bot
from tests.support.digest_world import add_sources, add_story
from tests.support.fake_bot_api import Chat

READER = Chat(42)


async def test_digests_are_paid_broadcasts_and_replies_are_not(tmp_path: Path) -> None:
    async with running_bot(tmp_path, paid_broadcast=True, send_rate_per_second=25) as bot:
        now = bot.clock.now()
        async with bot.services.db.sessions.begin() as session:
            sources = await add_sources(session, 1, now)
            await add_story(
                session,
                title="Harbour reopens",
                topics=["world"],
                sources=sources,
                published_at=now - timedelta(hours=1),
            )
        await bot.send(READER, "/start")
        await bot.send(READER, "/subscribe world")
        replies = bot.fake.calls("sendMessage", chat_id=READER.id)
        job_queue = bot.application.job_queue
        assert job_queue is not None
        [job] = job_queue.get_jobs_by_name("digest")
        bot.clock.set(now.replace(hour=7, minute=30))
        await job.run(bot.application)
        [digest] = bot.fake.calls("sendMessage", chat_id=READER.id)[len(replies) :]
        bot.assert_no_errors()
    assert "Harbour reopens" in digest.params["text"]
    assert digest.params.get("allow_paid_broadcast") is True
    assert all("allow_paid_broadcast" not in reply.params for reply in replies)
    assert _ceiling(bot) == 1000


def _ceiling(bot: RunningBot) -> float | None:
    """The overall rate of the pacer replies and digests share."""
    # The application is typed with ExtBot[None]; the installed limiter's own type
    # argument differs, so read it as an object and narrow.
    limiter: object = bot.application.bot.rate_limiter
    assert isinstance(limiter, SharedRateLimiter)
    return limiter.pacer.limits.overall_per_second


async def test_without_it_digests_keep_the_configured_rate(tmp_path: Path) -> None:
    async with running_bot(tmp_path, send_rate_per_second=25) as bot:
        assert _ceiling(bot) == 25
