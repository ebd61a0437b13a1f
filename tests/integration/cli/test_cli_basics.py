"""The `newsbot` command: help, settings errors, migrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.support.databases import BACKENDS, temporary_database_url
from tests.support.env import SETTING_NAMES, run_newsbot


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_every_subcommand(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "ingest", "sources", "summarize", "digest", "migrate"):
        assert f"    {command}" in out


def test_nonsense_database_url_is_one_line_and_exit_2(clean_env: Path) -> None:
    result = run_newsbot("run", env={"DATABASE_URL": "nonsense"}, cwd=clean_env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newsbot: invalid setting DATABASE_URL: is not a database URL "
        "(examples: sqlite:///data/newsbot.db, postgresql://user:password@localhost/newsbot) "
        f"(no .env file in {clean_env.resolve()}; only the environment was read)"
    ]
    assert "Traceback" not in result.stderr


def test_run_without_token_says_how_to_get_one(clean_env: Path) -> None:
    result = run_newsbot("run", cwd=clean_env)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_migrate_upgrades_then_reports_up_to_date(
    backend: str, clean_env: Path, tmp_path: Path
) -> None:
    async with temporary_database_url(backend, tmp_path) as url:
        first = run_newsbot("migrate", env={"DATABASE_URL": url}, cwd=clean_env)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("database upgraded from empty to ")
        second = run_newsbot("migrate", env={"DATABASE_URL": url}, cwd=clean_env)
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("database already at ")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://newsbot:hunter2@127.0.0.1:9/newsbot", "Connect call failed"),
        ("sqlite:////proc/no-such-dir/newsbot.db", "No such file or directory"),
    ],
)
def test_an_unreachable_database_is_one_line_without_the_password(
    clean_env: Path, url: str, reason: str
) -> None:
    result = run_newsbot("migrate", env={"DATABASE_URL": url}, cwd=clean_env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("newsbot: cannot use the database ")
    assert reason in lines[0]
    assert "hunter2" not in result.stderr
