"""Settings: every bad value stops start-up with one line naming the variable."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from bot.runtime.settings import SettingsError, load_settings
from tests.support.env import SETTING_NAMES

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = SETTING_NAMES


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_give_an_embedded_database_in_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings()
    assert (
        settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}"
    )
    assert settings.is_embedded_database
    assert settings.default_digest_time == time(7, 30)
    assert settings.admin_ids == frozenset()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "nonsense", "DATABASE_URL: is not a database URL"),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL: uses an unsupported database 'mysql'"),
        ("DATABASE_URL", "postgresql://u@h", "DATABASE_URL: names no PostgreSQL database"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN: does not look like a bot token"),
        ("TELEGRAM_BASE_URL", "ftp://x", "TELEGRAM_BASE_URL: must start with http"),
        ("NEWSBOT_ADMIN_IDS", "12, bob", "NEWSBOT_ADMIN_IDS: must be Telegram user ids"),
        ("NEWSBOT_DEFAULT_TIMEZONE", "Mars/Olympus", "NEWSBOT_DEFAULT_TIMEZONE: must be a time"),
        ("NEWSBOT_DEFAULT_DIGEST_TIME", "7.30", "NEWSBOT_DEFAULT_DIGEST_TIME: must be a time"),
        ("NEWSBOT_INGEST_INTERVAL_MINUTES", "0", "NEWSBOT_INGEST_INTERVAL_MINUTES:"),
        ("NEWSBOT_DIGEST_WHEN_EMPTY", "loud", "NEWSBOT_DIGEST_WHEN_EMPTY:"),
        ("NEWSBOT_WEBHOOK_PORT", "http", "NEWSBOT_WEBHOOK_PORT:"),
        ("NEWSBOT_FEED_PROXY", "socks5://p:1080", "NEWSBOT_FEED_PROXY: must be an HTTP proxy"),
        ("NEWSBOT_FEED_PROXY", "proxy.lan:3128", "NEWSBOT_FEED_PROXY: must be an HTTP proxy"),
        ("NEWSBOT_FEED_PROXY", "http://p:port", "NEWSBOT_FEED_PROXY: must be an HTTP proxy"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"invalid setting {expected}")
    assert "\n" not in message


def test_secrets_never_appear_in_errors_or_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456789:AAsecretsecretsecretsecretsecret12"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:hunter2@db/newsbot")
    settings = load_settings()
    assert token not in repr(settings)
    assert settings.token() == token
    monkeypatch.setenv("NEWSBOT_FEED_PROXY", "http://me:s3cret@proxy.lan:3128")
    assert "s3cret" not in repr(load_settings())
    monkeypatch.setenv("NEWSBOT_WEBHOOK_PORT", "not a port")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert token not in str(caught.value)
    assert "hunter2" not in str(caught.value)
    monkeypatch.setenv("NEWSBOT_FEED_PROXY", "socks5://me:s3cret@proxy.lan:1080")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "s3cret" not in str(caught.value)


def test_operator_urls_get_our_async_drivers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://bot:pw@db:5432/newsbot")
    assert load_settings().effective_database_url == "postgresql+asyncpg://bot:pw@db:5432/newsbot"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/newsbot.db")
    assert load_settings().effective_database_url == "sqlite+aiosqlite:///var/newsbot.db"


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ADMIN_IDS", "12, 34,56")
    monkeypatch.setenv("NEWSBOT_ALLOWED_PRIVATE_HOSTS", "Intranet.Example, news.lan")
    settings = load_settings()
    assert settings.admin_ids == {12, 34, 56}
    assert settings.allowed_private_hosts == {"intranet.example", "news.lan"}


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NEWSBOT_DEFAULT_TIMEZONE=Asia/Tehran\n")
    assert load_settings().default_timezone == "Asia/Tehran"


def test_missing_token_explains_botfather() -> None:
    with pytest.raises(SettingsError, match="@BotFather"):
        load_settings().token()


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert documented == set(ENV_NAMES)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Berlin", "Europe/Berlin"), ("new york", "America/New_York"), ("Asia/Tokyo", "Asia/Tokyo")],
)
def test_the_default_time_zone_takes_what_slash_timezone_takes(
    monkeypatch: pytest.MonkeyPatch, typed: str, zone: str
) -> None:
    monkeypatch.setenv("NEWSBOT_DEFAULT_TIMEZONE", typed)
    assert load_settings().default_timezone == zone


def test_unknown_variables_warn_once_with_the_closest_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSBOT_TIMEZONE", "Berlin")
    monkeypatch.setenv("NEWSBOT_SHARED_DATA", "/data")  # the test suite's own: no warning
    (tmp_path / ".env").write_text("NEWSBOT_LOGLEVEL=DEBUG\nNEWSBOT_XYZZY_QUUX=1\n")
    warnings = load_settings().warnings
    assert len(warnings) == 3
    by_name = {w.split()[0]: w for w in warnings}
    assert "did you mean NEWSBOT_DEFAULT_TIMEZONE?" in by_name["NEWSBOT_TIMEZONE"]
    assert "(in the environment)" in by_name["NEWSBOT_TIMEZONE"]
    assert "did you mean NEWSBOT_LOG_LEVEL?" in by_name["NEWSBOT_LOGLEVEL"]
    assert str(tmp_path / ".env") in by_name["NEWSBOT_LOGLEVEL"]
    assert "see .env.example" in by_name["NEWSBOT_XYZZY_QUUX"]


def test_a_settings_error_names_the_dot_env_read_or_says_there_was_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSBOT_WEBHOOK_PORT", "http")
    with pytest.raises(SettingsError, match=f"no .env file in {re.escape(str(tmp_path))}"):
        load_settings()
    (tmp_path / ".env").write_text("NEWSBOT_LOG_LEVEL=INFO\n")
    with pytest.raises(SettingsError, match=re.escape(str(tmp_path / ".env"))):
        load_settings()
    monkeypatch.delenv("NEWSBOT_WEBHOOK_PORT")
    with pytest.raises(SettingsError, match=re.escape(str(tmp_path / ".env"))):
        load_settings().token()
