"""Every command the bot answers: one list feeds the Telegram menu, /help, usage replies
and the permission rules (``bot.telegram.routing`` applies ``admin`` and
``changes_settings`` when ``bot.app`` registers each command's handler).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    """One line for the menu (Telegram allows 3–256 characters)."""
    usage: str
    """The command's form, e.g. ``/settime HH:MM``."""
    example: str
    admin: bool = False
    """Only the operators (NEWSBOT_ADMIN_IDS) may run it."""
    changes_settings: bool = False
    """In groups, only the group's admins may run it."""


READER_COMMANDS: tuple[Command, ...] = (
    Command("start", "Start, and choose your topics", "/start", "/start", changes_settings=True),
    Command("help", "What I can do, with examples", "/help", "/help"),
    Command(
        "topics",
        "Choose topics with buttons",
        "/topics",
        "/topics",
        changes_settings=True,
    ),
    Command(
        "subscribe",
        "Follow a topic, or words in quotes",
        '/subscribe <topic> or /subscribe "words"',
        '/subscribe technology   or   /subscribe "climate change"',
        changes_settings=True,
    ),
    Command(
        "unsubscribe",
        "Stop following a topic or words",
        '/unsubscribe <topic> or /unsubscribe "words"',
        "/unsubscribe sport",
        changes_settings=True,
    ),
    Command("mysubs", "What you follow, with buttons to remove", "/mysubs", "/mysubs"),
    Command(
        "latest",
        "The newest summaries now, of all or one topic",
        "/latest [topic] [number]",
        "/latest technology 3",
    ),
    Command("digest", "Your digest now", "/digest", "/digest"),
    Command(
        "summarize",
        "Summarise a web page (or just send me the link)",
        "/summarize <link>",
        "/summarize https://example.com/news/story",
    ),
    Command("search", "Find stored stories by words", "/search <words>", "/search solar power"),
    Command(
        "settime",
        "When your daily digest arrives",
        "/settime HH:MM",
        "/settime 07:30",
        changes_settings=True,
    ),
    Command(
        "timezone",
        "Your time zone",
        "/timezone <zone, city or UTC offset>",
        "/timezone Europe/Berlin   or   /timezone Tokyo   or   /timezone UTC+3",
        changes_settings=True,
    ),
    Command(
        "length",
        "Sentences per summary (1–5)",
        "/length <1-5>",
        "/length 2",
        changes_settings=True,
    ),
    Command(
        "quiet",
        "Quiet hours: no digest between two times",
        "/quiet HH:MM-HH:MM or /quiet off",
        "/quiet 22:00-07:00",
        changes_settings=True,
    ),
    Command(
        "language",
        N_("The language I speak with you"),
        # Translators: keep "/language" as it is; translate "language code".
        N_("/language or /language <language code>"),
        "/language fa",
        changes_settings=True,
    ),
    Command(
        "languages",
        N_("The languages of the news you get"),
        "/languages",
        "/languages",
        changes_settings=True,
    ),
    Command("pause", "Pause the daily digest", "/pause", "/pause", changes_settings=True),
    Command("resume", "Resume the daily digest", "/resume", "/resume", changes_settings=True),
    Command(
        "stop",
        "Forget me: delete everything about this chat",
        "/stop",
        "/stop",
        changes_settings=True,
    ),
)

ADMIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "stats",
        "Readers, subscriptions, articles, last ingest and digests",
        "/stats",
        "/stats",
        admin=True,
    ),
    Command("sources", "The sources and their health", "/sources", "/sources", admin=True),
    Command(
        "addsource",
        "Add a feed",
        "/addsource <feed url> [topics]",
        "/addsource https://example.com/feed.xml technology",
        admin=True,
    ),
    Command(
        "removesource",
        "Remove a feed",
        "/removesource <feed url or id>",
        "/removesource 3",
        admin=True,
    ),
    Command(
        "importsources",
        "Import feeds: send an OPML file",
        "/importsources, then send an .opml file",
        "/importsources",
        admin=True,
    ),
    Command(
        "exportsources",
        "The sources as an OPML file",
        "/exportsources",
        "/exportsources",
        admin=True,
    ),
)

ALL_COMMANDS: tuple[Command, ...] = READER_COMMANDS + ADMIN_COMMANDS
BY_NAME: dict[str, Command] = {c.name: c for c in ALL_COMMANDS}
#: Other spellings readers type; they answer like the command they stand for.
ALIASES: dict[str, str] = {"summarise": "summarize", "subscriptions": "mysubs", "tz": "timezone"}


def command(name: str) -> Command:
    return BY_NAME[name]


def is_known(name: str) -> bool:
    return name.lower() in BY_NAME or name.lower() in ALIASES
