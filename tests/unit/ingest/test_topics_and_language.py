"""Topics from the source plus keyword rules; language declared first, detected last."""

from __future__ import annotations

from ingest.language import choose_language, normalise
from ingest.sources_file import parse_catalogue
from ingest.topics import TopicRules
from storage.topics import TopicSpec

RULES = TopicRules.from_catalogue(
    [
        TopicSpec("world", "World", ("ceasefire", "united nations")),
        TopicSpec("sport", "Sport", ("football", "world cup", "coach")),
        TopicSpec("technology", "Technology", ("software", "ai")),
    ]
)


def test_the_sources_topics_always_apply_and_unknown_ones_are_ignored() -> None:
    topics = RULES.topics_for(title="Quiet day", text="Nothing.", source_topics=["sport", "nope"])
    assert topics == ("sport",)


def test_a_keyword_in_the_title_or_two_in_the_opening_add_a_topic() -> None:
    assert RULES.topics_for(title="Ceasefire holds", text="") == ("world",)
    assert RULES.topics_for(title="A new AI model", text="") == ("technology",)
    # One keyword only in the body is not enough: passing mentions do not tag.
    assert RULES.topics_for(title="Match report", text="The coach was happy.") == ()
    two = "The coach said the World Cup squad is ready."
    assert RULES.topics_for(title="Squad named", text=two) == ("sport",)


def test_keywords_are_whole_words_and_phrases_not_substrings() -> None:
    assert RULES.topics_for(title="Said the chairman", text="") == ()  # "ai" in "said"
    assert RULES.topics_for(title="United against nations", text="") == ()
    assert RULES.topics_for(title="At the United Nations today", text="") == ("world",)


def test_feed_categories_naming_a_topic_add_it() -> None:
    topics = RULES.topics_for(title="x", text="", categories=["Technology", "Opinion"])
    assert topics == ("technology",)


def test_the_bundled_catalogue_tags_real_headlines() -> None:
    rules = TopicRules.from_catalogue(parse_catalogue())
    assert "sport" in rules.topics_for(title="Arsenal win Premier League title", text="")
    assert "business" in rules.topics_for(title="Shares fall as inflation rises", text="")
    assert "health" in rules.topics_for(title="Hospital waiting lists grow", text="")


def test_declared_languages_win_and_detection_is_the_fallback() -> None:
    german = "Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Energiepolitik beschlossen."
    assert choose_language("en-GB", "de", text=german) == "en"
    assert choose_language(None, "", text=german) == "de"
    assert choose_language(None, text="Too short") is None
    assert normalise("pt_BR") == "pt"
    assert normalise("english") is None
