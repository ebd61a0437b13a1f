"""Readers' languages: whether the interface language was chosen, and the news languages.

``language_chosen``: false while the interface follows the reader's Telegram language
(private chats) or the language the group was created with; true once someone chose it
with /language. Existing rows keep their language, not chosen.

``news_languages``: the languages of articles the reader wants (/languages), a JSON list
of codes; NULL is the default (the interface language plus English), [] means all.

``ix_articles_language_published`` answers "is there recent news in this language?" (for
those defaults) with a point lookup.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("news_languages", sa.JSON(), nullable=True))
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_articles_language_published", ["language", "published_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_language_published")
    with op.batch_alter_table("readers", schema=None) as batch_op:
        batch_op.drop_column("news_languages")
        batch_op.drop_column("language_chosen")
