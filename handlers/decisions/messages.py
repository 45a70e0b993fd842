"""What decisions tell people: the card in the channel, notes in its thread, and direct messages.

Listeners post and redraw the card with chat.update at once, not through the outbox: the person who pressed
sees the result at once, each redraw carries the whole card (so a failed one is repaired by the next), and
redraws of one decision cannot overtake each other. Messages that must not be lost (the people told once, the
walk's pings and its card redraws) are queued in the outbox, under keys that make a repeat send nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import INVITE
from handlers.decisions.blocks.card import card_message
from handlers.decisions.blocks.dms import (
    Skipped,
    asked_dm,
    closed_dm,
    level_dm,
    level_tail,
    nudge_dm,
    rescheduled_dm,
    thread_note,
)
from handlers.kit.replies import SLACK_FAILURES
from models import Decision, DecisionRole, Person, Workspace
from models.escalation import DEFAULT_ACK_WINDOW_MINUTES
from services import outbox, people
from services.attention.policy import Urgency
from services.decisions.reach import Reach
from services.decisions.walk import Ping, decision_key

log = logging.getLogger(__name__)
SLACK_TIMEOUT = 1.5  # seconds for a card redraw or a thread post; the listener must answer within Slack's 3 s
NUDGE_KIND = "decision.nudge"
LEVEL_KIND = "decision.escalation"
TELL_KIND = "decision.tell"
CARD_KIND = "decision.card"


# the card and its thread, at once --------------------------------------------------------------------------------


async def post_card(client: AsyncWebClient, decision: Decision, now: datetime, zone: ZoneInfo) -> str | None:
    """Posts the card where the decision was asked (the asker's DM when asked from the Home tab); returns a
    note for the asker when that failed. `zone` is the decider's."""
    channel = decision.channel_id or (decision.created_by.slack_user_id if decision.created_by else None)
    if not channel:
        return None
    message = card_message(decision, now, zone=zone)
    try:
        answer = await asyncio.wait_for(client.chat_postMessage(channel=channel, **message), SLACK_TIMEOUT)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        log.warning("posting the card of %s in %s failed: %s", decision.ref, channel, error)
        if error == "not_in_channel":
            return f"I couldn't post its card in <#{channel}>: invite me there with `{INVITE}`."
        return f"I couldn't post its card in <#{channel}> (Slack said `{error}`); `/decision {decision.ref}` shows it."
    except SLACK_FAILURES as exc:
        log.warning("posting the card of %s failed: %r", decision.ref, exc)
        return f"Slack did not answer in time, so its card may be missing; `/decision {decision.ref}` shows it."
    decision.card_channel, decision.card_ts = answer.get("channel") or channel, answer.get("ts")
    return None


async def refresh_card(
    client: AsyncWebClient, decision: Decision, now: datetime, zone: ZoneInfo, paused_until: datetime | None = None
) -> None:
    """Redraws the card in the channel; the change stands even if the redraw fails (the next one repairs it)."""
    if not decision.card_ts or not decision.card_channel:
        return
    message = card_message(decision, now, zone=zone, paused_until=paused_until)
    try:
        await asyncio.wait_for(
            client.chat_update(channel=decision.card_channel, ts=decision.card_ts, **message), SLACK_TIMEOUT
        )
    except SLACK_FAILURES as exc:
        log.warning("redrawing the card of %s failed: %r", decision.ref, exc)


async def post_in_thread(client: AsyncWebClient, args: dict[str, Any]) -> str | None:
    """A note in the card's thread; returns Slack's error, if any."""
    try:
        await asyncio.wait_for(client.chat_postMessage(**args), SLACK_TIMEOUT)
    except SlackApiError as exc:
        return str(exc.response.get("error"))
    except SLACK_FAILURES as exc:
        log.warning("posting in a decision's thread failed: %r", exc)
        return "no answer from Slack"
    return None


async def note_in_thread(client: AsyncWebClient, decision: Decision, text: str) -> None:
    """A note under the card, when there is a card."""
    if decision.card_ts:
        await post_in_thread(client, {"channel": decision.card_channel, "thread_ts": decision.card_ts, "text": text})


# through the outbox ------------------------------------------------------------------------------------------------


async def queue_card_redraw(
    session: AsyncSession,
    decision: Decision,
    key: str,
    now: datetime,
    zone: ZoneInfo,
    batch: outbox.Batch | None = None,
) -> None:
    """The walk's redraw of the card (overdue, escalated), under the key of the ping that caused it; into `batch`
    when given (the caller writes it)."""
    await _queue(
        session,
        batch,
        workspace_id=decision.workspace_id,
        key=f"{key}:card",
        kind=CARD_KIND,
        method="chat.update",
        args={"channel": decision.card_channel, "ts": decision.card_ts, **card_message(decision, now, zone=zone)},
        not_before=now,
    )


async def _queue(session: AsyncSession, batch: outbox.Batch | None, **delivery: Any) -> None:
    if batch is None:
        await outbox.enqueue(session, **delivery)
    else:
        batch.add(**delivery)


def _due_today(decision: Decision, now: datetime, zone: ZoneInfo) -> bool:
    """Due today (or overdue) in the decider's zone: their nudges are urgent and reach them even at night."""
    return decision.deadline.astimezone(zone).date() <= now.astimezone(zone).date()


async def queue_ping(
    session: AsyncSession,
    decision: Decision,
    ping: Ping,
    *,
    reach: Reach,
    now: datetime,
    zone: ZoneInfo,
    batch: outbox.Batch | None = None,
) -> None:
    """A ping's direct messages, and for a level its note in the card's thread; into `batch` when given."""
    owner = decision.created_by.slack_user_id if decision.created_by else None
    window = timedelta(minutes=decision.policy.ack_window_minutes if decision.policy else DEFAULT_ACK_WINDOW_MINUTES)
    # Everything below a level DM's first line is the same for each of its people: built once.
    tail = level_tail(decision, now, ack_window=window) if ping.is_level and reach.reached else None
    for person in reach.reached:
        if ping.is_level:
            args, kind = level_dm(decision, ping, person.slack_user_id, now, ack_window=window, tail=tail), LEVEL_KIND
        else:
            args, kind = nudge_dm(decision, ping, person.slack_user_id, now, zone), NUDGE_KIND
        await _queue(
            session,
            batch,
            workspace_id=decision.workspace_id,
            key=f"{ping.key}:dm:{person.slack_user_id}",
            kind=kind,
            method="chat.postMessage",
            args=args,
            not_before=now,
            owner=owner,
            urgency=Urgency.URGENT if _due_today(decision, now, zone) else None,
        )
    if ping.is_level and (decision.card_channel or decision.channel_id):
        skipped = Skipped(
            left=[p.slack_user_id for p in reach.left],
            away={p.slack_user_id: p.away_until for p in reach.away if p.away_until},
            moves_on=reach.moves_on,
        )
        await _queue(
            session,
            batch,
            workspace_id=decision.workspace_id,
            key=f"{ping.key}:thread",
            kind=LEVEL_KIND,
            method="chat.postMessage",
            args=thread_note(decision, ping, [p.slack_user_id for p in reach.reached], skipped),
            not_before=now,
            owner=owner,
        )


# told once -------------------------------------------------------------------------------------------------------


async def tell_asked(session: AsyncSession, *, decision: Decision, now: datetime) -> int:
    """The decider (unless they asked it themselves) and everyone named in it hear of it once."""
    recipients: list[tuple[Person, DecisionRole | None]] = []
    if decision.created_by_id != decision.decider_id:
        recipients.append((decision.decider, None))
    recipients += [(m.person, m.role) for m in decision.members if m.person_id != decision.created_by_id]
    workspace = await session.get(Workspace, decision.workspace_id)
    assert workspace is not None
    for person, role in recipients:
        if not people.reachable(person):
            continue
        zone = people.person_zone(person, workspace)
        due_today = person.id == decision.decider_id and _due_today(decision, now, zone)
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=decision_key(decision.token, f"asked:{person.slack_user_id}"),
            kind=TELL_KIND,
            method="chat.postMessage",
            args=asked_dm(decision, role, person.slack_user_id, now),
            not_before=now,
            urgency=Urgency.URGENT if due_today else None,  # they have today to decide: they hear now
        )
    return len(recipients)


