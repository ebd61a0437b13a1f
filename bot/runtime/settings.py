"""Every operator setting, read once from the environment and `.env`.

The composition root calls :func:`load_settings`; nothing else reads the environment.
A bad value stops start-up with :class:`SettingsError`, whose message is one line that
names the variable and the `.env` file that was read, so the CLI can print it and exit 2
instead of a traceback. A ``NEWSBOT_*`` or ``TELEGRAM_*`` variable that is no setting (a
typo) is kept in :attr:`Settings.warnings`, naming the closest real setting.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import (
    AliasChoices,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import NoDecode, SettingsConfigDict

from bot.parsing.timezones import parse_timezone, suggest_timezones
from bot.runtime.setting_connections import ConnectionSettings
from bot.runtime.setting_names import unknown_setting_warnings
from bot.runtime.setting_values import (
    env_file_path,
    normalise_database_url,
    where_read,
)

_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")

BUNDLED_SOURCES = Path(__file__).resolve().parents[2] / "ingest" / "default_sources.toml"


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming it."""


class Settings(ConnectionSettings):
    """Operator configuration. Field docs are the source of `.env.example`.

    The settings of connections to Telegram and Telegraph live in
    :class:`~bot.runtime.setting_connections.ConnectionSettings`, which this extends.
    """

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        # `cp .env.example .env` leaves lines such as NEWSBOT_METRICS_PORT= empty: an empty
        # value means the default, as .env.example says, not an invalid number or path.
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
        hide_input_in_errors=True,
        frozen=True,
    )

    # --- Telegram -------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BASE_URL", "telegram_base_url")
    )
    telegram_base_file_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BASE_FILE_URL", "telegram_base_file_url"),
    )
    webhook_url: str | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_WEBHOOK_URL", "webhook_url")
    )
    webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_WEBHOOK_SECRET", "webhook_secret")
    )
    webhook_listen: str = Field(
        default="0.0.0.0", validation_alias=AliasChoices("NEWSBOT_WEBHOOK_LISTEN", "webhook_listen")
    )
    webhook_port: int = Field(
        default=8443,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("NEWSBOT_WEBHOOK_PORT", "webhook_port"),
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias=AliasChoices("NEWSBOT_ADMIN_IDS", "admin_ids")
    )

    # --- Storage --------------------------------------------------------------------
    data_dir: Path = Field(
        default=Path("data"), validation_alias=AliasChoices("NEWSBOT_DATA_DIR", "data_dir")
    )
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )

    # --- Ingest ---------------------------------------------------------------------
    sources_file: Path = Field(
        default=BUNDLED_SOURCES, validation_alias=AliasChoices("NEWSBOT_SOURCES", "sources_file")
    )
    ingest_interval_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        validation_alias=AliasChoices("NEWSBOT_INGEST_INTERVAL_MINUTES", "ingest_interval_minutes"),
    )
    retention_days: int = Field(
        default=30,
        ge=1,
        validation_alias=AliasChoices("NEWSBOT_RETENTION_DAYS", "retention_days"),
    )
    fetch_concurrency: int = Field(
        default=32,
        ge=1,
        le=1000,
        validation_alias=AliasChoices("NEWSBOT_FETCH_CONCURRENCY", "fetch_concurrency"),
    )
    fetch_per_host: int = Field(
        default=4,
        ge=1,
        le=100,
        validation_alias=AliasChoices("NEWSBOT_FETCH_PER_HOST", "fetch_per_host"),
    )
    fetch_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        le=600,
        validation_alias=AliasChoices("NEWSBOT_FETCH_TIMEOUT_SECONDS", "fetch_timeout_seconds"),
    )
    fetch_max_bytes: int = Field(
        default=5_000_000,
        ge=10_000,
        validation_alias=AliasChoices("NEWSBOT_FETCH_MAX_BYTES", "fetch_max_bytes"),
    )
    #: Feeds and article pages are fetched through this HTTP proxy when set. A secret,
    #: because a proxy URL may carry a password.
    feed_proxy: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_FEED_PROXY", "feed_proxy")
    )
    allowed_private_hosts: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(),
        validation_alias=AliasChoices("NEWSBOT_ALLOWED_PRIVATE_HOSTS", "allowed_private_hosts"),
    )

    # --- Bounds and fairness (docs/limits.md) --------------------------------------
    ingest_max_new_entries: int = Field(
        default=200,
        ge=1,
        le=100_000,
        validation_alias=AliasChoices("NEWSBOT_INGEST_MAX_NEW_ENTRIES", "ingest_max_new_entries"),
    )
    ingest_page_batch: int = Field(
        default=32,
        ge=1,
        le=1000,
        validation_alias=AliasChoices("NEWSBOT_INGEST_PAGE_BATCH", "ingest_page_batch"),
    )
    ingest_source_budget_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        validation_alias=AliasChoices(
            "NEWSBOT_INGEST_SOURCE_BUDGET_SECONDS", "ingest_source_budget_seconds"
        ),
    )
    reader_burst: int = Field(
        default=20,
        ge=1,
        le=100_000,
        validation_alias=AliasChoices("NEWSBOT_READER_BURST", "reader_burst"),
    )
    reader_per_minute: float = Field(
        default=20.0,
        gt=0,
        le=100_000,
        validation_alias=AliasChoices("NEWSBOT_READER_PER_MINUTE", "reader_per_minute"),
    )
    link_fetches_per_user: int = Field(
        default=2,
        ge=1,
        le=100,
        validation_alias=AliasChoices("NEWSBOT_LINK_FETCHES_PER_USER", "link_fetches_per_user"),
    )

    # --- Readers and digests --------------------------------------------------------
    default_timezone: str = Field(
        default="UTC",
        validation_alias=AliasChoices("NEWSBOT_DEFAULT_TIMEZONE", "default_timezone"),
    )
    default_digest_time: time = Field(
        default=time(7, 30),
        validation_alias=AliasChoices("NEWSBOT_DEFAULT_DIGEST_TIME", "default_digest_time"),
    )
    digest_max_per_topic: int = Field(
        default=5,
        ge=1,
        le=50,
        validation_alias=AliasChoices("NEWSBOT_DIGEST_MAX_PER_TOPIC", "digest_max_per_topic"),
    )
    digest_max_items: int = Field(
        default=15,
        ge=1,
        le=200,
        validation_alias=AliasChoices("NEWSBOT_DIGEST_MAX_ITEMS", "digest_max_items"),
    )
    digest_when_empty: Literal["note", "silent"] = Field(
        default="note",
        validation_alias=AliasChoices("NEWSBOT_DIGEST_WHEN_EMPTY", "digest_when_empty"),
    )
    send_rate_per_second: float = Field(
        default=25.0,
        gt=0,
        le=1000,
        validation_alias=AliasChoices("NEWSBOT_SEND_RATE_PER_SECOND", "send_rate_per_second"),
    )

    @property
    def overall_send_rate(self) -> float:
        """Messages a second for everything the bot sends (digests and replies together)."""
        return self.PAID_BROADCAST_RATE if self.paid_broadcast else self.send_rate_per_second

    # --- Operations -----------------------------------------------------------------
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias=AliasChoices("NEWSBOT_LOG_LEVEL", "log_level")
    )
    log_format: Literal["text", "json"] = Field(
        default="text", validation_alias=AliasChoices("NEWSBOT_LOG_FORMAT", "log_format")
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("NEWSBOT_METRICS_PORT", "metrics_port"),
    )
    metrics_host: str = Field(
        default="127.0.0.1",
        validation_alias=AliasChoices("NEWSBOT_METRICS_HOST", "metrics_host"),
    )

    #: Where the settings came from, for messages: the `.env` file read (absolute), or
    #: None when there was none. Set by load_settings.
    _env_file: Path | None = PrivateAttr(default=None)
    #: One line per variable that looks like a setting but is none (a typo).
    _warnings: tuple[str, ...] = PrivateAttr(default=())

    @property
    def env_file(self) -> Path | None:
        return self._env_file

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._warnings

    # --- Validators -----------------------------------------------------------------
    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str | SecretStr):
            raise ValueError("must be a string")
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value.strip()
        if not _TOKEN_SHAPE.match(raw):
            # Never echo the value: it may be a real token pasted with a typo.
            raise ValueError("does not look like a bot token (expected 123456789:AA…)")
        return raw

    @field_validator("telegram_base_url", "telegram_base_file_url", "webhook_url", mode="before")
    @classmethod
    def _http_url(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("feed_proxy", mode="before")
    @classmethod
    def _proxy_url(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            # httpx speaks to HTTP proxies (https:// URLs through CONNECT); SOCKS would
            # need an extra package, so it is refused here rather than at the first fetch.
            message = "must be an HTTP proxy URL such as http://proxy.example:3128"
            try:
                parts = urlsplit(value.strip())
                parts.port  # noqa: B018 - raises on a port that is not a number
            except ValueError:
                raise ValueError(message) from None
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(message)
            return value.strip()
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return normalise_database_url(value)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        return value

    @field_validator("allowed_private_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(p.lower() for p in re.split(r"[,\s]+", value.strip()) if p)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
            return value
        except (ZoneInfoNotFoundError, ValueError):
            pass
        # The names a reader may type to /timezone ("Berlin", "New York", "UTC+3") work
        # here too; what is kept is the IANA name they stand for.
        zone = parse_timezone(value, datetime.now(UTC))
        if zone is not None:
            return zone
        close = suggest_timezones(value)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise ValueError(
            f"must be a time zone such as Europe/Berlin, Berlin or UTC+3{hint}"
        ) from None

    @field_validator("default_digest_time", mode="before")
    @classmethod
    def _digest_time(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
            if not match:
                raise ValueError("must be a time of day as HH:MM, such as 07:30")
            return time(int(match.group(1)), int(match.group(2)))
        return value

    # --- Derived --------------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        """The database to use: `DATABASE_URL`, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'newsbot.db').resolve()}"

    @property
    def is_embedded_database(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    def token(self) -> str:
        """The bot token; raises SettingsError with BotFather instructions when unset."""
        if self.telegram_bot_token is None:
            raise SettingsError(
                f"TELEGRAM_BOT_TOKEN is not set ({where_read(self._env_file)}): open "
                "Telegram, talk to @BotFather, send /newbot, and put the token it gives you "
                "in .env as TELEGRAM_BOT_TOKEN=123456789:AA…"
            )
        return self.telegram_bot_token.get_secret_value()


def _env_name(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return "settings"
    first = str(loc[0])
    field = Settings.model_fields.get(first)
    if field is not None and isinstance(field.validation_alias, AliasChoices):
        alias = field.validation_alias.choices[0]
        return str(alias)
    return first.upper()


def setting_names() -> list[str]:
    """Every variable a setting reads, derived from the model (so new settings count)."""
    names = []
    for name, field in Settings.model_fields.items():
        if isinstance(field.validation_alias, AliasChoices):
            names += [str(c) for c in field.validation_alias.choices if str(c).isupper()]
        else:
            names.append(name.upper())
    return names


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment and `.env`; one-line SettingsError when bad.

    Every error names the `.env` file that was read (or says none was found): which one
    is read depends on the working directory, and that is easy to get wrong.
    """
    env_file = env_file_path(overrides.get("_env_file", Settings.model_config.get("env_file")))
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]
        name = _env_name(tuple(error["loc"]))
        message = str(error["msg"]).removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise SettingsError(
            f"invalid setting {name}: {message}{more} ({where_read(env_file)})"
        ) from None
    dotenv = dotenv_values(env_file, encoding="utf-8") if env_file is not None else {}
    settings._env_file = env_file
    known = setting_names()
    warnings = unknown_setting_warnings(dict(os.environ), dotenv, env_file, known)
    settings._warnings = tuple(warnings)
    return settings
