"""The database schema, as typed SQLAlchemy models.

Every datetime is timezone-aware UTC (:class:`~storage.types.UTCDateTime`). Readers' local
times and zones are stored as the reader gave them (a wall-clock time and an IANA name);
``next_digest_at`` is the UTC instant computed from them by ``digest.schedule``.

Changing a model means changing the migration too; ``tests/integration/storage/
test_migrations.py`` fails when the two disagree.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import BigId, UTCDateTime

# Constraint names are fixed so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        time: Time(),
        list[str]: JSON(),
        dict[str, Any]: JSON(),
    }


class Topic(Base):
    """A subject readers subscribe to (``world``, ``technology``…), with keyword rules."""

    __tablename__ = "topics"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    keywords: Mapped[list[str]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Source(Base):
    """A feed the operator trusts; carries its own fetch and health state."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(default=list)
    language: Mapped[str | None] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_fetched_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_fetch_at: Mapped[datetime | None] = mapped_column(index=True)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class ArticleTopic(Base):
    """Which topics an article belongs to; ``published_at`` is copied for the index."""

    __tablename__ = "article_topics"

    article_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    published_at: Mapped[datetime]

    __table_args__ = (
        # /latest <topic> and digest composition: newest articles of one topic.
        Index("ix_article_topics_topic_published", "topic_slug", "published_at"),
    )


class Article(Base):
    """One stored article with its summary, computed once at ingest."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    guid: Mapped[str | None] = mapped_column(String(1024))
    source_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    #: Up to five sentences, best first: the first k are the k-sentence summary.
    summary: Mapped[list[str]] = mapped_column(default=list)
    #: Where each summary sentence stands in the article (0 = first), to show the
    #: chosen k in reading order (``storage.articles.Story.summary_for``).
    summary_positions: Mapped[list[int]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime] = mapped_column(index=True)
    fetched_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The id of the first article that told this story; equal to ``id`` for a new story.
    story_id: Mapped[int | None] = mapped_column(BigId, index=True)

    source: Mapped[Source | None] = relationship(lazy="raise")
    topic_links: Mapped[list[ArticleTopic]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("source_id", "guid"),
        # "Is there recent news in English?" (a reader's default news languages): a
        # point lookup, not a scan of a month of articles.
        Index("ix_articles_language_published", "language", "published_at"),
    )


class ArticleTerm(Base):
    """A word of an article's title and summary: the index behind keyword subscriptions.

    Matching a reader's words against this table is an index range scan restricted to a
    time window on both databases, with no regular expression and no full-text engine.
    """

    __tablename__ = "article_terms"

    # The key's order is the query's: one word, a time window, then the articles, so a
    # lookup reads one contiguous slice of the primary key and never the table.
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    # ~80 rows per article: on SQLite the rows live in the primary key itself (no
    # separate rowid table), a third less to write on ingest's hottest path.
    __table_args__ = ({"sqlite_with_rowid": False},)


class StoryKey(Base):
    """One locality-sensitive hash band of an article: candidates for "the same story".

    Articles sharing a key within the story window are compared; nothing is all-pairs.
    """

    __tablename__ = "story_keys"

    # (key, published_at, article_id): a band lookup within the story window is one
    # contiguous slice of the primary key.
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = ({"sqlite_with_rowid": False},)


class ArticleTombstone(Base):
    """A pruned article's URL, guid or content hash, so a feed still listing it adds nothing."""

    __tablename__ = "article_tombstones"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    pruned_at: Mapped[datetime] = mapped_column(index=True)


class Reader(Base):
    """A chat the bot serves (a private chat, a group, a channel), or one forum topic of it.

    ``thread_id`` is the forum topic's ``message_thread_id`` when the settings were made
    inside a topic of a forum supergroup; 0 for the chat itself (``storage.keys``).
    """

    __tablename__ = "readers"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    thread_id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, autoincrement=False, default=0, server_default=text("0")
    )
    chat_type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(256))
    #: The interface locale (``bot.i18n``: ``en``, ``pt_BR``…).
    language: Mapped[str] = mapped_column(String(16), default="en")
    #: Someone chose ``language`` with /language; until then a private chat follows the
    #: user's Telegram language.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Languages of the news wanted (ISO 639-1): None = the default (interface language
    #: plus English), [] = every language.
    news_languages: Mapped[list[str] | None] = mapped_column(JSON)
    timezone: Mapped[str] = mapped_column(String(64))
    digest_time: Mapped[time]
    #: When the next digest is due, in UTC; None while the reader has no schedule.
    next_digest_at: Mapped[datetime | None]
    last_digest_at: Mapped[datetime | None]
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    summary_length: Mapped[int] = mapped_column(Integer, default=3)
    quiet_start: Mapped[time | None]
    quiet_end: Mapped[time | None]
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    subscriptions: Mapped[list[Subscription]] = relationship(
        lazy="raise",
        back_populates="reader",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("summary_length BETWEEN 1 AND 5", name="summary_length"),
        # The digest tick asks "who is due now?" every minute: only active readers count.
        Index(
            "ix_readers_due",
            "next_digest_at",
            postgresql_where=text("NOT paused AND blocked_at IS NULL"),
            sqlite_where=text("NOT paused AND blocked_at IS NULL"),
        ),
    )


