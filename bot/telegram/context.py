"""The typed context every handler receives, the python-telegram-bot examples' way.

Handlers reach the composition root's objects through ``context.services`` (database,
settings, metrics), ``context.links`` (the untrusted-URL fetcher) and ``context.now()``
(the clock, injectable so tests decide what time it is) instead of string keys in a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.delivery.engine import DigestEngine
from bot.i18n import Translator, negotiate, translator
from bot.links.fetch import LinkFetcher
from bot.runtime.services import Services
from bot.telegram.fairness import ReaderLimiter, UserSlots


def utc_now() -> datetime:
    return datetime.now(UTC)


class BotData:
    """What the application shares between handlers; filled once by ``bot.app``.

    python-telegram-bot builds this with no arguments, so the fields start unset and
    :meth:`bind` fills them before the first update arrives.
    """

    def __init__(self) -> None:
        self._services: Services | None = None
        self._links: LinkFetcher | None = None
        #: The process's one digest engine (``bot.telegram.jobs.digest``): /digest sends through it.
        self._digests: DigestEngine | None = None
        self.clock: Callable[[], datetime] = utc_now
        #: Chats whose link or text is being summarised now: one at a time per chat.
        self.summarising: set[int] = set()
        #: Per-reader fairness (bot.telegram.fairness); ``bot.app`` sets them from the settings.
        self.readers = ReaderLimiter(burst=20, per_minute=20.0)
        self.link_slots = UserSlots(2)

    def bind(
        self,
        services: Services,
        links: LinkFetcher,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._services = services
        self._links = links
        if clock is not None:
            self.clock = clock

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("BotData.bind() was not called: build the application with bot.app")
        return self._services

    @property
    def links(self) -> LinkFetcher:
        if self._links is None:
            raise RuntimeError("BotData.bind() was not called: build the application with bot.app")
        return self._links

    @property
    def digests(self) -> DigestEngine:
        if self._digests is None:
            raise RuntimeError("no digest engine: install bot.telegram.jobs.digest first")
        return self._digests

    @digests.setter
    def digests(self, engine: DigestEngine) -> None:
        self._digests = engine


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """``context`` in our handlers: the library's context plus our services."""

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def links(self) -> LinkFetcher:
        return self.bot_data.links

    def now(self) -> datetime:
        """The current instant (UTC); tests replace the clock."""
        return self.bot_data.clock()

    #: Set by :meth:`use_locale` (the chat's language) and :meth:`from_update` (the sender's).
    _locale: str | None = None
    _user_language: str | None = None

    @property
    def t(self) -> Translator:
        """The words of this update's reader: the chat's language once :meth:`use_locale`
        set it, the sender's Telegram language until then."""
        return translator(self._locale or negotiate(self._user_language))

    def use_locale(self, code: str) -> None:
        """Answer this update in ``code``. python-telegram-bot builds one context per update
        and hands it to every handler group, so this holds for the whole update."""
        self._locale = code

    @classmethod
    def from_update(cls, update: object, application: Any) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context._user_language = update.effective_user.language_code
        return context


#: The application type ``bot.app`` builds.
BotApplication = Application[
    ExtBot[None],
    BotContext,
    dict[Any, Any],
    dict[Any, Any],
    BotData,
    JobQueue[BotContext],
]
