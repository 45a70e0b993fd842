"""Releasing what waits: after a person ends focus, changes their hours or comes back early, the DMs that waited
for those reasons are due again and the sender asks the policy about them anew."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState
from services.attention.kinds import YOUR_DAY_KIND

# Reasons a DM may wait that the person can end themselves; the budget's round-up stays for the morning.
ENDABLE = ("outside working hours", "focus time", "do not disturb")


async def release_waiting(session: AsyncSession, *, workspace_id: int, user: str, now: datetime, back: bool = False
                          ) -> int:  # fmt: skip
    """After a person ends focus, changes their hours or comes back early: their DMs waiting for those reasons are
    due now and asked again (the sender may hold them anew); with `back`, their "while you were away" round-up
    too. Returns how many."""
    mine = (Delivery.workspace_id == workspace_id, Delivery.interrupts == user, Delivery.state == DeliveryState.PENDING)
    later = (Delivery.cleared_at.is_(None), Delivery.next_attempt_at > now)
    held = Delivery.held_reason.in_(ENDABLE) & Delivery.thread_of.is_(None)
    if back:
        away = select(Delivery.thread_of).where(*mine, Delivery.held_reason == "away")
        held = held | (Delivery.held_reason == "away") | (Delivery.kind == YOUR_DAY_KIND) & Delivery.key.in_(away)
    result = await session.execute(
        update(Delivery)
        .where(*mine, *later, held)
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