class Subscription(Base):
    """A reader follows either a catalogue topic or a keyword query, never both."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    topic_slug: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("topics.slug", ondelete="CASCADE"), index=True
    )
    query: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]

    reader: Mapped[Reader] = relationship(lazy="raise", back_populates="subscriptions")

    __table_args__ = (
        ForeignKeyConstraint(
            ["chat_id", "thread_id"],
            ["readers.chat_id", "readers.thread_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("chat_id", "thread_id", "topic_slug"),
        UniqueConstraint("chat_id", "thread_id", "query"),
        CheckConstraint("(topic_slug IS NULL) <> (query IS NULL)", name="topic_or_query"),
    )


class MutedWord(Base):
    """A word or phrase a reader never wants to see: its stories are left out for them.

    ``folded`` is the compared form (``digest.mutes.folded_phrase``): two spellings of one
    phrase ("Fußball", "FUSSBALL") are one row. ``thread_id`` is the forum topic the
    reader lives in (0 for the chat itself).
    """

    __tablename__ = "muted_words"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    #: As the reader typed it (quotes and extra spaces removed), to show back.
    phrase: Mapped[str] = mapped_column(String(100))
    folded: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]

    __table_args__ = (
        ForeignKeyConstraint(
            ["chat_id", "thread_id"],
            ["readers.chat_id", "readers.thread_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("chat_id", "thread_id", "folded"),
    )


class Digest(Base):
    """The ledger: one row per reader per due time, whatever happens to the sending."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    due_at: Mapped[datetime]
    #: pending → sending → sent | empty | failed (see the README's delivery protocol).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    #: The rendered messages, stored before the first is sent so a restart resends nothing.
    messages: Mapped[list[str]] = mapped_column(default=list)
    messages_sent: Mapped[int] = mapped_column(Integer, default=0)
    #: Each message's inline keyboard as rows of [label, callback data] (None: no
    #: keyboard), stored with the messages so a resend after a restart has the same buttons.
    keyboards: Mapped[list[Any] | None] = mapped_column(JSON)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    __table_args__ = (
        ForeignKeyConstraint(
            ["chat_id", "thread_id"],
            ["readers.chat_id", "readers.thread_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("chat_id", "thread_id", "due_at"),
        Index("ix_digests_status_claimed", "status", "claimed_at"),
    )


class Delivery(Base):
    """An article that reached a reader. Outlives the article (no foreign key to it)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    article_id: Mapped[int] = mapped_column(BigInteger)
    story_id: Mapped[int | None] = mapped_column(BigInteger)
    digest_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("digests.id", ondelete="SET NULL"), index=True
    )
    delivered_at: Mapped[datetime]
    #: How many outlets told the story when it was sent (None: sent before this was
    #: kept), so ``digest.returns`` can tell whether it grew since.
    outlets: Mapped[int | None] = mapped_column(Integer)
    #: The item was the story coming back once more, marked "Update:".
    is_update: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    __table_args__ = (
        ForeignKeyConstraint(
            ["chat_id", "thread_id"],
            ["readers.chat_id", "readers.thread_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("chat_id", "thread_id", "article_id"),
        Index("ix_deliveries_chat_story", "chat_id", "thread_id", "story_id"),
    )


class IngestRun(Base):
    """One ingest cycle and what it did, for `newsbot sources`, /stats and metrics."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    sources_fetched: Mapped[int] = mapped_column(Integer, default=0)
    sources_not_modified: Mapped[int] = mapped_column(Integer, default=0)
    sources_failed: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    stories_merged: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class TelegraphPage(Base):
    """The Telegraph page of an article's full text ("Read here"), created on the first
    press and reused by every reader after. Goes with the article when it is pruned."""

    __tablename__ = "telegraph_pages"

    article_id: Mapped[int] = mapped_column(
        BigId,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    #: The page's path on telegra.ph ("Title-12-06") and its full URL, as Telegraph gave them.
    path: Mapped[str] = mapped_column(String(512))
    url: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime]
