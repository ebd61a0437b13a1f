"""Muted words: phrases a reader never wants to see (/mute, /unmute, /mutes).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "muted_words",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("phrase", sa.String(length=100), nullable=False),
        sa.Column("folded", sa.String(length=200), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id", "thread_id"],
            ["readers.chat_id", "readers.thread_id"],
            name=op.f("fk_muted_words_chat_id_readers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_muted_words")),
        sa.UniqueConstraint(
            "chat_id", "thread_id", "folded", name=op.f("uq_muted_words_chat_id_thread_id_folded")
        ),
    )


def downgrade() -> None:
    op.drop_table("muted_words")
