"""`newsbot sources import` and `export`: OPML in and out, as an operator runs them."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest

from bot.cli import main
from storage import open_database
from storage.sources import list_sources
from tests.integration.ingest.conftest import write_sources
from tests.support.databases import BACKENDS, temporary_database_url
from tests.support.env import SETTING_NAMES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "opml"

Newsbot = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
def newsbot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Newsbot:
    """Run `newsbot ARGS` in this process with only ``env`` set; (exit code, out, err)."""
    monkeypatch.chdir(tmp_path)

    async def run(*args: str, env: dict[str, str], stdin: bytes = b"") -> tuple[int, str, str]:
        with monkeypatch.context() as patch:
            for name in SETTING_NAMES:
                patch.delenv(name, raising=False)
            for name, value in env.items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
            capsys.readouterr()
            # main() runs its own event loop: give it a thread of its own.
            code = await asyncio.to_thread(main, list(args))
            out, err = capsys.readouterr()
        return code, out, err

    return run


async def _stored(url: str) -> list[tuple[str, str, tuple[str, ...], str | None, bool, int | None]]:
    db = open_database(url)
    try:
        async with db.sessions() as session:
            return sorted(
                (s.url, s.name, tuple(s.topics), s.language, s.enabled, s.added_by)
                for s in await list_sources(session)
            )
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_export_then_import_into_a_fresh_database_gives_the_same_sources(
    backend: str, tmp_path: Path, newsbot: Newsbot
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    file_sources = write_sources(
        tmp_path / "sources.toml",
        [
            ("Outlet — World & more", "https://outlet.test/world.xml", ["world", "politics"]),
            ("No topics", "https://plain.test/rss", []),
        ],
    )
    empty = tmp_path / "empty.toml"
    empty.write_text("# only imported feeds\n", encoding="utf-8")
    async with (
        temporary_database_url(backend, tmp_path / "a") as url_a,
        temporary_database_url(backend, tmp_path / "b") as url_b,
    ):
        env_a = {"DATABASE_URL": url_a, "NEWSBOT_SOURCES": str(file_sources)}
        env_b = {"DATABASE_URL": url_b, "NEWSBOT_SOURCES": str(empty)}
        for env in (env_a, env_b):
            assert (await newsbot("migrate", env=env))[0] == 0

        code, out, err = await newsbot(
            "sources", "import", str(FIXTURES / "feedly.opml"), env=env_a
        )
        assert code == 0, err
        assert out.splitlines()[-1] == "7 sources imported, 0 already present, 1 warning"
        assert '  ! folder "Cooking" matches no topic (add slug cooking to topics.toml)' in out
        assert "[technology, science]" in out  # Ars Technica sits in two folders

        exported = tmp_path / "sources.opml"
        code, out, err = await newsbot("sources", "export", str(exported), env=env_a)
        assert code == 0, err
        assert err.strip() == f"9 sources written to {exported}"

        code, out, err = await newsbot("sources", "import", str(exported), env=env_b)
        assert code == 0, err
        assert out.splitlines()[-1] == "9 sources imported, 0 already present, 0 warnings"

        def comparable(rows: Sequence[tuple[object, ...]]) -> list[tuple[object, ...]]:
            return [row[:5] for row in rows]  # who added them differs: the file, then OPML

        a, b = await _stored(url_a), await _stored(url_b)
        assert comparable(a) == comparable(b)
        names_and_topics = [row[:3] for row in b]
        assert len(b) == 9
        assert (
            "https://outlet.test/world.xml",
            "Outlet — World & more",
            ("world", "politics"),
        ) in names_and_topics
        assert ("https://www.seriouseats.com/feeds/all", "Serious Eats", ()) in names_and_topics
        assert {row[5] for row in b} == {0}  # the operator, so the sources file keeps them

        # The sources file is synced by every command: imported sources stay enabled.
        code, out, err = await newsbot("sources", env=env_b)
        assert code == 0, err
        assert "disabled" not in out
        assert await _stored(url_b) == b

        # Importing the same file again adds nothing.
        code, out, err = await newsbot("sources", "import", str(exported), env=env_b)
        assert out.splitlines()[-1] == "0 sources imported, 9 already present, 0 warnings"


async def test_import_from_standard_input_and_export_to_standard_output(
    tmp_path: Path, newsbot: Newsbot
) -> None:
    async with temporary_database_url("sqlite", tmp_path) as url:
        env = {"DATABASE_URL": url}  # the bundled sources file
        data = (FIXTURES / "feedly.opml").read_bytes()

        code, out, err = await newsbot("sources", "import", "-", "--dry-run", env=env, stdin=data)
        assert code == 0, err
        assert (
            "  + Quanta Magazine  https://www.quantamagazine.org/feed/  [technology, science]"
            in (out)
        )
        # The Verge, Ars Technica, BBC World and Al Jazeera are bundled sources already.
        assert "  = #" in out and "The Verge  https://www.theverge.com/rss/index.xml" in out
        assert out.splitlines()[-1] == (
            "Dry run, nothing stored: 3 sources imported, 4 already present, 1 warning"
        )
        code, out, err = await newsbot("sources", "export", env=env)
        assert "quantamagazine" not in out  # the dry run stored nothing

        code, out, err = await newsbot("sources", "import", "-", env=env, stdin=data)
        assert code == 0, err
        assert out.splitlines()[0] == "From: Jane subscriptions in feedly Cloud"
        assert out.splitlines()[-1] == "3 sources imported, 4 already present, 1 warning"

        code, out, err = await newsbot("sources", "export", "-", env=env)
        assert code == 0, err
        assert err == ""
        assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
        technology = out[out.index('<outline text="Technology"') :]
        technology = technology[: technology.index("</outline>")]
        assert 'xmlUrl="https://www.quantamagazine.org/feed/"' in technology
        assert 'text="Cooking"' not in out  # not a topic: Serious Eats is listed loose
        assert 'xmlUrl="https://www.seriouseats.com/feeds/all"' in out


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opml version="2.0"><head><title>&lol2;</title></head><body/></opml>"""


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (BILLION_LAUGHS, "the file declares XML entities (<!ENTITY …>), which OPML never needs"),
        (b"<html><body>Not a list of feeds</body></html>", "not an OPML file"),
        (b"\x00\x01 garbage", "not a readable OPML file"),
        (b"", "the file is empty"),
    ],
)
async def test_a_malformed_or_unsafe_file_is_one_line_and_exit_2(
    tmp_path: Path, newsbot: Newsbot, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(content)
    async with temporary_database_url("sqlite", tmp_path) as url:
        code, out, err = await newsbot("sources", "import", str(bad), env={"DATABASE_URL": url})
        assert code == 2
        assert out == ""
        (line,) = err.strip().splitlines()
        assert line.startswith(f"newsbot: {bad}: {reason}")
        code, out, err = await newsbot("sources", "export", env={"DATABASE_URL": url})
        assert "<outline" in out and "xmlUrl" in out  # the bundled sources only
        assert "seriouseats" not in out


async def test_a_missing_file_or_a_directory_is_one_line_and_exit_2(
    tmp_path: Path, newsbot: Newsbot
) -> None:
    env = {"NEWSBOT_DATA_DIR": str(tmp_path)}
    code, out, err = await newsbot("sources", "import", "nowhere.opml", env=env)
    assert (code, out) == (2, "")
    assert err.strip() == "newsbot: nowhere.opml: No such file or directory"
    code, out, err = await newsbot("sources", "export", str(tmp_path), env=env)
    assert (code, out) == (2, "")
    assert err.strip() == (
        f"newsbot: {tmp_path}: is a directory; name a file, e.g. {tmp_path / 'sources.opml'}"
    )
