"""Decisions' scheduled work: "which decisions have a ping due now?", and every message about a decision that
goes through the outbox.

The job derives what is due from the database (services/escalation.py plans the pings from the deadline, the
path and the timeline), records each ping on the decision's timeline under its key and enqueues its
messages under keys derived from it, in one transaction per decision. A missed run catches up (one level at a
time, the rest of the walk moving with it); a repeated or concurrent run finds the keys taken and sends
nothing. Deciding, withdrawing and moving the deadline cancel what is pending (services/decisions.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.blocks.decision import asked_dm, card_message, closed_dm, level_dm, nudge_dm, thread_note
from models import Decision, DecisionRole, Person, Workspace
from models.escalation import DEFAULT_ACK_WINDOW_MINUTES
from services import decisions, escalation, outbox, people
from services.escalation import DEADLINE_NUDGE, Ping

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "decisions.walk"
JOB_SECONDS = 30.0
NUDGE_KIND = "decision.nudge"
LEVEL_KIND = "decision.escalation"
TELL_KIND = "decision.tell"
CARD_KIND = "decision.card"


async def walk_due(ctx: JobContext) -> int:
    """Send every ping due now, decision by decision; returns how many pings were sent."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await decisions.due_decision_ids(session, now=now)
    sent = 0
    for decision_id in due:
        try:
            async with ctx.sessions.begin() as session:
                sent += await walk_one(session, decision_id=decision_id, now=now)
        except Exception:  # one broken decision must not hold up the others; it is retried next run
            log.exception("walking decision %s failed", decision_id)
    return sent


async def walk_one(session: AsyncSession, *, decision_id: int, now: datetime) -> int:
    # The row lock makes a second scheduler (or a button press) wait, then see what this one recorded.
    decision = await decisions.load(session, decision_id, for_update=True)
    if decision is None:
        return 0
    if not decision.is_open:
        decision.next_ping_at = None
        return 0
    workspace = await session.get(Workspace, decision.workspace_id)
    assert workspace is not None
    zone = people.person_zone(decision.decider, workspace)
    walk = await decisions.walk_for(session, decision)
    sent: list[Ping] = []
    for ping in escalation.due(walk, now):
        if await send_ping(session, decision, ping, now=now, zone=zone):
            walk = decisions.with_fired(walk, ping.key, now)
            sent.append(ping)
    redraw = [p for p in sent if p.is_level or p.number == DEADLINE_NUDGE]
    if redraw and decision.card_ts:
        # Overdue, escalated: the card says so. One redraw per run, so two can never arrive out of order.
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"{redraw[-1].key}:card",
            kind=CARD_KIND,
            method="chat.update",
            args={"channel": decision.card_channel, "ts": decision.card_ts, **card_message(decision, now, zone=zone)},
            not_before=now,
        )
    await decisions.refresh_schedule(session, decision, now, walk)
    return len(sent)


async def send_ping(session: AsyncSession, decision: Decision, ping: Ping, *, now: datetime, zone: ZoneInfo) -> bool:
    """Record the ping on the timeline and queue its messages; False if it was recorded already."""
    found = await decisions.people_by_id(session, workspace_id=decision.workspace_id, ids=list(ping.people))
    targets = [found[i] for i in ping.people if i in found]
    # Someone who has left Slack cannot be reached: skip them, and say so on the timeline and in the thread.
    reached = [p for p in targets if not p.is_deleted]
    skipped = [p for p in targets if p.is_deleted]
    event = await decisions.record_ping(
        session, decision=decision, ping=ping, now=now, reached=reached, skipped=skipped
    )
    if event is None:
        return False
    owner = decision.created_by.slack_user_id if decision.created_by else None
    window = timedelta(minutes=decision.policy.ack_window_minutes if decision.policy else DEFAULT_ACK_WINDOW_MINUTES)
    for person in reached:
        if ping.is_level:
            args, kind = level_dm(decision, ping, person.slack_user_id, now, ack_window=window), LEVEL_KIND
        else:
            args, kind = nudge_dm(decision, ping, person.slack_user_id, now, zone), NUDGE_KIND
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"{ping.key}:dm:{person.slack_user_id}",
            kind=kind,
            method="chat.postMessage",
            args=args,
            not_before=now,
            owner=owner,
        )
    if ping.is_level and (decision.card_channel or decision.channel_id):
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"{ping.key}:thread",
            kind=LEVEL_KIND,
            method="chat.postMessage",
            args=thread_note(decision, ping, [p.slack_user_id for p in reached], [p.slack_user_id for p in skipped]),
            not_before=now,
            owner=owner,
        )
    return True


# told once -------------------------------------------------------------------------------------------------------


async def tell_asked(session: AsyncSession, *, decision: Decision, now: datetime) -> int:
    """The decider (unless they asked it themselves) and everyone named in it hear of it once."""
    recipients: list[tuple[Person, DecisionRole | None]] = []
    if decision.created_by_id != decision.decider_id:
        recipients.append((decision.decider, None))
    recipients += [(m.person, m.role) for m in decision.members if m.person_id != decision.created_by_id]
    for person, role in recipients:
        if person.is_deleted:
            continue
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"decision:{decision.id}:asked:{person.slack_user_id}",
            kind=TELL_KIND,
            method="chat.postMessage",
            args=asked_dm(decision, role, person.slack_user_id, now),
            not_before=now,
        )
    return len(recipients)


async def tell_closed(
    session: AsyncSession, *, decision: Decision, actor: Person, now: datetime, reason: str | None = None
) -> int:
    """Everyone named in it hears once (per round) that it was decided, or withdrawn and why."""
    recipients = [m.person for m in decision.members if m.person_id != actor.id and not m.person.is_deleted]
    if decision.decider_id != actor.id and not decision.decider.is_deleted:
        recipients.append(decision.decider)
    for person in recipients:
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"decision:{decision.id}:closed:{decision.round}:{person.slack_user_id}",
            kind=TELL_KIND,
            method="chat.postMessage",
            args=closed_dm(decision, person.slack_user_id, reason),
            not_before=now,
        )
    return len(recipients)


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, walk_due, seconds=JOB_SECONDS)
