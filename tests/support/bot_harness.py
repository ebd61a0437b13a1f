"""The real bot against the fake Telegram Bot API, on a fresh database: for e2e tests.

    async with running_bot(tmp_path) as bot:
        fake, services, application = bot
        reply = await bot.send(Chat(42), "/start")
        assert "Welcome" in reply.plain_text

``running_bot`` starts :class:`~tests.support.fake_bot_api.FakeBotApi`, creates an empty
database (SQLite file, or a PostgreSQL database of its own), migrates it, seeds a topic
catalogue, builds the application with ``bot.app.build_application`` exactly as
``newsbot run`` does, and runs it with long polling through ``TELEGRAM_BASE_URL`` (or
as a webhook, when ``webhook_url=…`` is among the settings: the fake then POSTs updates).

Deterministic by default:
- the recurring ingest and digest ticks are installed but never fire by themselves
  (``recurring_jobs=False``); run a job's callback by hand when a test needs it;
- the clock is ``tests.support.digest_world.FakeClock`` (``bot.clock``), which only
  moves when told;
- reader links resolve through ``hosts`` (a name → address map), never DNS.

Every exception a handler raises is collected in ``bot.errors`` (the bot's own error
handler still runs); :meth:`RunningBot.assert_no_errors` fails a test that had any.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from telegram import Update
from telegram.ext import Job

from bot.app import build_application, running, webhook_config
from bot.runtime.services import Services, open_services
from bot.runtime.settings import load_settings
from bot.telegram.context import BotApplication, BotContext
from storage import TopicSpec, upgrade_database
from storage.topics import sync_topics
from tests.support.databases import temporary_database_url
from tests.support.digest_world import FakeClock
from tests.support.fake_bot_api import Call, Chat, FakeBotApi, Message, User

#: The BBC categories of the shared data set, plus two more; what readers pick from.
DEFAULT_TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec("world", "World"),
    TopicSpec("politics", "Politics"),
    TopicSpec("business", "Business"),
    TopicSpec("tech", "Technology"),
    TopicSpec("science", "Science"),
    TopicSpec("sport", "Sport"),
    TopicSpec("entertainment", "Entertainment"),
)

#: A fixed, unremarkable instant: a Sunday morning in spring, after Europe's DST change.
DEFAULT_NOW = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def static_resolver(hosts: Mapping[str, str | Sequence[str]]) -> Any:
    """A resolver for every outbound fetch that knows only ``hosts`` (name → address(es))."""
    table = {name.lower(): [a] if isinstance(a, str) else list(a) for name, a in hosts.items()}

    async def resolve(host: str, port: int) -> list[str]:
        try:
            return list(table[host.lower()])
        except KeyError:
            raise OSError(f"unknown host {host}") from None

    return resolve


@dataclass
class RunningBot:
    """The fake server, the services and the running application (unpacks as a 3-tuple)."""

    fake: FakeBotApi
    services: Services
    application: BotApplication
    clock: FakeClock
    errors: list[BaseException] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.fake, self.services, self.application))

    def job(self, name: str) -> Job[BotContext]:
        """The one scheduled job called ``name`` (the digest tick, the ingest tick…)."""
        job_queue = self.application.job_queue
        assert job_queue is not None, "the application was built without a job queue"
        [job] = job_queue.get_jobs_by_name(name)
        return job

    def job_context(self, job: Job[BotContext]) -> BotContext:
        """The context the job queue passes ``job``'s callback, for calling it directly
        (``job.run`` would hand a failure to the error handlers instead of raising it)."""
        return BotContext.from_job(job, self.application)

    async def send(self, chat: Chat, text: str, *, timeout: float = 10.0, **kw: Any) -> Message:
        """A reader sends ``text``; the bot's first message in reply (its edits applied)."""
        return await self.fake.reply_to(chat, text, timeout=timeout, **kw)

    async def send_and_collect(
        self, chat: Chat, text: str, *, timeout: float = 10.0, **kw: Any
    ) -> list[Message]:
        """A reader sends ``text``; every message the bot sent until its handler finished."""
        before = len(self.fake.messages(chat.id))
        self.fake.user_sends(chat, text, **kw)
        await self.wait_until_handled(timeout=timeout)
        return self.fake.messages(chat.id)[before:]

    async def press(
        self, chat: Chat, message: Message, label_part: str, *, user: User | None = None
    ) -> dict[str, Any]:
        """A reader presses the button whose label contains ``label_part``; returns the
        callback answer (``text``, ``show_alert``) once the bot has answered it."""
        query_id = self.fake.press_button(chat, message, label_part, user=user)
        return await self.callback_answer(query_id)

    async def press_data(
        self, chat: Chat, message_id: int, data: str, *, user: User | None = None
    ) -> dict[str, Any]:
        """Press a button carrying ``data`` (forged or stale data included)."""
        query_id = self.fake.user_presses(chat, message_id, data, user=user)
        return await self.callback_answer(query_id)

    async def callback_answer(self, query_id: str, *, timeout: float = 10.0) -> dict[str, Any]:
        await self.fake.wait_for(
            lambda: self.fake.callback_answer(query_id) is not None,
            timeout=timeout,
            what=f"an answer to callback query {query_id}",
        )
        await self.wait_until_handled(timeout=timeout)
        answer = self.fake.callback_answer(query_id)
        assert answer is not None
        return answer

    async def wait_until_handled(self, *, timeout: float = 10.0) -> None:
        """Wait until polling has fetched every update and no handler is still running."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            await asyncio.sleep(0.005)
            busy = self.fake.pending_updates() or self.application.update_queue.qsize()
            if not busy and not self._handling():
                # One more round: a handler may have just been scheduled from the queue.
                await asyncio.sleep(0.005)
                if not self._handling() and not self.fake.pending_updates():
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"updates still being handled after {timeout}s")

    def _handling(self) -> bool:
        # With concurrent updates the library runs each update in a task named like this.
        return any(
            not task.done() and task.get_name().endswith(":process_concurrent_update")
            for task in asyncio.all_tasks()
        )

    async def process(self, update: dict[str, Any]) -> None:
        """Run one update (the fake's JSON) through the application, bypassing polling."""
        await self.application.process_update(Update.de_json(update, self.application.bot))

    def assert_no_errors(self) -> None:
        assert not self.errors, f"handlers raised: {self.errors!r}"

    def refused_calls(self, since: int = 0) -> list[Call]:
        """Bot API calls (from the ``since``-th on) the fake refused: invalid HTML, too long…

        "Message is not modified" is left out: the bot asks for it knowingly when a reader
        presses a button twice, and handles the answer.
        """
        return [
            c
            for c in self.fake.calls()[since:]
            if c.status != 200 and "not modified" not in (c.error or "")
        ]


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    backend: str = "sqlite",
    *,
    topics: Sequence[TopicSpec] = DEFAULT_TOPICS,
    hosts: Mapping[str, str | Sequence[str]] | None = None,
    now: datetime = DEFAULT_NOW,
    recurring_jobs: bool = False,
    link_transport: httpx.AsyncBaseTransport | None = None,
    fake: FakeBotApi | None = None,
    **settings_overrides: Any,
) -> AsyncIterator[RunningBot]:
    """Start the fake Bot API and the real application on an empty database.

    ``settings_overrides`` are :class:`~bot.runtime.settings.Settings` fields
    (``admin_ids={7}``, ``allowed_private_hosts={"intranet.test"}``, …).
    ``link_transport`` (e.g. ``httpx.MockTransport``) answers the reader-link fetches
    that pass the address checks, instead of real connections. ``fake`` is a fake Bot API
    the test started itself (e.g. to put a proxy in front of it before the bot starts).
    """
    with contextlib.nullcontext(fake) if fake is not None else FakeBotApi() as fake:
        async with temporary_database_url(backend, tmp_path) as url:
            values: dict[str, Any] = {
                "telegram_bot_token": fake.token,
                "telegram_base_url": fake.base_url,
                "telegram_base_file_url": fake.base_file_url,
                "database_url": url,
                "data_dir": tmp_path / "data",
                # Tests send many messages quickly; the limiter itself is not under test.
                "send_rate_per_second": 1000.0,
                # Tests send many updates from one reader at a frozen clock; the
                # per-reader limit is under test only where a test sets it.
                "reader_burst": 100_000,
                "fetch_timeout_seconds": 5.0,
                "_env_file": None,
            }
            # The test feed server is on 127.0.0.1: listed, as an operator lists an intranet
            # feed. Tests about refusals name their own list (127.0.0.2 is never on it).
            values["allowed_private_hosts"] = {"127.0.0.1"}
            values.update(settings_overrides)
            settings = load_settings(**values)
            async with open_services(settings, prepare=False) as services:
                await upgrade_database(services.db)
                if topics:
                    async with services.db.sessions.begin() as session:
                        await sync_topics(session, list(topics))
                clock = FakeClock(now)
                application = build_application(
                    services,
                    recurring_jobs=recurring_jobs,
                    resolver=static_resolver(hosts or {}),
                    link_transport=link_transport,
                    clock=clock.now,
                )
                bot = RunningBot(fake, services, application, clock)

                async def collect(update: object, context: BotContext) -> None:
                    if context.error is not None:
                        bot.errors.append(context.error)

                application.add_error_handler(collect)
                async with running(
                    application,
                    webhook=webhook_config(settings),
                    poll_timeout=timedelta(seconds=1),
                    poll_interval=0.0,
                ):
                    yield bot
