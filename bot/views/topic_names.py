"""The names of the catalogue's topics (``ingest/topics.toml``), marked for translation.

The catalogue stores English names; readers see them in their own language. A topic the
operator added under a name not listed here is shown as it was written (the catalogue has
no translation for it), and so is a name a reader typed.
``tests/unit/bot/test_topic_names.py`` fails when a catalogue topic is missing here.
"""

from __future__ import annotations

from bot.i18n import N_, Translator

CATALOGUE_NAMES: frozenset[str] = frozenset(
    {
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("World"),
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("Politics"),
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("Business"),
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("Technology"),
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("Science"),
        # Translators: a news topic, shown on buttons and in lists: keep it short.
        N_("Health"),
        # Translators: a news topic (sports news), shown on buttons and in lists.
        N_("Sport"),
        # Translators: a news topic (films, music, celebrities), shown on buttons and in lists.
        N_("Entertainment"),
    }
)


def topic_name(t: Translator, name: str) -> str:
    """A topic's name in the reader's language; names outside the catalogue as they are."""
    return t.gettext(name) if name in CATALOGUE_NAMES else name


def catalogue_name(t: Translator, typed: str) -> str:
    """The catalogue's name of the topic a reader typed in their language ("Технологии" →
    "Technology"), so /subscribe, /unsubscribe and /latest understand it; what they typed
    when it is no translated catalogue name (an English name or slug works as it is)."""
    wanted = " ".join(typed.split()).casefold()
    for name in CATALOGUE_NAMES:
        if t.gettext(name).casefold() == wanted:
            return name
    return typed
