"""A newcomer's first half hour with `newsbot`, through the real command.

Typos in settings are named with the closest real setting; every settings message says
which `.env` was read; a broken or missing part of the installation (a read-only or full
database, an unreachable one, a missing driver) ends a command with one line and never a
traceback or SQL parameters; `ingest --force` retries sources that are backing off.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.databases import temporary_database_url
from tests.support.env import run_newsbot
from tests.support.feed_server import FeedServer

OPML = (
    '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
    + "".join(
        f'<outline type="rss" text="Feed {n} with a rather long name to fill pages" '
        f'xmlUrl="https://feeds{n}.example.org/feed-padding-padding-padding.xml"/>'
        for n in range(400)
    )
    + "</body></opml>"
)


@pytest.fixture
def empty_sources(tmp_path: Path) -> Path:
    """A sources file with no feeds, so a command fetches nothing at all."""
    path = tmp_path / "sources.toml"
    path.write_text("# no sources\n", encoding="utf-8")
    return path


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- settings -----------------------------------------------------------------------


def test_a_mistyped_setting_in_the_environment_names_the_real_one(
    tmp_path: Path, empty_sources: Path
) -> None:
    result = run_newsbot(
        "ingest",
        env={"NEWSBOT_TIMEZONE": "x", "NEWSBOT_SOURCES": str(empty_sources)},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "NEWSBOT_TIMEZONE" in line]
    assert len(warnings) == 1
    assert "WARNING" in warnings[0]
    assert "did you mean NEWSBOT_DEFAULT_TIMEZONE?" in warnings[0]


def test_a_mistyped_setting_in_dot_env_names_the_file_and_the_real_one(
    tmp_path: Path, empty_sources: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"NEWSBOT_SOURCES={empty_sources}\nTELEGRAM_BOT_TOKNE=123:abc\n", encoding="utf-8"
    )
    result = run_newsbot("ingest", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "TELEGRAM_BOT_TOKNE" in line]
    assert len(warnings) == 1
    assert str((tmp_path / ".env").resolve()) in warnings[0]
    assert "did you mean TELEGRAM_BOT_TOKEN?" in warnings[0]
    assert "123:abc" not in result.stderr


def test_a_missing_token_says_which_dot_env_was_read(tmp_path: Path) -> None:
    without = run_newsbot("run", cwd=tmp_path)
    assert without.returncode == 2
    assert f"no .env file in {tmp_path.resolve()}" in _one_line(without)

    (tmp_path / ".env").write_text("NEWSBOT_LOG_LEVEL=INFO\n", encoding="utf-8")
    with_file = run_newsbot("run", cwd=tmp_path)
    assert with_file.returncode == 2
    line = _one_line(with_file)
    assert "TELEGRAM_BOT_TOKEN is not set" in line
    assert str((tmp_path / ".env").resolve()) in line


def test_every_command_missing_a_setting_says_which_dot_env_was_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NEWSBOT_LOG_LEVEL=INFO\n", encoding="utf-8")
    result = run_newsbot("health", cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith("newsbot: NEWSBOT_METRICS_PORT is not set")
    assert str((tmp_path / ".env").resolve()) in line


def test_an_invalid_setting_says_which_dot_env_was_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NEWSBOT_WEBHOOK_PORT=http\n", encoding="utf-8")
    result = run_newsbot("migrate", cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith("newsbot: invalid setting NEWSBOT_WEBHOOK_PORT:")
    assert str((tmp_path / ".env").resolve()) in line


def test_the_default_time_zone_takes_a_city_like_slash_timezone(
    tmp_path: Path, empty_sources: Path
) -> None:
    env = {"NEWSBOT_SOURCES": str(empty_sources)}
    good = run_newsbot("ingest", env={**env, "NEWSBOT_DEFAULT_TIMEZONE": "Berlin"}, cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    bad = run_newsbot("ingest", env={**env, "NEWSBOT_DEFAULT_TIMEZONE": "Berlinn"}, cwd=tmp_path)
    assert bad.returncode == 2
    assert "did you mean Europe/Berlin?" in _one_line(bad)


# --- small things -------------------------------------------------------------------


def test_version_and_summarize_help(tmp_path: Path) -> None:
    from importlib.metadata import version

    shown = run_newsbot("--version", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"newsbot {version('get-news-fast')}"
    helped = run_newsbot("summarize", "--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert "FILE|URL|-" in helped.stdout
    assert "URL" in helped.stdout.split("positional arguments:")[1]


def test_summarize_refuses_empty_input_and_warns_about_an_unknown_language(
    tmp_path: Path,
) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    empty = run_newsbot("summarize", "empty.txt", cwd=tmp_path)
    assert empty.returncode == 2
    assert "empty.txt is empty" in _one_line(empty)
    article = tmp_path / "a.txt"
    article.write_text(
        "The council approved the harbour budget on Monday. Two ferries will be added. "
        "Work starts in spring and ends by autumn, the mayor said.",
        encoding="utf-8",
    )
    unknown = run_newsbot("summarize", str(article), "--language", "klingon", cwd=tmp_path)
    assert unknown.returncode == 0
    assert "unknown language 'klingon'" in _one_line(unknown)
    assert "council" in unknown.stdout


# --- broken installations and databases ---------------------------------------------


def test_plain_install_has_the_postgresql_driver() -> None:
    from importlib.metadata import requires

    plain = [r for r in requires("get-news-fast") or [] if "extra ==" not in r]
    assert any(r.startswith("asyncpg") for r in plain)


def test_a_missing_database_driver_is_one_line_and_exit_2(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "asyncpg"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'asyncpg'\", name='asyncpg')\n"
    )
    result = run_newsbot(
        "sources",
        env={
            "DATABASE_URL": "postgresql://newsbot:hunter2@127.0.0.1/newsbot",
            "PYTHONPATH": str(tmp_path / "shadow"),
        },
        cwd=tmp_path,
    )
    assert result.returncode == 2
    line = _one_line(result)
    assert "database driver asyncpg" in line
    assert "pip install" in line
    assert "hunter2" not in result.stderr


def _opml(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, encoding="utf-8")
    return path


def _assert_database_failure(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 1, result.stderr
    line = _one_line(result)
    assert line.startswith("newsbot: the database "), line
    assert reason in line
    assert "parameters" not in result.stderr
    assert "127.0.0.1:9/feed-" not in result.stderr  # no row data


def test_a_read_only_sqlite_database_is_one_line(tmp_path: Path, empty_sources: Path) -> None:
    database = tmp_path / "newsbot.db"
    env = {"DATABASE_URL": f"sqlite:///{database}", "NEWSBOT_SOURCES": str(empty_sources)}
    assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
    # Opened read-only as SQLite's URI parameter (file permissions do not stop root).
    read_only = {**env, "DATABASE_URL": f"sqlite:///file:{database}?mode=ro&uri=true"}
    result = run_newsbot("sources", "import", str(_opml(tmp_path)), env=read_only, cwd=tmp_path)
    _assert_database_failure(result, "readonly database")


@pytest.mark.postgres
async def test_a_read_only_postgresql_database_is_one_line(
    tmp_path: Path, empty_sources: Path
) -> None:
    async with temporary_database_url("postgresql", tmp_path) as url:
        env = {"DATABASE_URL": url, "NEWSBOT_SOURCES": str(empty_sources)}
        assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
        admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
        name = make_url(url).database
        try:  # as a hot standby or a user without write grants would be
            async with admin.connect() as conn:
                await conn.execute(
                    text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
                )
        finally:
            await admin.dispose()
        result = run_newsbot("sources", "import", str(_opml(tmp_path)), env=env, cwd=tmp_path)
        _assert_database_failure(result, "read-only transaction")


@contextlib.contextmanager
def _small_disk(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_is_one_line(tmp_path: Path, empty_sources: Path) -> None:
    with _small_disk(tmp_path / "disk", "2m") as disk:
        env = {
            "DATABASE_URL": f"sqlite:///{disk / 'newsbot.db'}",
            "NEWSBOT_SOURCES": str(empty_sources),
        }
        assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
        # Fill the disk, then free a little: enough to open the database (SQLite's
        # shared-memory file), not enough to store 400 more sources.
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        with filler.open("r+b") as out:
            out.truncate(max(0, filler.stat().st_size - 64 * 1024))
        result = run_newsbot("sources", "import", str(_opml(tmp_path)), env=env, cwd=tmp_path)
        _assert_database_failure(result, "full")


def test_copy_database_to_an_unreachable_server_is_one_line(
    tmp_path: Path, empty_sources: Path
) -> None:
    env = {"NEWSBOT_SOURCES": str(empty_sources)}
    assert run_newsbot("migrate", env=env, cwd=tmp_path).returncode == 0
    result = run_newsbot(
        "copy-database", "--to", "postgresql://u:hunter2@127.0.0.1:9/x", env=env, cwd=tmp_path
    )
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith(
        "newsbot: cannot use the database postgresql+asyncpg://u:***@127.0.0.1:9/x"
    )
    assert "hunter2" not in result.stderr


# --- ingest and back-off ------------------------------------------------------------


def test_ingest_force_retries_sources_that_are_backing_off(tmp_path: Path) -> None:
    with FeedServer() as server:
        missing = server.url("/gone.xml")
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[source]]\nname = "Gone"\nurl = "{missing}"\n', encoding="utf-8")
        env = {"NEWSBOT_SOURCES": str(sources), "NEWSBOT_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"}

        first = run_newsbot("ingest", env=env, cwd=tmp_path)
        assert first.returncode == 1
        output = first.stdout + first.stderr
        assert output.count(missing) == 1, output  # each failure printed once
        assert "HTTP 404" in first.stdout

        again = run_newsbot("ingest", env=env, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert "0 due" in again.stdout
        assert "1 source is backing off after failures (until 20" in again.stdout
        assert "newsbot ingest --force" in again.stdout
        assert server.requests_to("/gone.xml") == 1

        forced = run_newsbot("ingest", "--force", env=env, cwd=tmp_path)
        assert "1 due: 0 fetched, 0 not modified, 1 failed" in forced.stdout
        assert server.requests_to("/gone.xml") == 2


def test_help_of_every_command_runs(tmp_path: Path) -> None:
    for command in ("run", "ingest", "sources", "digest", "migrate", "copy-database", "health"):
        result = subprocess.run(
            [sys.executable, "-m", "bot", command, "--help"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert result.returncode == 0, (command, result.stderr)
        assert "usage: newsbot" in result.stdout
