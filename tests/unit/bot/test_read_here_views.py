""" "Read here": buttons, the Telegraph page's nodes and its 64 KB cut, the client's errors."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.i18n import translator
from bot.links.telegraph import (
    ALLOWED_TAGS,
    CONTENT_MAX_BYTES,
    KeyedLocks,
    Node,
    PageDraft,
    TelegraphClient,
    TelegraphError,
    content_bytes,
)
from bot.telegram import callbacks
from bot.views import read_here as views
from bot.views.keyboard import MAX_CALLBACK_BYTES, Button, keyboard_from_rows, keyboard_rows
from bot.views.stories import story_messages
from storage.telegraph import ArticleText
from stories import Story

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
EN = translator("en")


def _story(n: int, title: str = "Central bank cuts rates by half a point") -> Story:
    return Story(
        article_id=n,
        story_id=n,
        title=title,
        url=f"https://news.test/{n}?a=1&b=2",
        summary=("A sentence long enough to fill some room. " * 30,) * 3,
        source="Outlet",
        published_at=NOW - timedelta(hours=n % 100),
    )


def _article(text: str, **kw: Any) -> ArticleText:
    values: dict[str, Any] = {
        "article_id": 1,
        "title": "Rates fall",
        "url": "https://news.test/1?a=1&b=2",
        "source": "The Outlet",
        "language": "en",
        "text": text,
    }
    values.update(kw)
    return ArticleText(**values)


def _tags(nodes: list[Node]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, dict):
            found.add(node["tag"])
            assert set(node.get("attrs", {})) <= {"href", "src"}
            found |= _tags(node.get("children", []))
    return found


# --- buttons ----------------------------------------------------------------------------


def test_labels_are_clipped_at_a_word_and_data_names_the_article() -> None:
    button = views.read_button(EN, _story(12345678901234))
    assert button.label == "📖 Read: Central bank cuts rates by…"
    assert button.data == "read:12345678901234"
    assert callbacks.read_from_data(button.data) == 12345678901234
    assert len(callbacks.read_data(2**63 - 1).encode()) <= MAX_CALLBACK_BYTES
    short = views.read_button(EN, _story(1, "Cup final"))
    assert short.label == "📖 Read: Cup final"


@pytest.mark.parametrize("data", ["read:", "read:x1", "read:-1", "read:" + "9" * 19, "lt:1"])
def test_forged_read_data_is_refused(data: str) -> None:
    assert callbacks.read_from_data(data) is None


def test_clip_never_exceeds_its_limit() -> None:
    for text in ("", "a" * 100, "word " * 40, "Überschrift mit Umlauten und noch mehr Wörtern"):
        assert len(views.clip(text, 28)) <= 28


def test_each_message_gets_the_buttons_of_its_own_stories_then_more() -> None:
    stories = [_story(n, f"Story {n} title") for n in range(1, 9)]
    messages = story_messages(EN, stories, heading="Latest news", sentences=3, now=NOW)
    assert len(messages) > 2
    more = ((Button("More ▸", "lt:8:8:"),),)
    keyboards = views.message_keyboards(EN, messages, stories, last_row=more)
    assert len(keyboards) == len(messages)
    seen: list[str] = []
    for message, keyboard in zip(messages, keyboards, strict=True):
        assert keyboard
        data = [b.data for row in keyboard for b in row]
        ids = [d for d in data if d.startswith("read:")]
        assert ids  # every message holds a story
        for story_data in ids:
            n = int(story_data.removeprefix("read:"))
            assert f"Story {n} title" in message
        seen += ids
    assert seen == [f"read:{n}" for n in range(1, 9)]
    assert keyboards[-1] and keyboards[-1][-1] == more[0]
    assert all(k and k[-1] != more[0] for k in keyboards[:-1])
    off = views.message_keyboards(EN, messages, stories, last_row=more, enabled=False)
    assert off == [None] * (len(messages) - 1) + [more]


def test_stored_keyboards_come_back_the_same() -> None:
    keyboard = views.read_keyboard(EN, [_story(1), _story(2, "Cup")])
    stored = json.loads(json.dumps(keyboard_rows(keyboard)))
    assert keyboard_from_rows(stored) == keyboard
    assert keyboard_rows(None) is None and keyboard_from_rows(None) is None


# --- the page ---------------------------------------------------------------------------


def test_the_page_credits_the_source_then_holds_the_text() -> None:
    draft = views.page_draft(_article("First paragraph.\n\n  Second   paragraph.  \n"))
    assert (draft.title, draft.author_name) == ("Rates fall", "The Outlet")
    assert draft.author_url == "https://news.test/1?a=1&b=2"
    assert draft.content == [
        {
            "tag": "p",
            "children": [
                "Source: ",
                {
                    "tag": "a",
                    "attrs": {"href": "https://news.test/1?a=1&b=2"},
                    "children": ["The Outlet"],
                },
            ],
        },
        {"tag": "p", "children": ["First paragraph."]},
        {"tag": "p", "children": ["Second paragraph."]},
    ]


@pytest.mark.parametrize(
    ("language", "code"),
    [("ru", "ru"), ("uk", "uk"), ("de-AT", "de"), ("pt_BR", "pt_BR"), ("xx", "en"), (None, "en")],
)
def test_the_pages_words_are_in_the_articles_language_when_shipped(
    language: str | None, code: str
) -> None:
    assert views.page_translator(language).code == code


def test_a_long_text_is_cut_on_a_paragraph_with_a_link_to_the_source() -> None:
    paragraphs = [f"{n}. " + "Всё о ставках и рынках. " * 30 for n in range(300)]
    draft = views.page_draft(_article("\n".join(paragraphs)))
    assert content_bytes(draft.content) <= CONTENT_MAX_BYTES
    last = draft.content[-1]
    assert last == {
        "tag": "p",
        "children": [
            {
                "tag": "a",
                "attrs": {"href": "https://news.test/1?a=1&b=2"},
                "children": ["Continue reading at the source"],
            }
        ],
    }
    kept = [n["children"][0] for n in draft.content[1:-1] if isinstance(n, dict)]
    assert kept == [" ".join(p.split()) for p in paragraphs[: len(kept)]]  # whole paragraphs
    assert content_bytes(draft.content) > CONTENT_MAX_BYTES - 4096  # cut near the limit
    assert _tags(list(draft.content)) <= ALLOWED_TAGS


def test_one_huge_paragraph_is_cut_at_a_word() -> None:
    draft = views.page_draft(_article("word " * 40_000))
    assert content_bytes(draft.content) <= CONTENT_MAX_BYTES
    body = draft.content[1]
    assert isinstance(body, dict)
    assert body["children"][0].endswith("word…")
    assert len(draft.content) == 3


def test_a_long_title_and_outlet_fit_telegraphs_bounds() -> None:
    draft = views.page_draft(_article("Text.", title="T" * 1000, source="S " * 200))
    assert len(draft.title) <= 256 and len(draft.author_name) <= 128


# --- the client -------------------------------------------------------------------------

TOKEN = "secret-token-abc"
DRAFT = PageDraft("Title", "Outlet", "https://news.test/1", [{"tag": "p", "children": ["x"]}])


async def _create(answer: httpx.Response | Exception, draft: PageDraft = DRAFT) -> Any:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = TelegraphClient("http://telegraph.test", TOKEN, transport=httpx.MockTransport(handler))
    try:
        return await client.create_page(draft), seen
    except TelegraphError as error:
        return error, seen
    finally:
        await client.aclose()


async def test_create_page_posts_the_token_in_the_body_never_the_url() -> None:
    page, [request] = await _create(
        httpx.Response(
            200,
            json={"ok": True, "result": {"path": "T-12-06", "url": "https://telegra.ph/T-12-06"}},
        )
    )
    assert (page.path, page.url) == ("T-12-06", "https://telegra.ph/T-12-06")
    assert request.method == "POST" and request.url.path == "/createPage"
    assert TOKEN not in str(request.url)
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form["access_token"] == TOKEN and form["return_content"] == "false"
    assert json.loads(form["content"]) == DRAFT.content


async def test_a_too_long_author_url_is_left_out() -> None:
    long_url = PageDraft("T", "O", "https://news.test/" + "a" * 600, DRAFT.content)
    _page, [request] = await _create(
        httpx.Response(200, json={"ok": True, "result": {"path": "p", "url": "u"}}), long_url
    )
    assert "author_url" not in dict(httpx.QueryParams(request.content.decode()))


@pytest.mark.parametrize(
    ("answer", "kind", "retry_after"),
    [
        (httpx.Response(502, text="bad gateway"), "unavailable", None),
        (httpx.ConnectError("refused"), "unavailable", None),
        (httpx.ReadTimeout("slow"), "unavailable", None),
        (httpx.Response(200, json={"ok": False, "error": "FLOOD_WAIT_12"}), "flood", 12),
        (httpx.Response(200, json={"ok": False, "error": "ACCESS_TOKEN_INVALID"}), "refused", None),
        (httpx.Response(400, text="nope"), "refused", None),
        (httpx.Response(200, json={"ok": True, "result": {}}), "unavailable", None),
    ],
)
async def test_telegraph_failures_have_a_kind_and_never_the_token(
    answer: httpx.Response | Exception, kind: str, retry_after: int | None
) -> None:
    error, _seen = await _create(answer)
    assert isinstance(error, TelegraphError)
    assert (error.kind, error.retry_after) == (kind, retry_after)
    assert TOKEN not in str(error)


async def test_keyed_locks_serialise_one_key_and_forget_it_after() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(key: int, name: str) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(hold(1, "a"), hold(1, "b"), hold(2, "c"))
    assert order.index("a out") < order.index("b in")
    assert order.index("c in") < order.index("a out")  # another key does not wait
    assert len(locks) == 0
