"""open work indexes: the outbox's open rows (/metrics), its history by age (housekeeping), a period's updates

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 21:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ONLY = sa.text("state IN ('pending', 'sending')")


def upgrade() -> None:
    op.create_index(
        "ix_delivery_open", "delivery", ["state", "due_at"], postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY
    )
    op.create_index("ix_delivery_created_at", "delivery", ["created_at"])
    op.create_index("ix_progress_update_workspace_created", "progress_update", ["workspace_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_progress_update_workspace_created", table_name="progress_update")
    op.drop_index("ix_delivery_created_at", table_name="delivery")
    op.drop_index("ix_delivery_open", table_name="delivery")