async def tell_closed(
    session: AsyncSession, *, decision: Decision, actor: Person, now: datetime, reason: str | None = None
) -> int:
    """Everyone named in it hears once (per round) that it was decided, or withdrawn and why."""
    recipients = [m.person for m in decision.members if m.person_id != actor.id and people.reachable(m.person)]
    if decision.decider_id != actor.id and people.reachable(decision.decider):
        recipients.append(decision.decider)
    for person in recipients:
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=decision_key(decision.token, f"closed:{decision.round}:{person.slack_user_id}"),
            kind=TELL_KIND,
            method="chat.postMessage",
            args=closed_dm(decision, person.slack_user_id, reason),
            not_before=now,
        )
    return len(recipients)


async def tell_rescheduled(
    session: AsyncSession,
    *,
    decision: Decision,
    actor: Person,
    now: datetime,
    was: datetime | None = None,
    reason: str | None = None,
) -> int:
    """The decider and the responsible (not whoever made the change) hear once that the deadline moved, or that
    it was reopened. Decision numbers and rounds are never reused, so neither is the key."""
    recipients = [decision.decider, *decision.people_in(DecisionRole.RESPONSIBLE)]
    told = [p for p in {p.id: p for p in recipients}.values() if p.id != actor.id and people.reachable(p)]
    for person in told:
        await outbox.enqueue(
            session,
            workspace_id=decision.workspace_id,
            key=f"decision:{decision.ref}:round:{decision.round}:rescheduled:{person.slack_user_id}",
            kind=TELL_KIND,
            method="chat.postMessage",
            args=rescheduled_dm(decision, actor.slack_user_id, person.slack_user_id, now, was=was, reason=reason),
            not_before=now,
        )
    return len(told)
