"""Organisation-level priorities, ranked; outcomes cascade from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped

PRIORITY_PREFIX = "P"


class Priority(Timestamped, Base):
    __tablename__ = "priority"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # the n of P-n, per workspace
    title: Mapped[str] = mapped_column(String(150))
    rank: Mapped[int]  # 1 is the top priority; archived ones keep their last rank
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None]

    @property
    def ref(self) -> str:
        return f"{PRIORITY_PREFIX}-{self.number}"
