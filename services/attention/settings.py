"""Attention settings: the workspace's (daily budget, what urgent DMs do at night; admins change them) and each
person's own (working hours, focus time, a lower budget). The sender asks `effective` before each DM."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AttentionSettings, Person
from models.attention import DEFAULT_BUDGET
from services.attention.hours import WorkingHours, canonical, parse
from services.attention.release import release_waiting
from services.errors import Forbidden, Invalid

BUDGETS = (1, 20)  # what admins may choose: below 1 nothing but urgent would ever go out the same day
FOCUS_CAP = timedelta(hours=12)  # longer than a working day is not focus, it is being away (/checkin away)


def defaults(workspace_id: int) -> AttentionSettings:
    return AttentionSettings(workspace_id=workspace_id, daily_budget=DEFAULT_BUDGET, urgent_outside_hours=True)


async def settings_of(session: AsyncSession, *, workspace_id: int, for_update: bool = False) -> AttentionSettings:
    """The stored row, or the defaults (not stored) when nobody has changed anything yet."""
    query = select(AttentionSettings).where(AttentionSettings.workspace_id == workspace_id)
    found = await session.scalar(query.with_for_update() if for_update else query)
    return found or defaults(workspace_id)


async def change(session: AsyncSession, *, workspace_id: int, actor: Person, daily_budget: int | None = None,
                 urgent_outside_hours: bool | None = None) -> AttentionSettings:  # fmt: skip
    """Admins only; checked before anything is stored."""
    if not actor.is_admin:
        raise Forbidden("change the workspace's attention settings")
    low, high = BUDGETS
    if daily_budget is not None and not low <= daily_budget <= high:
        raise Invalid({"budget": f"Choose a daily budget between {low} and {high} DMs."})
    settings = await settings_of(session, workspace_id=workspace_id, for_update=True)
    if settings.id is None:
        session.add(settings)
    if daily_budget is not None:
        settings.daily_budget = daily_budget
    if urgent_outside_hours is not None:
        settings.urgent_outside_hours = urgent_outside_hours
    settings.updated_by_id = actor.id
    await session.flush()
    return settings


async def effective(session: AsyncSession, workspace_id: int, person: Person | None) -> tuple[int, bool]:
    """(daily budget, whether urgent DMs go outside working hours) for `person` (None: someone never stored):
    their own budget when it is lower than the workspace's, which may have been lowered since they chose theirs."""
    settings = await settings_of(session, workspace_id=workspace_id)
    budget = settings.daily_budget
    if person is not None and person.nudge_budget is not None:
        budget = min(budget, person.nudge_budget)
    return budget, settings.urgent_outside_hours


# A person's own ---------------------------------------------------------------------------------------------


async def set_hours(session: AsyncSession, *, person: Person, typed: str | None, now: datetime) -> WorkingHours:
    """Stores the hours `typed` (None: back to the default); Invalid with the reason when they cannot be read.
    DMs waiting for the old hours are asked about again now."""
    hours = parse(typed) if typed is not None else WorkingHours()
    person.work_hours = canonical(hours) if typed is not None else None
    await session.flush()
    await release_waiting(session, workspace_id=person.workspace_id, user=person.slack_user_id, now=now)
    return hours


async def set_budget(session: AsyncSession, *, workspace_id: int, person: Person, budget: int | None) -> int:
    """Lowers the person's own daily budget (None: back to the workspace's); returns what now applies."""
    settings = await settings_of(session, workspace_id=workspace_id)
    if budget is not None and not 1 <= budget <= settings.daily_budget:
        raise Invalid({"budget": f"Choose between 1 and {settings.daily_budget}, the workspace's budget: "
                                 "yours can be lower, not higher."})  # fmt: skip
    person.nudge_budget = budget
    await session.flush()
    return budget if budget is not None else settings.daily_budget


async def set_focus(session: AsyncSession, *, person: Person, until: datetime | None, now: datetime) -> None:
    """Focus until `until` (None: off). Checked: in the future, and no longer than FOCUS_CAP."""
    if until is not None and until <= now:
        raise Invalid({"focus": "That time has already passed today; pick a later one."})
    if until is not None and until - now > FOCUS_CAP:
        hours = int(FOCUS_CAP.total_seconds() // 3600)
        raise Invalid({"focus": f"Focus time lasts at most {hours} hours; for longer, use `/checkin away`."})
    ended = person.focus_until is not None and (until is None or until < person.focus_until)
    person.focus_until = until
    await session.flush()
    if ended:  # what waited for the focus to end is due when it ends
        await release_waiting(session, workspace_id=person.workspace_id, user=person.slack_user_id, now=now)
