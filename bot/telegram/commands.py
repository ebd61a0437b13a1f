"""Every command the bot answers: one list feeds the Telegram menu, /help, usage replies
and the permission rules (``bot.telegram.routing`` applies ``admin`` and
``changes_settings`` when ``bot.app`` registers each command's handler).

Descriptions, forms and examples are English, marked with ``N_`` for the catalogs, and
shown through ``t.gettext`` (a form or example with no words to translate is left
unmarked: ``t.gettext`` returns it as it is). A translated form keeps the command's name
and translates its argument words: ``/subscribe <topic>`` is ``/subscribe <тема>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    """One line for the menu (Telegram allows 3–256 characters); marked for translation."""
    usage: str
    """The command's form, e.g. ``/settime HH:MM``; marked for translation when it has words."""
    example: str
    """A command a reader could send as it is; marked when it has words to translate."""
    admin: bool = False
    """Only the operators (NEWSBOT_ADMIN_IDS) may run it."""
    changes_settings: bool = False
    """In groups, only the group's admins may run it."""


READER_COMMANDS: tuple[Command, ...] = (
    Command(
        "start", N_("Start, and choose your topics"), "/start", "/start", changes_settings=True
    ),
    Command("help", N_("What I can do, with examples"), "/help", "/help"),
    Command(
        "topics",
        N_("Choose topics with buttons"),
        "/topics",
        "/topics",
        changes_settings=True,
    ),
    Command(
        "subscribe",
        N_("Follow a topic, or words in quotes"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_('/subscribe <topic> or /subscribe "words"'),
        # Translators: an example a reader can send. Keep /subscribe and "technology" (topics
        # are typed in English); translate "or" and the words in quotes.
        N_('/subscribe technology   or   /subscribe "climate change"'),
        changes_settings=True,
    ),
    Command(
        "unsubscribe",
        N_("Stop following a topic or words"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_('/unsubscribe <topic> or /unsubscribe "words"'),
        "/unsubscribe sport",
        changes_settings=True,
    ),
    Command("mysubs", N_("What you follow, with buttons to remove"), "/mysubs", "/mysubs"),
    Command(
        "mute",
        N_("Leave out stories that say a word or phrase"),
        # Translators: a command's form: keep /command and brackets; translate the words.
        N_("/mute <word or phrase>"),
        # Translators: an example: keep /mute; "football" may be any word in your language.
        N_("/mute football"),
        changes_settings=True,
    ),
    Command(
        "unmute",
        N_("Stop leaving out a muted word"),
        # Translators: a command's form: keep /command and brackets; translate the words.
        N_("/unmute <word or phrase>"),
        # Translators: an example: keep /unmute; use the same word as in the /mute example.
        N_("/unmute football"),
        changes_settings=True,
    ),
    Command("mutes", N_("Your muted words, with buttons to unmute"), "/mutes", "/mutes"),
    Command(
        "latest",
        N_("The newest summaries now, of all or one topic"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/latest [topic] [number]"),
        "/latest technology 3",
    ),
    Command("digest", N_("Your digest now"), "/digest", "/digest"),
    Command(
        "summarize",
        N_("Summarise a web page (or just send me the link)"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/summarize <link>"),
        "/summarize https://example.com/news/story",
    ),
    Command(
        "search",
        N_("Find stored stories by words"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/search <words>"),
        # Translators: an example a reader can send: keep /search, translate the words.
        N_("/search solar power"),
    ),
    Command(
        "settime",
        N_("When your daily digest arrives"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/settime HH:MM"),
        "/settime 07:30",
        changes_settings=True,
    ),
    Command(
        "timezone",
        N_("Your time zone"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/timezone <zone, city or UTC offset>"),
        # Translators: an example a reader can send. Translate only "or": the bot understands
        # zone and city names in English only.
        N_("/timezone Europe/Berlin   or   /timezone Tokyo   or   /timezone UTC+3"),
        changes_settings=True,
    ),
    Command(
        "length",
        N_("Sentences per summary (1–5)"),
        "/length <1-5>",
        "/length 2",
        changes_settings=True,
    ),
    Command(
        "quiet",
        N_("Quiet hours: no digest between two times"),
        # Translators: a command's form: keep /quiet and "off" (the bot understands "off"
        # only); translate "or" and the hours' letters.
        N_("/quiet HH:MM-HH:MM or /quiet off"),
        "/quiet 22:00-07:00",
        changes_settings=True,
    ),
    Command(
        "language",
        N_("The language I speak with you"),
        # Translators: keep "/language" as it is; translate "language code".
        N_("/language or /language <language code>"),
        # Translators: an example: keep /language; the code may be that of another
        # language your readers may want (fa is Persian, de German…).
        N_("/language fa"),
        changes_settings=True,
    ),
    Command(
        "languages",
        N_("The languages of the news you get"),
        "/languages",
        "/languages",
        changes_settings=True,
    ),
    Command("pause", N_("Pause the daily digest"), "/pause", "/pause", changes_settings=True),
    Command("resume", N_("Resume the daily digest"), "/resume", "/resume", changes_settings=True),
    Command(
        "stop",
        N_("Forget me: delete everything about this chat"),
        "/stop",
        "/stop",
        changes_settings=True,
    ),
)

ADMIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "stats",
        N_("Readers, subscriptions, articles, last ingest and digests"),
        "/stats",
        "/stats",
        admin=True,
    ),
    Command("sources", N_("The sources and their health"), "/sources", "/sources", admin=True),
    Command(
        "addsource",
        N_("Add a feed"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/addsource <feed url> [topics]"),
        "/addsource https://example.com/feed.xml technology",
        admin=True,
    ),
    Command(
        "removesource",
        N_("Remove a feed"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/removesource <feed url or id>"),
        "/removesource 3",
        admin=True,
    ),
    Command(
        "importsources",
        N_("Import feeds: send an OPML file"),
        # Translators: a command's form: keep /command, quotes and brackets; translate the words.
        N_("/importsources, then send an .opml file"),
        "/importsources",
        admin=True,
    ),
    Command(
        "exportsources",
        N_("The sources as an OPML file"),
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
