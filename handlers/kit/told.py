""" "I've let them know", or, when the attention policy will hold that DM, when it will reach them: so whoever
assigned or asked something isn't left thinking the bot is silent or broken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import mention, slack_moment
from models import Person
from services.attention import clearing
from services.attention.policy import Urgency, Verdict, decide

WHY = {
    "outside working hours": "it's outside their working hours, so it reaches them when their day starts",
    "focus time": "they're in focus time, so it reaches them when that ends",
    "over today's budget": "they've had today's share of messages, so it comes in their round-up",
    "away": "they're away, so it comes in their round-up when they're back",
}


async def told_note(session: AsyncSession, *, person: Person, now: datetime, urgency: Urgency = Urgency.NORMAL) -> str:
    """What to tell the sender of a DM to `person` queued now."""
    later = await held(session, person=person, now=now, urgency=urgency)
    if later is None:
        return f"I've let {mention(person.slack_user_id)} know."
    return f"I'll let {mention(person.slack_user_id)} know: {later}."


async def held(
    session: AsyncSession, *, person: Person, now: datetime, urgency: Urgency = Urgency.NORMAL
) -> str | None:
    """None when a DM to `person` queued now goes at once; else why it waits and until when."""
    recipient, urgent_at_night = await clearing.recipient(
        session, workspace_id=person.workspace_id, user=person.slack_user_id, now=now, dnd_until=None, lock=False
    )
    decision = decide(urgency, recipient, now, urgent_outside_hours=urgent_at_night)
    if decision.verdict is Verdict.SEND or decision.until is None:
        return None
    return f"{WHY.get(decision.reason, 'it waits for a better moment')} ({slack_moment(decision.until)})"
