"""The settings of the bot's connections to services the operator trusts: Telegram's
transport (proxy, paid broadcasts) and Telegraph, for the "Read here" pages.

A part of :class:`bot.runtime.settings.Settings` (which extends this class), kept apart so
each module stays readable; the environment is still read once, by ``load_settings``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from bot.runtime.setting_values import telegram_proxy_url

#: Telegraph's API (https://telegra.ph/api). Tests point NEWSBOT_TELEGRAPH_URL at loopback.
TELEGRAPH_API = "https://api.telegra.ph"


class ConnectionSettings(BaseSettings):
    """Telegram's transport and Telegraph (see :class:`bot.runtime.settings.Settings`)."""

    # --- Telegram transport (proxy, paid broadcasts) --------------------------------
    #: Every connection to Telegram (polling, webhook set-up, replies, file downloads,
    #: digests) goes through this proxy when set: http://, https://, socks5:// or
    #: socks5h:// (the proxy resolves names). A secret: the URL may carry a password.
    telegram_proxy: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_TELEGRAM_PROXY", "telegram_proxy")
    )
    #: Digests are sent with allow_paid_broadcast (Telegram charges Stars beyond the free
    #: 30 messages/s) and the overall ceiling rises to 1,000 messages/s.
    paid_broadcast: bool = Field(
        default=False,
        validation_alias=AliasChoices("NEWSBOT_PAID_BROADCAST", "paid_broadcast"),
    )

    #: Telegram's ceiling for paid broadcasts, in messages a second.
    PAID_BROADCAST_RATE: ClassVar[float] = 1000.0

    # --- Telegraph ("Read here": full text as Instant View) -------------------------
    #: The access token of the operator's Telegraph account (createAccount, once). Set:
    #: stories get "Read here" buttons whose pages are created under this account.
    #: Unset: no buttons. A secret: whoever holds it may edit every page of the account.
    telegraph_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSBOT_TELEGRAPH_TOKEN", "telegraph_token")
    )
    telegraph_url: str = Field(
        default=TELEGRAPH_API,
        validation_alias=AliasChoices("NEWSBOT_TELEGRAPH_URL", "telegraph_url"),
    )

    @field_validator("telegram_proxy", mode="before")
    @classmethod
    def _telegram_proxy(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return telegram_proxy_url(value)
        return value

    @field_validator("telegraph_token", mode="before")
    @classmethod
    def _telegraph_token(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            raw = value.strip()
            # Never echo the value: it is a credential.
            if not raw or any(c.isspace() or not c.isprintable() for c in raw) or len(raw) > 256:
                raise ValueError("does not look like a Telegraph access token")
            return raw
        return value

    @field_validator("telegraph_url", mode="before")
    @classmethod
    def _telegraph_url(cls, value: object) -> object:
        if not isinstance(value, str) or not value.strip().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, such as https://api.telegra.ph")
        return value.strip().rstrip("/")
