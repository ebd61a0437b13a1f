"""The operator's files: the sources file and the topic catalogue (TOML).

Both are read once per cycle and validated whole: a mistake is one line that names the
file, the entry and the field, so start-up (or `newsbot ingest`) can stop with it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from storage.sources import SourceSpec
from storage.topics import TopicSpec

CATALOGUE = Path(__file__).resolve().parent / "topics.toml"

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class SourcesFileError(Exception):
    """The sources file or the catalogue is unreadable or invalid (one line)."""


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesFileError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise SourcesFileError(f"{path}: not valid TOML ({error})") from None


def _strings(value: object, where: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesFileError(f'{where}: {what} must be a list of strings, like ["world"]')
    return tuple(v.strip() for v in value if v.strip())


def is_feed_url(url: str) -> bool:
    return bool(re.match(r"^https?://[^/\s]+", url)) and not any(c.isspace() for c in url)


def parse_sources(path: Path, *, known_topics: set[str] | None = None) -> list[SourceSpec]:
    """The sources of ``path``, validated; ``known_topics`` rejects unknown slugs."""
    data = _read(path)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourcesFileError(f"{path}: use [[source]] tables, one per feed")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source #{number}"
        if not isinstance(entry, dict):
            raise SourcesFileError(f"{where}: must be a [[source]] table")
        name, url = entry.get("name"), entry.get("url")
        if not isinstance(name, str) or not name.strip():
            raise SourcesFileError(f'{where}: name is missing (name = "BBC News — World")')
        where = f'{path}: source "{name.strip()}"'
        if not isinstance(url, str) or not is_feed_url(url.strip()):
            raise SourcesFileError(
                f'{where}: url must be an http(s) address (url = "https://example.com/rss")'
            )
        topics = _strings(entry.get("topics", []), where, "topics")
        for slug in topics:
            if known_topics is not None and slug not in known_topics:
                raise SourcesFileError(
                    f"{where}: unknown topic {slug!r} (known: {', '.join(sorted(known_topics))})"
                )
        language = entry.get("language")
        if language is not None and (
            not isinstance(language, str) or not _LANGUAGE.match(language)
        ):
            raise SourcesFileError(f'{where}: language must be a code such as "en" or "pt-BR"')
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise SourcesFileError(f"{where}: enabled must be true or false")
        unknown = set(entry) - {"name", "url", "topics", "language", "enabled"}
        if unknown:
            raise SourcesFileError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        url = url.strip()
        if url in seen:
            raise SourcesFileError(f"{where}: the url {url} is listed twice")
        seen.add(url)
        specs.append(
            SourceSpec(
                name=name.strip(),
                url=url,
                topics=topics,
                language=language.split("-")[0].lower() if language else None,
                enabled=enabled,
            )
        )
    return specs


def parse_catalogue(path: Path = CATALOGUE) -> list[TopicSpec]:
    """The topic catalogue of ``path`` (the bundled one by default), validated."""
    data = _read(path)
    entries = data.get("topic", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(f"{path}: declare topics as [[topic]] tables")
    specs: list[TopicSpec] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: topic #{number}"
        if not isinstance(entry, dict):
            raise SourcesFileError(f"{where}: must be a [[topic]] table")
        slug, name = entry.get("slug"), entry.get("name")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise SourcesFileError(f'{where}: slug must be lower-case letters (slug = "world")')
        if not isinstance(name, str) or not name.strip():
            raise SourcesFileError(f'{where}: name is missing (name = "World")')
        keywords = _strings(entry.get("keywords", []), where, "keywords")
        if any(s.slug == slug for s in specs):
            raise SourcesFileError(f"{where}: slug {slug!r} is declared twice")
        specs.append(
            TopicSpec(slug=slug, name=name.strip(), keywords=tuple(k.lower() for k in keywords))
        )
    return specs
