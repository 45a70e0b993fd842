"""The gate and the start, as the scheduler sees them: which meetings are due to be looked at, flagged, blocked or
started now, and the bookkeeping that makes each of those happen once.

Every step takes the meeting's row lock first and checks again what the due query saw, so a second scheduler
(or a button press in between) finds the work done and does nothing. Slack-free: what people are told is composed
by handlers.meetings.messages, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Meeting, MeetingEventKind, MeetingSettings, MeetingStatus, Workspace
from services import people, workhours
from services.meetings.changes import record
from services.meetings.readiness import gate_moment, missing, remind_moment, timebox_ends
from services.meetings.reading import load
from services.meetings.settings import settings_of

Due = list[tuple[int, int]]  # (workspace_id, meeting_id)
DUE_BATCH = 200  # a run takes at most this many of one kind; the next run takes the rest


async def due_ids(session: AsyncSession, *where) -> Due:
    query = (
        select(Meeting.workspace_id, Meeting.id)
        .where(Meeting.status == MeetingStatus.SCHEDULED, *where)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(DUE_BATCH)
    )
    return [(w, m) for w, m in (await session.execute(query)).all()]


async def due_gates(session: AsyncSession, *, now: datetime) -> Due:
    return await due_ids(session, Meeting.gate_at <= now, Meeting.gate_flagged_at.is_(None))


async def due_starts(session: AsyncSession, *, now: datetime) -> Due:
    return await due_ids(session, Meeting.starts_at <= now, Meeting.started_at.is_(None))


async def locked(session: AsyncSession, *, workspace_id: int, meeting_id: int) -> Meeting | None:
    """The meeting with its details, its row locked until the transaction ends (PostgreSQL; SQLite has one
    writer at a time anyway)."""
    found = await session.scalar(
        select(Meeting.id).where(Meeting.workspace_id == workspace_id, Meeting.id == meeting_id).with_for_update()
    )
    return await load(session, found) if found is not None else None


@dataclass(frozen=True)
class Flagged:
    meeting: Meeting
    gaps: list[str]
    settings: MeetingSettings


async def look(session: AsyncSession, *, workspace_id: int, meeting_id: int, now: datetime) -> Flagged | None:
    """The gate looks at one meeting: not ready, it is flagged (once) and returned for the organiser's DM; ready,
    or started already, the gate is done with it without a word."""
    meeting = await locked(session, workspace_id=workspace_id, meeting_id=meeting_id)
    if meeting is None or not meeting.is_scheduled or meeting.gate_flagged_at is not None:
        return None
    if meeting.gate_at is None or meeting.gate_at > now:
        return None  # moved meanwhile (an edit, a settings change)
    gaps = missing(meeting) if meeting.starts_at > now else []
    if not gaps:
        meeting.gate_at = None  # looked at; an edit that sets it again has it looked at again
        return None
    meeting.gate_flagged_at = now
    record(session, meeting, MeetingEventKind.FLAGGED, now, None, missing=gaps)
    await session.flush()
    return Flagged(meeting, gaps, await settings_of(session, workspace_id=workspace_id))


@dataclass(frozen=True)
class Started:
    meeting: Meeting
    blocked: list[str]  # what was still missing when the gate cancelled it; empty: it started
    late: bool  # the scheduler only got to it after it had ended: nothing is posted


async def start(session: AsyncSession, *, workspace_id: int, meeting_id: int, now: datetime) -> Started | None:
    """At its start a meeting either starts (time-boxes counted from here) or, when the workspace's gate blocks
    and something is still missing, is cancelled. None when another run got there first."""
    meeting = await locked(session, workspace_id=workspace_id, meeting_id=meeting_id)
    if meeting is None or not meeting.is_scheduled or meeting.started_at is not None or meeting.starts_at > now:
        return None
    settings = await settings_of(session, workspace_id=workspace_id)
    gaps = missing(meeting)
    late = now >= meeting.ends_at  # a scheduler back after the end: it may well have been held; say nothing
    if settings.gate_blocks and gaps and not late:
        meeting.status = MeetingStatus.CANCELLED
        meeting.gate_at = meeting.next_timebox_at = None
        record(session, meeting, MeetingEventKind.BLOCKED, now, None, missing=gaps)
        await session.flush()
        return Started(meeting, gaps, late=False)
    meeting.started_at = now
    meeting.timebox_position = 0
    ends = timebox_ends(meeting)
    meeting.next_timebox_at = None if late or not ends else ends[0][1]
    record(session, meeting, MeetingEventKind.STARTED, now, None, **({"late": True} if late else {}))
    await session.flush()
    return Started(meeting, [], late=late)


async def retime(session: AsyncSession, *, workspace_id: int, now: datetime) -> int:
    """After the settings change: coming meetings the gate has not looked at yet, and whose reminder has not
    gone, take the new timings. How many meetings moved."""
    current = await settings_of(session, workspace_id=workspace_id)
    workspace = await session.get(Workspace, workspace_id)
    assert workspace is not None
    query = (
        select(Meeting)
        .where(
            Meeting.workspace_id == workspace_id, Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now
        )  # fmt: skip
        .options(joinedload(Meeting.organiser))
        .with_for_update(of=Meeting)
    )
    moved = 0
    for meeting in await session.scalars(query):
        before = (meeting.gate_at, meeting.remind_at)
        if meeting.gate_at is not None and meeting.gate_flagged_at is None:
            organiser = meeting.organiser
            zone = people.person_zone(organiser, workspace)
            meeting.gate_at = gate_moment(meeting, current, zone, now, workhours.hours_of(organiser))
        if meeting.reminded_at is None:
            meeting.remind_at = remind_moment(meeting, current)
        moved += (meeting.gate_at, meeting.remind_at) != before
    await session.flush()
    return moved
