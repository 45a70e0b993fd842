"""The outbox's question before a new DM goes: may it interrupt its person now? Asked by the sender for a row
it has claimed, answered by the policy with what is stored about the person, and carried out on the row in
the same transaction, so a crash leaves it either still claimed (taken up again when the lease ends) or
decided, never half-way.

The person's row is locked while their day's count is read and the row marked, so two senders cannot both
send the third DM of a three-DM day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState, Person, Workspace
from services import people
from services.attention import settings, your_day
from services.attention.hours import stored
from services.attention.kinds import YOUR_DAY_KIND
from services.attention.policy import Decision, Urgency, Verdict, decide
from services.attention.policy import Person as Recipient


@dataclass(frozen=True)
class Cleared:
    decision: Decision
    kept: bool  # False: the claim was lost meanwhile (another sender has the row); nothing was changed


async def recipient(
    session: AsyncSession, *, workspace_id: int, user: str, now: datetime, dnd_until: datetime | None, lock: bool
) -> tuple[Recipient, bool]:
    """What the policy needs to know of `user`, and whether urgent messages go outside working hours."""
    workspace = await session.get(Workspace, workspace_id)
    assert workspace is not None
    query = select(Person).where(Person.workspace_id == workspace_id, Person.slack_user_id == user)
    person = await session.scalar(query.with_for_update() if lock else query)
    budget, urgent_at_night = await settings.effective(session, workspace_id, person)
    zone = people.person_zone(person, workspace) if person else ZoneInfo(workspace.timezone)
    day = now.astimezone(zone).date()
    sent_today = await _sent_on(session, workspace_id=workspace_id, user=user, day=day, zone=zone)
    if person is None:  # someone we have never stored: the workspace's zone and the defaults
        return Recipient(zone, budget=budget, sent_today=sent_today, dnd_until=dnd_until), urgent_at_night
    found = Recipient(
        zone,
        hours=stored(person.work_hours),
        budget=budget,
        sent_today=sent_today,
        focus_until=person.focus_until,
        dnd_until=dnd_until,
        away_until=person.away_until,
    )
    return found, urgent_at_night


async def _sent_on(session: AsyncSession, *, workspace_id: int, user: str, day: date, zone: ZoneInfo) -> int:
    """DMs let through to `user` on their local `day`, urgent ones too: what the day's budget counts."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    query = select(func.count()).where(
        Delivery.workspace_id == workspace_id,
        Delivery.interrupts == user,
        Delivery.cleared_at >= start,
        Delivery.cleared_at < end,
    )
    return await session.scalar(query) or 0


async def clear(
    session: AsyncSession, *, delivery: Delivery, claimer: str, now: datetime, dnd_until: datetime | None
) -> Cleared:
    """Decide for a claimed row and carry it out: mark it cleared to send, hold it until a moment, or move it
    into its person's "your day" round-up."""
    assert delivery.interrupts is not None and delivery.urgency is not None
    person, urgent_at_night = await recipient(
        session, workspace_id=delivery.workspace_id, user=delivery.interrupts, now=now, dnd_until=dnd_until, lock=True
    )
    round_up = delivery.kind == YOUR_DAY_KIND
    decision = decide(
        Urgency(delivery.urgency), person, now, urgent_outside_hours=urgent_at_night, budgeted=not round_up
    )
    mine = (
        Delivery.id == delivery.id,
        Delivery.state == DeliveryState.SENDING,
        Delivery.claimed_by == claimer,
    )
    if decision.verdict is Verdict.SEND:
        result = await session.execute(update(Delivery).where(*mine).values(cleared_at=now))
        return Cleared(decision, result.rowcount == 1)
    assert decision.until is not None
    values = {
        "state": DeliveryState.PENDING,
        "next_attempt_at": decision.until,
        "held_reason": decision.reason,
        "claimed_by": None,
        "claimed_until": None,
    }
    if decision.verdict is Verdict.ROUND_UP and not round_up:
        parent = await your_day.parent_for(
            session, workspace_id=delivery.workspace_id, user=delivery.interrupts, at=decision.until, zone=person.zone
        )
        values |= {"thread_of": parent.key, "next_attempt_at": parent.next_attempt_at}
    result = await session.execute(update(Delivery).where(*mine).values(**values))
    return Cleared(decision, result.rowcount == 1)
