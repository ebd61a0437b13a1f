"""The composition root of the Telegram side: the one place the Application is built and run.

``build_application`` wires everything from :class:`~bot.runtime.services.Services`: the library's
``Application`` (token and optional self-hosted Bot API URLs from settings, passed
verbatim), the rate limiter, our typed context, every handler module, the ingest and
digest jobs and the error handler. ``run_bot`` opens the services, runs the bot with long
polling or a webhook until SIGINT or SIGTERM, and shuts everything down cleanly.

Every handler is registered here, from one ordered table (:func:`handler_table`): the
library runs the first matching handler of a group, so every command comes first and
the catch-alls (``bot.telegram.handlers.fallback``: unknown commands, stale buttons;
plain private messages) last.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.delivery.sender import Pacer, RealClock, SharedRateLimiter
from bot.i18n import DEFAULT_LOCALE, LOCALES, translator
from bot.links.fetch import LinkFetcher, Resolver
from bot.runtime.health_endpoint import serve_health
from bot.runtime.services import SchemaOutdated, Services, open_services
from bot.runtime.setting_values import proxy_for_display
from bot.runtime.settings import Settings
from bot.telegram import callbacks, commands
from bot.telegram.connections import command_request, telegram_proxy, updates_request
from bot.telegram.context import BotApplication, BotContext, BotData
from bot.telegram.fairness import ReaderLimiter, UserSlots
from bot.telegram.handlers import (
    admin_sources,
    digest,
    errors,
    fallback,
    forget,
    language,
    locale,
    membership,
    mutes,
    news,
    read_here,
    schedule,
    start,
    stats,
    summarize,
    throttle,
    topics,
)
from bot.telegram.jobs import digest as digest_jobs
from bot.telegram.jobs import ingest as ingest_jobs
from bot.telegram.routing import Handler, button, command, settings_button
from digest.languages import news_language_of

log = logging.getLogger(__name__)

#: Updates handled at once. A /summarize waits seconds on a foreign site; the others
#: must not queue behind it. The database pool and the rate limiter bound the rest.
CONCURRENT_UPDATES = 64
#: What the handlers use. Asking for everything would add a chat_member update for every
#: join and leave in every group the bot is in, for nothing.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
#: Telegram's flood limit for groups: about 20 messages a minute per group.
GROUP_MESSAGES_PER_MINUTE = 20


class HeldJobQueue(JobQueue[BotContext]):
    """A job queue that keeps the jobs installed on it but never runs them.

    Tests build the application with it so the ingest and digest ticks exist (and can be
    inspected or run by hand) without firing on the wall clock.
    """

    async def start(self) -> None:
        return None

    async def stop(self, wait: bool = True) -> None:
        return None


def build_application(
    services: Services,
    *,
    recurring_jobs: bool = True,
    resolver: Resolver | None = None,
    link_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], datetime] | None = None,
) -> BotApplication:
    """The Telegram application with every handler and job installed.

    ``recurring_jobs=False`` keeps the ingest and digest ticks from running on their own;
    for tests, ``resolver`` replaces DNS for every outbound fetch (reader links, feeds and
    their pages), ``link_transport`` the HTTP
    connections made for them (after the address checks) and ``clock`` the current time.
    """
    settings = services.settings
    # One overall budget for the process: replies (the rate limiter) and digests.
    pacer = Pacer(digest_jobs.digest_limits(settings), RealClock())
    # The builder's type follows each call's generics; the result is checked below.
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(settings.token())
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(CONCURRENT_UPDATES)
        .rate_limiter(SharedRateLimiter(pacer, group_per_minute=GROUP_MESSAGES_PER_MINUTE))
        .request(command_request(settings))
        .get_updates_request(updates_request(settings))
        .post_init(post_init)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    if not recurring_jobs:
        builder = builder.job_queue(HeldJobQueue())
    application: BotApplication = builder.build()
    if resolver is not None:
        services.resolver = resolver
    links = LinkFetcher(
        timeout_seconds=settings.fetch_timeout_seconds,
        max_bytes=settings.fetch_max_bytes,
        policy=services.outbound_policy(for_feeds=False),
        transport=link_transport,
    )
    application.bot_data.bind(services, links, clock)
    # Per-reader fairness (docs/limits.md): the rate check runs before every handler.
    application.bot_data.readers = ReaderLimiter(
        burst=settings.reader_burst, per_minute=settings.reader_per_minute
    )
    application.bot_data.link_slots = UserSlots(settings.link_fetches_per_user)
    ingest_jobs.install(application)
    application.bot_data.digests = digest_jobs.install(application, services, pacer=pacer)
    for group, handler in handler_table():
        application.add_handler(handler, group=group)
    application.add_error_handler(errors.on_error)
    return application


def handler_table() -> tuple[tuple[int, Handler], ...]:
    """Every handler with its group, in registration order.

    The library tries the groups in ascending order and, within a group, runs the first
    handler that matches. So: group changes of chats (-3) come before the per-reader
    throttle (-2), which comes before the lookup of the chat's language (-1), which comes
    before every command (0); within group 0 the catch-alls
    (OPML documents before plain private messages, unknown commands and stale buttons)
    come last. Who may run what comes from the command table (``bot.telegram.routing``).
    """
    messages = filters.UpdateType.MESSAGE
    return (
        (
            membership.MIGRATION_GROUP,
            MessageHandler(filters.StatusUpdate.MIGRATE, membership.on_migration),
        ),
        (throttle.GROUP, TypeHandler(Update, throttle.throttle)),
        (locale.GROUP, TypeHandler(Update, locale.use_chat_locale)),
        (0, command("start", start.start)),
        (0, command("help", start.help_command)),
        (0, command("topics", topics.topics_command)),
        (0, command("subscribe", topics.subscribe_command)),
        (0, command("unsubscribe", topics.unsubscribe_command)),
        (0, command("mysubs", topics.mysubs_command)),
        (0, settings_button(callbacks.PATTERN_TOPIC, topics.on_topic_button)),
        (0, settings_button(callbacks.PATTERN_UNSUBSCRIBE, topics.on_unsubscribe_button)),
        (0, command("mute", mutes.mute_command)),
        (0, command("unmute", mutes.unmute_command)),
        (0, command("mutes", mutes.mutes_command)),
        (0, settings_button(callbacks.PATTERN_UNMUTE, mutes.on_unmute_button)),
        (0, command("latest", news.latest_command)),
        (0, command("search", news.search_command)),
        (0, button(callbacks.PATTERN_LATEST_MORE, news.on_latest_more)),
        (0, button(callbacks.PATTERN_READ, read_here.on_read_here)),
        (0, command("settime", schedule.settime_command)),
        (0, command("timezone", schedule.timezone_command)),
        (0, command("pause", schedule.pause_command)),
        (0, command("resume", schedule.resume_command)),
        (0, command("length", schedule.length_command)),
        (0, command("quiet", schedule.quiet_command)),
        (0, settings_button(callbacks.PATTERN_TIME, schedule.on_time_button)),
        (0, settings_button(callbacks.PATTERN_ZONE, schedule.on_zone_button)),
        (0, settings_button(callbacks.PATTERN_LENGTH, schedule.on_length_button)),
        (0, command("language", language.language_command)),
        (0, command("languages", language.languages_command)),
        (0, settings_button(callbacks.PATTERN_LANGUAGE, language.on_language_button)),
        (0, settings_button(callbacks.PATTERN_NEWS_LANGUAGE, language.on_news_language_button)),
        (0, command("summarize", summarize.summarize_command)),
        (0, command("stop", forget.stop_command)),
        (0, settings_button(callbacks.PATTERN_FORGET, forget.on_forget_button)),
        (0, command("stats", stats.stats_command)),
        (0, ChatMemberHandler(membership.on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER)),
        (0, command("addsource", admin_sources.addsource_command)),
        (0, command("removesource", admin_sources.removesource_command)),
        (0, command("sources", admin_sources.sources_command)),
        (0, command("importsources", admin_sources.importsources_command)),
        (0, command("exportsources", admin_sources.exportsources_command)),
        (0, command("digest", digest.digest_command)),
        # Before plain private messages: a document with a caption would otherwise be
        # read as a link to summarise. Non-operators are refused inside (not a command).
        (
            0,
            MessageHandler(
                filters.ChatType.PRIVATE & messages & admin_sources.OPML_DOCUMENT,
                admin_sources.opml_document,
            ),
        ),
        (
            0,
            MessageHandler(
                filters.ChatType.PRIVATE
                & messages
                & (filters.TEXT | filters.CAPTION)
                & ~filters.COMMAND,
                summarize.private_message,
            ),
        ),
        (0, MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, fallback.unknown_command)),
        (0, CallbackQueryHandler(fallback.stale_button)),
    )


def menu(*, admin: bool, locale: str = DEFAULT_LOCALE) -> list[BotCommand]:
    """The command menu Telegram shows, in ``locale``; operators also see theirs."""
    chosen = commands.ALL_COMMANDS if admin else commands.READER_COMMANDS
    t = translator(locale)
    return [BotCommand(c.name, t.gettext(c.description)) for c in chosen]


def menu_language_codes() -> dict[str, str]:
    """Telegram's ``language_code`` for each shipped locale but English (the default
    menu): two-letter ISO 639-1 codes only, so Brazilian Portuguese is ``pt``."""
    return {
        news_language_of(locale.code): locale.code
        for locale in LOCALES
        if locale.code != DEFAULT_LOCALE
    }


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the command menu: readers' commands for everyone, all for operators; in
    English for everyone, and in each shipped language for users whose app speaks it.

    A failure here (an operator who never opened a chat with the bot makes Telegram
    answer "chat not found") is logged, never fatal.
    """
    bot = application.bot
    settings: Settings = application.bot_data.services.settings
    languages = [(None, DEFAULT_LOCALE), *menu_language_codes().items()]
    for language_code, code in languages:
        try:
            await bot.set_my_commands(
                menu(admin=False, locale=code),
                scope=BotCommandScopeDefault(),
                language_code=language_code,
            )
        except TelegramError as error:
            log.warning("could not register the command menu (%s): %s", code, error)
    for admin_id in sorted(settings.admin_ids):
        for language_code, code in languages:
            try:
                await bot.set_my_commands(
                    menu(admin=True, locale=code),
                    scope=BotCommandScopeChat(admin_id),
                    language_code=language_code,
                )
            except TelegramError as error:
                log.info("no operator menu for %s (%s); they see it after /start", admin_id, error)
                break


