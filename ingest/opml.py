"""OPML: bring feeds from another reader, and give them back. Pure functions, no I/O.

:func:`parse_opml` reads an export of Feedly, Inoreader, NetNewsWire, Miniflux, The Old
Reader, Thunderbird and the like; :func:`render_opml` writes OPML 2.0 grouped by topic.
The two round-trip: importing an export gives the same feeds and topics back.

How folders become topics
-------------------------
A feed's *labels* are the names of the folders it sits in (outermost first, as in
``Tech › AI``) and the entries of its ``category`` attribute (``"/Tech/AI,/Science"``).
For each label, in this order, the first rule that matches picks catalogue topics:

1. the whole label, words lower-cased and filler words dropped ("news", "latest",
   "feeds", "blogs"…), equals a topic's slug, its name or one of its keywords, also
   singular or plural ("Sports" → sport, "Football" → sport by keyword, "AI" →
   technology by keyword, "World News" → world);
2. one word of the label equals a topic's slug or name, or is a prefix of at least four
   letters of one ("US Politics" → politics, "Science & Tech" → science and technology).

Labels made only of filler words ("All", "Uncategorized", Thunderbird's "Blogs & News
Feeds") are no category. When no label of a feed matches the catalogue, its innermost
folder becomes a *new topic*: the slug is the label lower-cased, accents removed,
anything but letters and digits turned into ``-`` ("Border Collies" → ``border-collies``,
"Économie" → ``economie``), and a label with no Latin letter at all ("Новости") gets
``topic-`` and eight hex digits of its hash; the name is the label as given. New topics
are returned apart (:attr:`OpmlImport.new_topics`), so the caller decides whether to add
them to the catalogue or drop them.

Safety and bad input
--------------------
The file is parsed by expat with every entity declaration refused (no entity expansion,
no external entity is ever fetched), so "billion laughs" and XXE files are rejected
whole with :class:`OpmlError`, and so is a file nesting elements more than
:data:`MAX_DEPTH` levels deep (it is read and walked without recursion). Common damage
is repaired with a warning instead: a wrong or unknown encoding declaration, bare ``&``
in URLs, HTML entities such as ``&nbsp;``. Feeds without an http(s) address, and
``javascript:`` or relative ones, are skipped with a warning naming the line;
``feed://`` addresses are read as ``http://``.
A feed listed twice (in two folders) is imported once with the topics of both.
"""

from __future__ import annotations

import codecs
import hashlib
import html.entities
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Protocol
from urllib.parse import urlsplit
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from storage.topics import TopicSpec

#: The largest file accepted; a reader's export of thousands of feeds is under 2 MB.
MAX_BYTES = 10_000_000
MAX_URL_LENGTH = 2048
#: Folders nest a few levels in any real export; a file nesting deeper is refused whole
#: (thousands of levels, a few dozen KB, would otherwise exhaust the stack).
MAX_DEPTH = 64
MAX_NAME_LENGTH = 200
MAX_TOPIC_NAME_LENGTH = 100
MAX_SLUG_LENGTH = 64

