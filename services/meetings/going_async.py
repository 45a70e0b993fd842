"""Making a meeting async: instead of being held, it becomes a thread that asks for written input on each agenda
item by a deadline; and a `decide` item of such a meeting becoming a decision (D-n) with its owner as decider.

The thread's messages are outbox deliveries under the keys built here (`async_key`): the thread's first message,
one reply per item, each attendee's ask, the summary. Slack's ts of each is learnt from its delivery once sent,
so nothing is posted from a request and a retry or a restart posts nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgendaItem,
    Decision,
    ItemKind,
    Meeting,
    MeetingEventKind,
    MeetingInput,
    MeetingStatus,
    Person,
    Workspace,
)
from services import decisions, people
from services.decisions import DecisionForm
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings.changes import record
from services.meetings.reading import load
from services.meetings.rules import can_edit, can_make_async, require_before_start, require_scheduled

KEY_PREFIX = "meeting"
THREAD = "thread"
DEADLINE_FIELD = "deadline"
MIN_NOTICE = timedelta(hours=1)  # less than this leaves nobody time to write
MAX_AHEAD = timedelta(days=14)  # further than this, it is no longer instead of a meeting
SUGGEST_NOTICE = timedelta(hours=4)  # a start sooner than this is a poor deadline to suggest
DEADLINE_TIME = time(17, 0)
OUTCOME_TOPIC = "The desired outcome"  # the one question of a meeting made async without an agenda


def async_key(token: str, *parts: str) -> str:
    """The outbox key of one of a meeting's async messages: `meeting:<token>:async:item:2`, `…:ask:U0ALEX`.
    Built from the meeting's token (never handed out again) and Slack's ids, never a row's id."""
    return ":".join((KEY_PREFIX, token, "async", *parts))


def suggested_deadline(meeting: Meeting, zone: ZoneInfo, now: datetime) -> datetime:
    """The meeting's own start, when it leaves time to write; else 17:00 on the next working day in `zone`
    (the organiser's)."""
    if meeting.starts_at - now >= SUGGEST_NOTICE:
        return meeting.starts_at
    day = now.astimezone(zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, DEADLINE_TIME, tzinfo=zone).astimezone(UTC)


def check_deadline(deadline: datetime | None, now: datetime) -> datetime:
    if deadline is None:
        raise Invalid({DEADLINE_FIELD: "Choose when the written input is due."})
    if deadline < now + MIN_NOTICE:
        raise Invalid({DEADLINE_FIELD: "Give people at least an hour to write: choose a later deadline."})
    if deadline > now + MAX_AHEAD:
        raise Invalid({DEADLINE_FIELD: "Choose a deadline within two weeks; input that far off is rarely given."})
    return deadline


def require_async_maker(person: Person, meeting: Meeting) -> None:
    if not can_make_async(person, meeting):
        raise Forbidden(f"make {meeting.ref} async", "its organiser or facilitator",
                        list({p.id: p for p in (meeting.organiser, meeting.facilitator)}.values()))  # fmt: skip


def require_can_go_async(person: Person, meeting: Meeting, now: datetime) -> None:
    """Everything but the deadline: checked when the button is pressed, and again when the form is sent."""
    require_async_maker(person, meeting)
    require_scheduled(meeting, "make async")
    require_before_start(meeting, now, "make it async")


@dataclass(frozen=True)
class MadeAsync:
    meeting: Meeting
    on_outcome_only: bool  # it had no agenda: the thread's first message asks for input on the desired outcome


async def make_async(session: AsyncSession, *, meeting: Meeting, actor: Person, deadline: datetime | None,
                     now: datetime) -> MadeAsync:  # fmt: skip
    """The meeting (locked by the caller) becomes async: its status, its deadline, its history. A meeting without
    agenda items gets one, the desired outcome, so every reply has an item to belong to."""
    require_can_go_async(actor, meeting, now)
    checked = check_deadline(deadline, now)
    meeting.status = MeetingStatus.ASYNC
    meeting.async_deadline = checked
    on_outcome_only = not meeting.items
    if on_outcome_only:
        session.add(AgendaItem(meeting_id=meeting.id, position=1, topic=OUTCOME_TOPIC, owner_id=meeting.organiser_id,
                               minutes=meeting.minutes, kind=ItemKind.DISCUSS))  # fmt: skip
    record(session, meeting, MeetingEventKind.MADE_ASYNC, now, actor, deadline=checked.isoformat())
    await session.flush()
    return MadeAsync(await load(session, meeting.id), on_outcome_only)


# a decide item becomes a decision ----------------------------------------------------------------------------


def item_at(meeting: Meeting, position: int) -> AgendaItem:
    found = next((i for i in meeting.items if i.position == position), None)
    if found is None:
        raise NotFound(f"{meeting.ref}'s item {position}")
    return found


def _require_decision_maker(person: Person, meeting: Meeting, item: AgendaItem) -> None:
    if person.id != item.owner_id and not can_edit(person, meeting):
        owners = list({p.id: p for p in (item.owner, meeting.organiser)}.values())
        raise Forbidden(f"make item {item.position} of {meeting.ref} a decision", "its owner or the organiser", owners)
    if meeting.status is not MeetingStatus.ASYNC:
        raise NotNow(f"{meeting.ref} is {meeting.status.value}; only a meeting made async turns an item into a "
                     "decision this way.")  # fmt: skip
    if item.kind is not ItemKind.DECIDE:
        raise NotNow(f"Item {item.position} of {meeting.ref} is there to {item.kind.value}, not to decide.")


async def _context(session: AsyncSession, meeting: Meeting, item: AgendaItem) -> str:
    query = select(Person.display_name).join(MeetingInput, MeetingInput.person_id == Person.id).where(
        MeetingInput.workspace_id == meeting.workspace_id, MeetingInput.item_id == item.id
    ).order_by(MeetingInput.at, MeetingInput.id)  # fmt: skip
    names = list(dict.fromkeys(n or "someone" for n in await session.scalars(query)))
    said = f"Written input in its thread from {', '.join(names)}." if names else "Nobody wrote in its thread."
    return f"Raised in {meeting.ref} {meeting.title}, which was made async. {said}"


@dataclass(frozen=True)
class ItemDecision:
    item: AgendaItem
    decision: Decision
    created: bool  # False: it had become one already (a second press)


async def make_decision(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, position: int,
                        actor: Person, now: datetime) -> ItemDecision:  # fmt: skip
    """Opens a D-n for a `decide` item (the meeting locked by the caller): the topic as the question, the item's
    owner as decider, two days to decide, the channel's escalation path. Once per item."""
    item = item_at(meeting, position)
    _require_decision_maker(actor, meeting, item)
    if item.decision_ref:
        found = await decisions.get_decision(session, workspace_id=workspace.id, ref=item.decision_ref)
        if found is not None:
            return ItemDecision(item, found, False)
    deadline = decisions.suggested_deadline(now, people.person_zone(item.owner, workspace))
    form = DecisionForm(question=item.topic, decider=item.owner.slack_user_id, deadline=int(deadline.timestamp()),
                        context=await _context(session, meeting, item))  # fmt: skip
    decision = await decisions.create_decision(session, workspace=workspace, author=actor, form=form,
                                               channel_id=meeting.channel_id, now=now)  # fmt: skip
    item.decision_ref = decision.ref
    await session.flush()
    return ItemDecision(item, decision, True)
