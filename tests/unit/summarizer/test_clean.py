"""Furniture detection: junk is caught, news sentences are not."""

from __future__ import annotations

import pytest

from summarizer import clean_text, is_junk


@pytest.mark.parametrize(
    "line",
    [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "1 + 16 =",
        "What is 3 + 4 ?",
        "Back to top button",
        "Publisher Riverside Gazette",
        "Home | News | Sport | Weather | Contact",
        "We use cookies to give you the best experience on our website.",
        "Related articles",
        "Read more: Ten things you need to know about the budget",
        "Sign up for our newsletter to get the latest headlines every morning.",
        "Share on Facebook Share on Twitter Email WhatsApp",
        "Image: Getty Images",
        "Click here to see the full results.",
        "SUBSCRIBE NOW AND SAVE FIFTY PERCENT",
        "Follow us on Facebook, Instagram and X for the latest updates.",
        "Read the full story at https://example.com/story",
    ],
)
def test_furniture_is_junk(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "Also on Tuesday, the central bank released growth figures for the last quarter.",
        "By the end of the week he had quit the club and moved back to Leeds.",
        "Promoted to captain last year, she has led the team to three titles.",
        "Shares in the company rose 4% to 120p after the results were published.",
        "The share of voters backing the plan fell to 40% in the latest poll.",
        "Related research has shown similar effects in older patients, the authors said.",
        "Copyright lawyers said the ruling could affect thousands of musicians.",
        "The NHS said it had treated 1,200 patients in the first week.",
    ],
)
def test_news_sentences_are_not_junk(sentence: str) -> None:
    assert not is_junk(sentence)


def test_glued_share_bar_and_timestamp_are_cut_out_of_running_text() -> None:
    text = (
        "Share this withEmailFacebookTwitterWhatsAppCopy this linkThe council met today to "
        "decide on the plan.\n\n18 March 2014 Last updated at 09:22 GMTRain fell all day in the "
        "north of the country."
    )
    cleaned = clean_text(text)
    assert cleaned.startswith("The council met today")
    assert "Last updated" not in cleaned
    assert "Rain fell all day" in cleaned


def test_wire_datelines_and_missing_spaces_are_repaired() -> None:
    cleaned = clean_text("LONDON (Reuters) - Prices rose in 2007.The bank said so.")
    assert cleaned == "Prices rose in 2007. The bank said so."


def test_hard_wrapped_lines_are_joined_but_scraped_lines_are_not() -> None:
    wrapped = "The minister said the plan would\nbe ready by the end of the\nyear, officials added."
    assert clean_text(wrapped) == wrapped.replace("\n", " ")
    scraped = "The plan is ready.\nA second paragraph follows here."
    assert clean_text(scraped) == "The plan is ready.\n\nA second paragraph follows here."
