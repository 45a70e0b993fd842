"""Per-workspace counters behind the short refs people type (O-12, P-3)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RefCounter(Base):
    __tablename__ = "ref_counter"

    # One row per (workspace, kind); incrementing it inside the creating transaction hands out each number once,
    # even when two people create at the same moment (the row lock serialises them on PostgreSQL).
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
