"""Reading the settings whose values are URLs, and saying where settings came from.

Every message here names what is wrong without quoting a password: proxy and database
URLs may hold one.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

#: Driver names we accept, mapped to the async driver we actually use. Operators write
#: the URL they know (``postgresql://…``); we pick the driver.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}

#: Proxy schemes python-telegram-bot's httpx speaks (SOCKS through ``httpx[socks]``).
TELEGRAM_PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def telegram_proxy_url(value: str) -> str:
    """The proxy URL, stripped; ValueError (never quoting the URL: it may hold a password)."""
    message = (
        "must be a proxy URL such as http://proxy.example:3128 or "
        "socks5://user:password@proxy.example:1080 (schemes: http, https, socks5, socks5h)"
    )
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(message) from None
    if parts.scheme.lower() not in TELEGRAM_PROXY_SCHEMES or not parts.hostname:
        raise ValueError(message)
    if parts.scheme.lower().startswith("socks") and port is None:
        raise ValueError("names no port: a SOCKS proxy URL needs one, e.g. socks5://host:1080")
    return text


def proxy_for_display(url: str) -> str:
    """``url`` without its user name and password, for log lines and errors."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def normalise_database_url(value: str) -> str:
    """Accept the URL an operator knows and return it with our async driver.

    Raises ValueError naming what is wrong; the message never includes the password.
    """
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError(
            "is not a database URL (examples: sqlite:///data/newsbot.db, "
            "postgresql://user:password@localhost/newsbot)"
        ) from None
    driver = _ASYNC_DRIVERS.get(url.drivername)
    if driver is None:
        raise ValueError(
            f"uses an unsupported database '{url.drivername}' (use sqlite:// or postgresql://)"
        )
    if driver.startswith("sqlite") and not url.database:
        raise ValueError("names no SQLite file (example: sqlite:///data/newsbot.db)")
    if driver.startswith("postgresql") and not url.database:
        raise ValueError("names no PostgreSQL database (example: postgresql://localhost/newsbot)")
    return url.set(drivername=driver).render_as_string(hide_password=False)


def where_read(env_file: Path | None) -> str:
    """Where settings came from, for a message: the `.env` file read, or that none was."""
    if env_file is None:
        return f"no .env file in {Path.cwd()}; only the environment was read"
    return f"settings read from the environment and {env_file}"


def env_file_path(value: object) -> Path | None:
    """The `.env` file settings are read from, when it exists."""
    if value is None:
        return None
    path = Path(str(value))
    return path.resolve() if path.is_file() else None
