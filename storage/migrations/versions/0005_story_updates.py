"""Story updates: what each delivery showed of its story, and whether it was an update.

``deliveries.outlets`` is how many outlets told the story when it reached the reader, so a
later digest can tell whether the story grew; ``deliveries.is_update`` marks the one time
a story came back as "Update:". Both sit on the deliveries ledger (keyed like it, by chat),
so nothing new is read per reader.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        # Rows sent before this revision do not know their outlets: NULL, never guessed
        # (a guess of 1 would bring back every story that has grown to four outlets).
        batch.add_column(sa.Column("outlets", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("is_update", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("is_update")
        batch.drop_column("outlets")
