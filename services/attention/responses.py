"""Recording that a person answered a DM the bot started (pressed one of its buttons, or replied to it), so the
noise report can tell the nudges people act on from the ones they ignore. Only the first answer is kept.

Each lookup starts from (workspace, person interrupted): the outbox's `ix_delivery_interrupts` index."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState

DM_REPLY_WINDOW = timedelta(hours=24)  # a message in the DM answers the latest nudge only if it is this recent


async def _mark(session: AsyncSession, delivery_id: int | None, now: datetime) -> bool:
    if delivery_id is None:
        return False
    # One statement, and only while unset: a second press or a racing request cannot move the first answer.
    marked = await session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.responded_at.is_(None)).values(responded_at=now)
    )
    return bool(marked.rowcount)


async def answered_message(session: AsyncSession, *, workspace_id: int, user: str, channel: str, ts: str,
                           now: datetime) -> bool:  # fmt: skip
    """`user` pressed a button on, or replied in the thread of, the message `ts` in `channel`; True when that
    message is a DM that interrupted them and had no answer yet."""
    found = await session.scalar(
        select(Delivery.id).where(
            Delivery.workspace_id == workspace_id,
            Delivery.interrupts == user,
            Delivery.slack_channel == channel,
            Delivery.slack_ts == ts,
        )
    )
    return await _mark(session, found, now)


async def answered_in_dm(session: AsyncSession, *, workspace_id: int, user: str, channel: str,
                         now: datetime) -> bool:  # fmt: skip
    """`user` wrote in their DM with the bot: it answers the latest DM the bot sent them there, within a day."""
    found = await session.scalar(
        select(Delivery.id)
        .where(
            Delivery.workspace_id == workspace_id,
            Delivery.interrupts == user,
            Delivery.slack_channel == channel,
            Delivery.state == DeliveryState.SENT,
            Delivery.sent_at >= now - DM_REPLY_WINDOW,
            Delivery.sent_at <= now,
        )
        .order_by(Delivery.sent_at.desc(), Delivery.id.desc())
        .limit(1)
    )
    return await _mark(session, found, now)