# --- running -------------------------------------------------------------------------


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates, where we listen, and the secret it must send back."""

    url: str
    listen: str
    port: int
    path: str
    secret: str


def webhook_config(settings: Settings) -> Webhook | None:
    """The webhook to serve, or None for long polling."""
    if not settings.webhook_url:
        return None
    secret = (
        settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else derived_webhook_secret(settings.token())
    )
    return Webhook(
        url=settings.webhook_url,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        path=urlsplit(settings.webhook_url).path.lstrip("/"),
        secret=secret,
    )


def derived_webhook_secret(token: str) -> str:
    """A secret for Telegram's header when the operator set none.

    Derived from the token, so every process behind the same URL agrees on it (a random
    one per process would make all but the last to start refuse Telegram's requests),
    and nobody without the token can guess it.
    """
    return hmac.new(token.encode(), b"newsbot webhook secret", hashlib.sha256).hexdigest()


@asynccontextmanager
async def running(
    application: BotApplication,
    *,
    webhook: Webhook | None = None,
    receive_updates: bool = True,
    poll_timeout: timedelta = timedelta(seconds=10),
    poll_interval: float = 0.0,
) -> AsyncIterator[BotApplication]:
    """Initialise, start and feed the application (polling or webhook); stop it on exit.

    ``receive_updates=False`` (a worker) runs only the jobs: Telegram lets one process
    poll a token, so extra processes on PostgreSQL share the digest and ingest work
    without asking for updates.
    """
    async with application, contextlib.AsyncExitStack() as stack:
        # Like run_polling(): post_shutdown (closing the digest sender's connections)
        # runs however the block ends.
        if application.post_shutdown is not None:
            stack.push_async_callback(application.post_shutdown, application)
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        updater = application.updater
        assert updater is not None
        if receive_updates and webhook is None:
            await updater.start_polling(
                poll_interval=poll_interval,
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
            )
        elif receive_updates and webhook is not None:
            await updater.start_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        try:
            yield application
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()


def run_bot(settings: Settings, *, worker: bool = False) -> int:
    """`newsbot run`: serve until SIGINT or SIGTERM; the exit code."""
    try:
        return asyncio.run(serve(settings, worker=worker))
    except SchemaOutdated as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "newsbot: Telegram refused TELEGRAM_BOT_TOKEN; copy it again from @BotFather",
            file=sys.stderr,
        )
        return 2


async def serve(
    settings: Settings, *, stop: asyncio.Event | None = None, worker: bool = False
) -> int:
    """Run the bot with its jobs until ``stop`` is set (by default: SIGINT or SIGTERM).

    A ``worker`` runs the ingest and digest jobs only, receiving no updates.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # No loop signal handlers on Windows (NotImplementedError) or outside the main
        # thread (RuntimeError: tests run the bot in a thread); ``stop`` still ends it.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    try:
        async with open_services(settings) as services:
            application = build_application(services)
            webhook = webhook_config(settings)
            async with (
                serve_health(services),
                running(application, webhook=webhook, receive_updates=not worker),
            ):
                if worker:
                    mode = "worker: digests and ingest only, no updates"
                else:
                    mode = f"webhook at {webhook.url}" if webhook else "long polling"
                log.info("bot @%s running (%s)", application.bot.username, mode)
                await stop.wait()
                log.info("stopping")
    except NetworkError as error:
        proxy = telegram_proxy(settings)
        through = f" through the proxy {proxy_for_display(proxy)}" if proxy else ""
        log.error("cannot reach the Telegram Bot API%s: %s", through, error)
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
    return 0
