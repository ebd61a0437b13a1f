"""/summarize and links sent as messages: summaries of pages, and the addresses never fetched.

Pages are served on 127.0.0.1 by ``tests.support.feed_server``. Reader links are
untrusted, so 127.0.0.1 is refused like any private address; the operator lets readers
reach the test server under the name ``news.test`` (NEWSBOT_ALLOWED_PRIVATE_HOSTS), and
the bot's resolver maps that name to 127.0.0.1. Nothing here touches DNS or the internet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.bot_harness import RunningBot, running_bot
from tests.support.fake_bot_api import Chat, User
from tests.support.feed_server import FeedServer, Resource

READER = Chat(42)

PARAGRAPHS = [
    "The city council approved a plan on Tuesday to turn the old harbour into a park "
    "with space for markets, concerts and a public swimming pool.",
    "The project will cost about 40 million euros and should be finished within four "
    "years, the mayor said after the vote.",
    "Residents had campaigned for more green space in the district for over a decade, "
    "collecting thousands of signatures for the harbour park.",
    "Opposition members argued that the money would be better spent on housing, and "
    "several of them voted against the plan in the end.",
    "Construction firms will be invited to bid for the work in the spring, and the "
    "first trees are expected to be planted next autumn.",
    "Local shop owners welcomed the decision and said the park would bring more "
    "visitors to the neighbourhood throughout the whole year.",
    "The harbour closed to shipping in 1998, and most of its warehouses have stood "
    "empty since the last shipping company moved away.",
]
ARTICLE = (
    "<html lang='en'><head><title>Old harbour to become a park</title></head><body>"
    "<nav>Home | News | Sport</nav><article><h1>Old harbour to become a park</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>© Example Gazette</footer></body></html>"
).encode()


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.add("/article", Resource(ARTICLE, content_type="text/html; charset=utf-8"))
        yield server


@pytest.fixture
async def bot(tmp_path: Path, site: FeedServer) -> AsyncIterator[RunningBot]:
    async with running_bot(
        tmp_path,
        allowed_private_hosts={"news.test"},
        hosts={"news.test": "127.0.0.1", "mixed.test": ["93.184.216.34", "10.1.2.3"]},
        fetch_max_bytes=10_000,
    ) as running:
        yield running
        running.assert_no_errors()


def _port(site: FeedServer) -> int:
    return int(site.base_url.rsplit(":", 1)[1])


async def test_summarize_a_page_by_command(bot: RunningBot, site: FeedServer) -> None:
    link = f"http://news.test:{_port(site)}/article"
    reply = await bot.send(READER, f"/summarize {link}")
    lines = reply.plain_text.splitlines()
    assert lines[0] == "Old harbour to become a park"
    bullets = [line for line in lines if line.startswith("• ")]
    assert len(bullets) == 3  # the default summary length
    assert all(b[2:] in " ".join(PARAGRAPHS) for b in bullets)
    assert lines[-1] == "news.test"
    assert f'<a href="{link}">' in reply.text
    assert bot.fake.calls("sendChatAction", chat_id=42)  # "typing…" while it worked


async def test_a_message_that_is_only_a_link_is_summarised(
    bot: RunningBot, site: FeedServer
) -> None:
    await bot.send(READER, "/length 2")
    reply = await bot.send(READER, f"  http://news.test:{_port(site)}/article  ")
    assert len([line for line in reply.plain_text.splitlines() if line.startswith("• ")]) == 2


async def test_a_forwarded_text_is_summarised(bot: RunningBot) -> None:
    reply = await bot.send(
        READER, "\n\n".join(PARAGRAPHS), forward_from_user=User(99, first_name="Friend")
    )
    bullets = [line for line in reply.plain_text.splitlines() if line.startswith("• ")]
    assert reply.plain_text.startswith("Summary") and len(bullets) == 3


async def test_summarize_in_reply_to_a_message_in_a_group(
    bot: RunningBot, site: FeedServer
) -> None:
    group = Chat(-100, type="supergroup", title="Club")
    posted = bot.fake.user_sends(group, f"look: http://news.test:{_port(site)}/article")
    reply = await bot.send(group, "/summarize", reply_to_message_id=posted.message_id)
    assert reply.plain_text.startswith("Old harbour to become a park")
    assert reply.reply_to_message_id is not None  # in groups, answers quote the command


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("http://127.0.0.1:{port}/article", "127.0.0.1 is a private or local address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private or local address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a private or local"),
        ("http://[::1]:{port}/article", "::1 is a private or local address"),
        ("http://[::ffff:127.0.0.1]:{port}/", "is a private or local address"),
        ("http://mixed.test/", "mixed.test is a private or local address"),
        ("ftp://news.test/file", "only http:// and https:// links can be summarised"),
        ("http://nowhere.test/", "the host nowhere.test could not be found"),
    ],
)
async def test_private_and_odd_addresses_are_refused_without_a_request(
    bot: RunningBot, site: FeedServer, link: str, reason: str
) -> None:
    reply = await bot.send(READER, "/summarize " + link.format(port=_port(site)))
    assert reply.plain_text.startswith("I can't summarise that link: ")
    assert reason in reply.plain_text
    assert site.requests_to("/article") == 0


async def test_a_redirect_to_a_private_address_is_refused(
    bot: RunningBot, site: FeedServer
) -> None:
    target = f"http://127.0.0.1:{_port(site)}/article"
    site.add("/go", Resource(b"", status=302, location=target, validators=False))
    reply = await bot.send(READER, f"/summarize http://news.test:{_port(site)}/go")
    assert reply.plain_text == (
        "I can't summarise that link: 127.0.0.1 is a private or local address, and I only "
        "read public web pages."
    )
    assert site.requests_to("/go") == 1
    assert site.requests_to("/article") == 0


async def test_a_redirect_to_an_allowed_host_is_followed(bot: RunningBot, site: FeedServer) -> None:
    site.add("/go", Resource(b"", status=301, location="/article", validators=False))
    reply = await bot.send(READER, f"/summarize http://news.test:{_port(site)}/go")
    assert reply.plain_text.startswith("Old harbour to become a park")


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (Resource(b"%PDF-1.4", content_type="application/pdf"), "that link is application/pdf"),
        (Resource(b"gone", status=404, validators=False), "the site answered 404"),
        (Resource(content_type="text/html", behaviour="huge"), "larger than"),
        (Resource(b"<html><body><p>Log in</p></body></html>", content_type="text/html"), None),
    ],
)
async def test_pages_that_cannot_be_summarised_say_why(
    bot: RunningBot, site: FeedServer, resource: Resource, reason: str | None
) -> None:
    site.add("/page", resource)
    reply = await bot.send(READER, f"/summarize http://news.test:{_port(site)}/page")
    if reason is None:
        assert reply.plain_text == "I found no article text on that page to summarise."
    else:
        assert reply.plain_text.startswith("I can't summarise that link: ")
        assert reason in reply.plain_text


async def test_summarize_without_a_link_shows_the_form(bot: RunningBot) -> None:
    reply = await bot.send(READER, "/summarize")
    assert "Use: /summarize <link>" in reply.plain_text
    reply = await bot.send(READER, "/summarize not a link at all")
    assert reply.plain_text.splitlines()[0] == "That is not a link."


async def test_a_short_forwarded_text_is_already_short(bot: RunningBot) -> None:
    reply = await bot.send(READER, "Meeting moved to 5pm.", forward_from_user=User(99))
    assert reply.plain_text == "That text is already short; there is nothing to condense."


async def test_a_public_site_that_redirects_to_loopback_is_refused(tmp_path: Path) -> None:
    """news.example resolves to a public address; what answers there redirects to
    localhost. The connection is made through a mock transport (no internet here)."""
    requested: list[str] = []

    async def public_site(request: httpx.Request) -> httpx.Response:
        requested.append(f"{request.headers['Host']} via {request.url.host}")
        return httpx.Response(302, headers={"Location": "http://localhost:8080/admin"})

    async with running_bot(
        tmp_path,
        hosts={"news.example": "93.184.216.34", "localhost": ["127.0.0.1", "::1"]},
        link_transport=httpx.MockTransport(public_site),
    ) as bot:
        reply = await bot.send(READER, "/summarize https://news.example/story")
        assert reply.plain_text == (
            "I can't summarise that link: localhost is a private or local address, and I only "
            "read public web pages."
        )
        bot.assert_no_errors()
    assert requested == ["news.example via 93.184.216.34"]


async def test_one_link_at_a_time_per_chat_and_slow_sites_time_out(
    tmp_path: Path, site: FeedServer
) -> None:
    site.add("/slow", Resource(behaviour="never"))
    async with running_bot(
        tmp_path,
        allowed_private_hosts={"news.test"},
        hosts={"news.test": "127.0.0.1"},
        fetch_timeout_seconds=0.5,
    ) as bot:
        bot.fake.user_sends(READER, f"http://news.test:{_port(site)}/slow")
        await bot.fake.wait_for(lambda: bool(bot.fake.calls("sendChatAction", chat_id=42)))
        second = await bot.send(READER, f"http://news.test:{_port(site)}/article")
        assert second.plain_text == (
            "I'm still reading the previous one; send this again in a moment."
        )
        await bot.wait_until_handled()
        first = bot.fake.last_message(42)
        assert first.plain_text == (
            "I can't summarise that link: the site did not answer within 0.5 seconds."
        )
        again = await bot.send(READER, f"http://news.test:{_port(site)}/article")
        assert again.plain_text.startswith("Old harbour to become a park")
        bot.assert_no_errors()