#: Words that say nothing about a folder's subject.
FILLER_WORDS = frozenset(
    [
        "all",
        "and",
        "blog",
        "blogs",
        "default",
        "feed",
        "feeds",
        "folder",
        "general",
        "headlines",
        "imported",
        "latest",
        "misc",
        "miscellaneous",
        "my",
        "news",
        "other",
        "rss",
        "subscriptions",
        "the",
        "top",
        "uncategorised",
        "uncategorized",
        "unfiled",
        "unsorted",
        "untitled",
    ]
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BARE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


class OpmlError(Exception):
    """The file cannot be imported at all; the message is one line saying why."""


class CatalogueTopic(Protocol):
    """A catalogue entry (:class:`storage.topics.TopicSpec` or a ``Topic`` row)."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...


class ExportableSource(Protocol):
    """What :func:`render_opml` needs of a source (a ``Source`` row, an OpmlSource…)."""

    @property
    def url(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def topics(self) -> Sequence[str]: ...
    @property
    def language(self) -> str | None: ...


@dataclass(frozen=True)
class OpmlSource:
    """One feed of the file, with the topics its folders map to."""

    url: str
    name: str
    topics: tuple[str, ...] = ()
    language: str | None = None
    #: The site's home page (``htmlUrl``), when the file has one.
    site_url: str | None = None
    #: The folder and category labels as the file wrote them, outermost first.
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpmlImport:
    """What an OPML file holds, and what was repaired or skipped to read it."""

    title: str | None
    sources: tuple[OpmlSource, ...]
    #: Topics made from folders the catalogue does not know, in order of appearance.
    new_topics: tuple[TopicSpec, ...] = ()
    #: One line each: what was repaired or skipped, with the line number.
    warnings: tuple[str, ...] = ()
    #: Feeds listed more than once (merged into one source each).
    duplicates: int = 0


# --- Topic matching -----------------------------------------------------------------------


def _words(label: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(label)]


def _forms(word: str) -> set[str]:
    """A word and its simple singular or plural."""
    forms = {word, f"{word}s"}
    if word.endswith("s") and len(word) > 3:
        forms.add(word[:-1])
    return forms


def slugify(label: str) -> str:
    """The slug of a new topic named ``label`` (see the module docs for the rule)."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(_SPACE.sub(" ", label.strip()).casefold().encode("utf-8"))
    return f"topic-{digest.hexdigest()[:8]}"


def is_filler(label: str) -> bool:
    """True for labels that say nothing about a subject ("All", "Uncategorized")."""
    return all(w in FILLER_WORDS for w in _words(label))


class _Catalogue:
    """The catalogue indexed for :meth:`match`."""

    def __init__(self, catalogue: Iterable[CatalogueTopic]) -> None:
        self.order = tuple(t.slug for t in catalogue)
        #: slugs, names and keyword phrases (words joined by one space) → slugs
        self.phrases: dict[str, set[str]] = {}
        #: slugs and names only, for single words and prefixes
        self.names: dict[str, str] = {}
        for topic in catalogue:
            for phrase in (topic.slug, topic.name, *topic.keywords):
                key = " ".join(_words(phrase))
                if key:
                    self.phrases.setdefault(key, set()).add(topic.slug)
            for name in (topic.slug, " ".join(_words(topic.name))):
                self.names.setdefault(name, topic.slug)

    def match(self, label: str) -> set[str]:
        """The catalogue topics ``label`` names (rules 1 and 2 of the module docs)."""
        words = [w for w in _words(label) if w not in FILLER_WORDS]
        if not words:
            return set()
        whole: set[str] = set()
        for last in _forms(words[-1]):
            whole |= self.phrases.get(" ".join([*words[:-1], last]), set())
        if whole:
            return whole
        found: set[str] = set()
        for word in words:
            found.update(self.names[f] for f in _forms(word) if f in self.names)
            if len(word) >= 4:
                found.update(slug for name, slug in self.names.items() if name.startswith(word))
        return found

    def ordered(self, slugs: Iterable[str]) -> tuple[str, ...]:
        """Catalogue topics in catalogue order, then new ones alphabetically."""
        wanted = set(slugs)
        known = [s for s in self.order if s in wanted]
        return (*known, *sorted(wanted - set(known)))


# --- URLs and names -----------------------------------------------------------------------


def _clean_text(value: str | None) -> str:
    return _SPACE.sub(" ", value or "").strip()


def feed_url(raw: str) -> str | None:
    """The http(s) address of ``raw``, normalised, or None when it is not one."""
    url = raw.strip()
    if url.lower().startswith("feed:"):
        rest = url[5:]
        url = rest if rest.lower().startswith(("http://", "https://")) else f"http:{rest}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if _SPACE.search(url) or len(url) > MAX_URL_LENGTH:
        return None
    # Scheme and host are case-blind: lower them so duplicates meet; keep the rest as given.
    userinfo, _, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{hostport.lower()}" if userinfo else hostport.lower()
    return f"{parts.scheme.lower()}://{netloc}{url[len(parts.scheme) + 3 + len(parts.netloc) :]}"


def _fallback_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


# --- XML reading --------------------------------------------------------------------------


@dataclass
class _Outline:
    attrs: dict[str, str]
    line: int
    children: list[_Outline] = field(default_factory=list)


@dataclass
class _Document:
    root: str = ""
    title_parts: list[str] = field(default_factory=list)
    outlines: list[_Outline] = field(default_factory=list)


class _EntityDeclared(Exception):
    pass


def _read_xml(data: bytes | str) -> _Document:
    """Parse with expat, refusing entity declarations; keep only what OPML needs."""
    document = _Document()
    stack: list[_Outline] = []
    path: list[str] = []

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise _EntityDeclared

    def refuse_external(
        _context: str, _base: str | None, _system_id: str | None, _public_id: str | None
    ) -> int:
        raise _EntityDeclared

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1].lower()
        path.append(local)
        if len(path) > MAX_DEPTH:
            raise OpmlError(
                f"the file nests elements more than {MAX_DEPTH} levels deep (line "
                f"{parser.CurrentLineNumber}); no feed reader exports folders that deep"
            )
        if len(path) == 1:
            document.root = local
        if local != "outline" or "body" not in path:
            return
        outline = _Outline({k.lower(): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        (stack[-1].children if stack else document.outlines).append(outline)
        stack.append(outline)

    def end(tag: str) -> None:
        local = path.pop()
        if local == "outline" and stack and "body" in path:
            stack.pop()

    def text(chars: str) -> None:
        if path[-2:] == ["head", "title"]:
            document.title_parts.append(chars)

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    if isinstance(data, str):
        parser.Parse(data.encode("utf-8"), True)
    else:
        parser.Parse(data, True)
    return document


def _python_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes) -> tuple[str, str | None]:
    """The text of ``data``, and a note when it was not in the encoding it declares."""
    match = _DECLARED_ENCODING.match(data)
    declared = match.group(1).decode("ascii") if match else "UTF-8"
    codec = _python_codec(declared)
    candidates = [c for c in (codec, "utf-8-sig", "cp1252") if c]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate == codec or (codec == "utf-8" and candidate == "utf-8-sig"):
            return text, None
        if codec is None:
            return text, f"the file's encoding {declared} is unknown; it was read as {candidate}"
        return text, f"the file says it is {declared} but is not; it was read as {candidate}"
    return data.decode("latin-1"), "the file is in no known encoding; it was read as latin-1"


def _without_declaration(text: str) -> str:
    # The text is re-encoded as UTF-8 for expat: its old encoding declaration must go.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"), count=1)


def _repair(text: str) -> tuple[str, list[str]]:
    """Fix the damage exports commonly have; say what was fixed."""
    notes: list[str] = []

    def entity(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return match.group(0)
        return f"&#{html.entities.name2codepoint[name]};"

    repaired = _NAMED_ENTITY.sub(entity, text)
    if repaired != text:
        notes.append("HTML entities such as &nbsp; were read as the characters they name")
    fixed, count = _BARE_AMPERSAND.subn("&amp;", repaired)
    if count:
        notes.append(f"{count} bare '&' (as in unescaped URLs) were read as '&amp;'")
    return _NOT_XML_CHAR.sub("", fixed), notes


def _parse_document(data: bytes) -> tuple[_Document, list[str]]:
    """Parse strictly; on failure decode and repair the text, and parse it again."""
    try:
        return _read_xml(data), []
    except _EntityDeclared:
        raise OpmlError(_REFUSED) from None
    except expat.ExpatError as error:
        problem = f"{expat.ErrorString(error.code)} at line {error.lineno}"
    except ValueError as error:  # "multi-byte encodings are not supported" (Shift_JIS…)
        problem = str(error)
    text, note = _decode(data)
    repaired, repairs = _repair(_without_declaration(text))
    try:
        document = _read_xml(repaired)
    except _EntityDeclared:
        raise OpmlError(_REFUSED) from None
    except expat.ExpatError:
        raise OpmlError(f"not a readable OPML file: {problem}") from None
    return document, ([note] if note else []) + repairs


_REFUSED = (
    "the file declares XML entities (<!ENTITY …>), which OPML never needs; "
    "refused so that nothing is expanded or fetched"
)


# --- Import -------------------------------------------------------------------------------


@dataclass
class _Collected:
    url: str
    name: str
    language: str | None
    site_url: str | None
    labels: list[str]
    line: int


def _category_labels(value: str) -> list[str]:
    labels: list[str] = []
    for entry in value.split(","):
        labels.extend(p.strip() for p in entry.split("/") if p.strip())
    return labels


def _walk(outlines: Sequence[_Outline], found: list[_Collected], warnings: list[str]) -> None:
    """Collect the feeds of ``outlines`` in document order, without recursion."""
    # (the outlines still to visit at one level, the folder labels down to it)
    stack: list[tuple[Iterator[_Outline], tuple[str, ...]]] = [(iter(outlines), ())]
    while stack:
        siblings, folders = stack[-1]
        outline = next(siblings, None)
        if outline is None:
            stack.pop()
            continue
        attrs = outline.attrs
        label = _clean_text(attrs.get("title") or attrs.get("text"))
        inner = (*folders, label) if label else folders
        raw_url = attrs.get("xmlurl")
        if raw_url is None and attrs.get("type") == "rss":
            raw_url = attrs.get("url")  # some exporters put the feed in url=
        if raw_url is None:
            if outline.children:
                stack.append((iter(outline.children), inner))
            elif attrs.get("type") in ("link", "include") or attrs.get("url"):
                warnings.append(
                    f'line {outline.line}: "{label or attrs.get("url")}" is a link, not a feed;'
                    " skipped"
                )
            continue
        _collect(outline, raw_url, label, folders, found, warnings)
        if outline.children:  # a feed with children is odd, but the children count too
            stack.append((iter(outline.children), inner))


def _collect(
    outline: _Outline,
    raw_url: str,
    label: str,
    folders: tuple[str, ...],
    found: list[_Collected],
    warnings: list[str],
) -> None:
    attrs = outline.attrs
    url = feed_url(raw_url)
    if url is None:
        shown = raw_url.strip()[:120] or "(empty)"
        warnings.append(
            f'line {outline.line}: "{label or shown}" has no http(s) feed address '
            f"({shown}); skipped"
        )
        return
    site_url = feed_url(attrs.get("htmlurl", "")) if attrs.get("htmlurl") else None
    language = attrs.get("language", "").strip()
    labels = list(dict.fromkeys([*folders, *_category_labels(attrs.get("category", ""))]))
    found.append(
        _Collected(
            url=url,
            name=(label or _fallback_name(site_url or url))[:MAX_NAME_LENGTH],
            language=language.split("-")[0].lower() if _LANGUAGE.match(language) else None,
            site_url=site_url,
            labels=labels,
            line=outline.line,
        )
    )


def parse_opml(
    data: bytes,
    catalogue: Sequence[CatalogueTopic] = (),
    *,
    max_bytes: int = MAX_BYTES,
) -> OpmlImport:
    """The feeds of an OPML file, with topics from ``catalogue`` (see the module docs).

    Raises :class:`OpmlError` (one line) when the file is too large, is not XML or not
    OPML, declares entities, or nests deeper than :data:`MAX_DEPTH`. Everything else is
    imported, or skipped with a warning.
    """
    if len(data) > max_bytes:
        raise OpmlError(f"the file is {len(data):,} bytes; the limit is {max_bytes:,}")
    if not data.strip():
        raise OpmlError("the file is empty")
    document, warnings = _parse_document(data)
    if document.root != "opml":
        raise OpmlError(f"not an OPML file: the document is <{document.root}>, not <opml>")
    found: list[_Collected] = []
    _walk(document.outlines, found, warnings)

    topics = _Catalogue(catalogue)
    merged: dict[str, tuple[_Collected, set[str]]] = {}
    new_topics: dict[str, TopicSpec] = {}
    duplicates = 0
    matches: dict[str, set[str]] = {}  # a folder's label is matched once, not per feed
    for item in found:
        chosen: set[str] = set()
        for label in item.labels:
            if label not in matches:
                matches[label] = topics.match(label)
            chosen |= matches[label]
        if not chosen:
            named = [label for label in item.labels if not is_filler(label)]
            if named:
                slug = slugify(named[-1])
                new_topics.setdefault(
                    slug, TopicSpec(slug=slug, name=named[-1][:MAX_TOPIC_NAME_LENGTH])
                )
                chosen.add(slug)
        if item.url in merged:
            duplicates += 1
            first, first_topics = merged[item.url]
            first_topics |= chosen
            first.labels.extend(label for label in item.labels if label not in first.labels)
            first.language = first.language or item.language
            first.site_url = first.site_url or item.site_url
        else:
            merged[item.url] = (item, chosen)

    sources = tuple(
        OpmlSource(
            url=item.url,
            name=item.name,
            topics=topics.ordered(chosen),
            language=item.language,
            site_url=item.site_url,
            labels=tuple(item.labels),
        )
        for item, chosen in merged.values()
    )
    if not sources:
        warnings.append("the file lists no feeds (outlines with an xmlUrl)")
    title = _clean_text("".join(document.title_parts)) or None
    return OpmlImport(
        title=title,
        sources=sources,
        new_topics=tuple(new_topics.values()),
        warnings=tuple(warnings),
        duplicates=duplicates,
    )


# --- Export -------------------------------------------------------------------------------


def _attr(name: str, value: str) -> str:
    return f"{name}={quoteattr(_NOT_XML_CHAR.sub('', value))}"


def _feed_line(source: ExportableSource, indent: str) -> str:
    name = _clean_text(source.name) or _fallback_name(source.url)
    attrs = [
        _attr("type", "rss"),
        _attr("text", name),
        _attr("title", name),
        _attr("xmlUrl", source.url),
    ]
    site_url = getattr(source, "site_url", None)
    if isinstance(site_url, str) and site_url:
        attrs.append(_attr("htmlUrl", site_url))
    if source.language:
        attrs.append(_attr("language", source.language))
    return f"{indent}<outline {' '.join(attrs)}/>"


def render_opml(
    sources: Iterable[ExportableSource],
    catalogue: Sequence[CatalogueTopic] = (),
    *,
    title: str = "Get News Fast sources",
    now: datetime | None = None,
) -> bytes:
    """OPML 2.0 (UTF-8) of ``sources``, one folder per topic in catalogue order.

    A source with several topics is listed in each of their folders (readers such as
    Feedly do the same; :func:`parse_opml` merges it back); one without a topic is
    listed at the top level. Folders are named by the catalogue (the slug for a topic
    the catalogue does not know). ``now`` becomes ``dateCreated``.
    """
    by_slug = {t.slug: t.name for t in catalogue}
    folders: dict[str, list[ExportableSource]] = {}
    loose: list[ExportableSource] = []
    for source in sources:
        slugs = list(dict.fromkeys(source.topics))
        for slug in slugs:
            folders.setdefault(slug, []).append(source)
        if not slugs:
            loose.append(source)
    order = [t.slug for t in catalogue if t.slug in folders]
    order += sorted(set(folders) - set(order))

    def sort_key(source: ExportableSource) -> tuple[str, str]:
        return (_clean_text(source.name).casefold(), source.url)

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{escape(_NOT_XML_CHAR.sub('', title))}</title>",
    ]
    if now is not None:
        lines.append(f"    <dateCreated>{format_datetime(now, usegmt=True)}</dateCreated>")
    lines += ["  </head>", "  <body>"]
    for slug in order:
        name = by_slug.get(slug, slug)
        lines.append(f"    <outline {_attr('text', name)} {_attr('title', name)}>")
        lines += [_feed_line(s, "      ") for s in sorted(folders[slug], key=sort_key)]
        lines.append("    </outline>")
    lines += [_feed_line(s, "    ") for s in sorted(loose, key=sort_key)]
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")
