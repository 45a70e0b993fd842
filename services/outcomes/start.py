"""Start small: how far a person (and their workspace) has come with the first loop of the practice: one
priority, one outcome with its indicators, a first check-in. The Home tab shows the steps until they are done."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outcome, Person, Priority
from models.checkin import Cadence


@dataclass(frozen=True)
class Start:
    priority: bool  # the workspace has a current priority
    outcome: bool  # the person owns or defined an outcome (every outcome has its leading indicators)
    checkin: bool  # the workspace runs a check-in

    def done(self, *, is_admin: bool) -> bool:
        """Every step the person can take is done; only admins add priorities, so they alone wait on that one."""
        return self.outcome and self.checkin and (self.priority or not is_admin)


async def start_state(session: AsyncSession, *, workspace_id: int, person: Person) -> Start:
    priority = exists().where(Priority.workspace_id == workspace_id, Priority.archived_at.is_(None))
    outcome = exists().where(
        Outcome.workspace_id == workspace_id, or_(Outcome.owner_id == person.id, Outcome.created_by_id == person.id)
    )
    checkin = exists().where(Cadence.workspace_id == workspace_id)
    row = (await session.execute(select(priority, outcome, checkin))).one()
    return Start(*(bool(value) for value in row))
