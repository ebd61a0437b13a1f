"""Forum topics: a reader is (chat_id, thread_id); its rows carry the thread too.

A forum supergroup's topic threads are readers of their own (thread 0 is the chat
itself), so ``readers`` gets ``thread_id`` in its primary key, and ``subscriptions``,
``digests`` and ``deliveries`` get ``thread_id`` with a composite foreign key to it. Every
existing row becomes thread 0: nothing changes for a chat until someone writes in a topic.

The child tables' foreign keys are dropped before ``readers`` is rebuilt and added back
after: on SQLite, batch mode rebuilds a table by copying and dropping it, and dropping a
referenced table with ``PRAGMA foreign_keys=ON`` would cascade into its children.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Each child table's unique constraints that start with chat_id: (suffix, columns after).
_UNIQUES: dict[str, tuple[str, ...]] = {
    "subscriptions": ("topic_slug", "query"),
    "digests": ("due_at",),
    "deliveries": ("article_id",),
}
_DUE_WHERE = sa.text("NOT paused AND blocked_at IS NULL")


def _thread_column() -> sa.Column[int]:
    return sa.Column("thread_id", sa.BigInteger(), server_default=sa.text("0"), nullable=False)


def _drop_child_keys(*, threaded: bool) -> None:
    """Drop the children's foreign keys to readers, and the uniques and index on chat_id."""
    prefix = "chat_id_thread_id" if threaded else "chat_id"
    for table, uniques in _UNIQUES.items():
        if table == "deliveries":
            op.drop_index("ix_deliveries_chat_story", table_name="deliveries")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_chat_id_readers", type_="foreignkey")
            for column in uniques:
                batch_op.drop_constraint(f"uq_{table}_{prefix}_{column}", type_="unique")


def _create_child_keys(*, threaded: bool) -> None:
    key = ["chat_id", "thread_id"] if threaded else ["chat_id"]
    prefix = "_".join(key)
    for table, uniques in _UNIQUES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                f"fk_{table}_chat_id_readers", "readers", key, key, ondelete="CASCADE"
            )
            for column in uniques:
                batch_op.create_unique_constraint(f"uq_{table}_{prefix}_{column}", [*key, column])
        if table == "deliveries":
            op.create_index(
                "ix_deliveries_chat_story", "deliveries", [*key, "story_id"], unique=False
            )


def upgrade() -> None:
    _drop_child_keys(threaded=False)
    for table in _UNIQUES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_thread_column())
    # The partial index is dropped and made again: SQLite's batch copy would lose its WHERE.
    op.drop_index("ix_readers_due", table_name="readers")
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.add_column(_thread_column())
        batch_op.drop_constraint("pk_readers", type_="primary")
        batch_op.create_primary_key("pk_readers", ["chat_id", "thread_id"])
    op.create_index(
        "ix_readers_due",
        "readers",
        ["next_digest_at"],
        unique=False,
        postgresql_where=_DUE_WHERE,
        sqlite_where=_DUE_WHERE,
    )
    _create_child_keys(threaded=True)


def downgrade() -> None:
    # A chat has one reader again: the forum topics' own readers (and their rows) go.
    for table in ("subscriptions", "digests", "deliveries", "readers"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE thread_id <> 0"))
    _drop_child_keys(threaded=True)
    for table in _UNIQUES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("thread_id")
    op.drop_index("ix_readers_due", table_name="readers")
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.drop_constraint("pk_readers", type_="primary")
        batch_op.create_primary_key("pk_readers", ["chat_id"])
        batch_op.drop_column("thread_id")
    op.create_index(
        "ix_readers_due",
        "readers",
        ["next_digest_at"],
        unique=False,
        postgresql_where=_DUE_WHERE,
        sqlite_where=_DUE_WHERE,
    )
    _create_child_keys(threaded=False)
