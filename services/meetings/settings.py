"""The workspace's meeting settings: how long before the start the gate looks, whether it only warns or blocks,
when the one pre-read reminder goes, and whether time-box messages are posted. Admins change them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingSettings, Person
from services.errors import Forbidden, Invalid

GATE_HOURS = (2, 168)  # the range admins may choose
REMIND_HOURS = (1, 48)


def defaults(workspace_id: int) -> MeetingSettings:
    return MeetingSettings(workspace_id=workspace_id, gate_hours=24, gate_blocks=False, remind_hours=3,
                           timebox_messages=True)  # fmt: skip


async def settings_of(session: AsyncSession, *, workspace_id: int, for_update: bool = False) -> MeetingSettings:
    """The stored row, or the defaults (not stored) when nobody has changed anything yet."""
    query = select(MeetingSettings).where(MeetingSettings.workspace_id == workspace_id)
    found = await session.scalar(query.with_for_update() if for_update else query)
    return found or defaults(workspace_id)


async def change(session: AsyncSession, *, workspace_id: int, actor: Person, now: datetime,
                 gate_hours: int | None = None, gate_blocks: bool | None = None, remind_hours: int | None = None,
                 timebox_messages: bool | None = None) -> MeetingSettings:  # fmt: skip
    """Admins only; each value checked, nothing stored on a refusal."""
    if not actor.is_admin:
        raise Forbidden("change the meeting settings")
    for value, (low, high), name in ((gate_hours, GATE_HOURS, "gate"), (remind_hours, REMIND_HOURS, "reminder")):
        if value is not None and not low <= value <= high:
            raise Invalid({name: f"Choose between {low} and {high} hours for the {name}."})
    settings = await settings_of(session, workspace_id=workspace_id, for_update=True)
    if settings.id is None:
        session.add(settings)
    for name, value in (("gate_hours", gate_hours), ("gate_blocks", gate_blocks), ("remind_hours", remind_hours),
                        ("timebox_messages", timebox_messages)):  # fmt: skip
        if value is not None:
            setattr(settings, name, value)
    settings.updated_by_id = actor.id
    await session.flush()
    return settings
