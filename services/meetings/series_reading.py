"""Reading series: the ones a person organises or is invited to (with their next meeting), and a series' health
loaded for `health.health`. Every query is scoped by the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Action,
    ActionStatus,
    Attendee,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Person,
    PreRead,
    SourceKind,
    Workspace,
)
from services import people
from services.errors import Forbidden, NotNow
from services.meetings.health import ActionFact, SeriesHealth, health
from services.meetings.rules import is_invited
from services.meetings.series import series_of

LIST_LIMIT = 20


@dataclass(frozen=True)
class SeriesLine:
    series: MeetingSeries
    latest: Meeting  # the last one made: its title is the series'
    next: Meeting | None  # the next one still to come, if any


@dataclass(frozen=True)
class SeriesReport:
    series: MeetingSeries
    meetings: list[Meeting]
    health: SeriesHealth


def _theirs(workspace_id: int, person: Person):
    """Ids of the series with a meeting that `person` organises, facilitates or is invited to."""
    invited = select(Attendee.meeting_id).where(Attendee.person_id == person.id)
    return select(Meeting.series_id).where(
        Meeting.workspace_id == workspace_id,
        Meeting.series_id.is_not(None),
        or_(Meeting.organiser_id == person.id, Meeting.facilitator_id == person.id, Meeting.id.in_(invited)),
    )


async def list_series(session: AsyncSession, *, workspace_id: int, person: Person, now: datetime,
                      limit: int = LIST_LIMIT) -> list[SeriesLine]:  # fmt: skip
    """The series `person` organises or attends, those with a meeting to come first."""
    found = list(
        await session.scalars(
            select(MeetingSeries).where(
                MeetingSeries.workspace_id == workspace_id,
                or_(MeetingSeries.organiser_id == person.id, MeetingSeries.id.in_(_theirs(workspace_id, person))),
            )
        )
    )
    if not found:
        return []
    query = select(Meeting).where(Meeting.workspace_id == workspace_id,
                                  Meeting.series_id.in_([s.id for s in found]))  # fmt: skip
    meetings: dict[int, list[Meeting]] = {}
    for meeting in await session.scalars(query.order_by(Meeting.starts_at, Meeting.number)):
        meetings.setdefault(meeting.series_id or 0, []).append(meeting)
    lines = []
    for series in found:
        own = meetings.get(series.id) or []
        if not own:
            continue
        coming = [m for m in own if m.status is MeetingStatus.SCHEDULED and m.starts_at > now]
        lines.append(SeriesLine(series, own[-1], coming[0] if coming else None))
    lines.sort(key=lambda line: (line.next is None, line.next.starts_at if line.next else now, line.latest.number))
    return lines[:limit]


async def series_meetings(session: AsyncSession, *, series: MeetingSeries) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.workspace_id == series.workspace_id, Meeting.series_id == series.id)
        .options(
            selectinload(Meeting.items),
            selectinload(Meeting.pre_reads).selectinload(PreRead.readers),
            selectinload(Meeting.attendees),
        )
        .order_by(Meeting.starts_at, Meeting.number)
    )
    return list(await session.scalars(query))


async def action_facts(session: AsyncSession, *, workspace: Workspace, refs: list[str],
                       now: datetime) -> list[ActionFact]:  # fmt: skip
    """The action items made from these meetings, each with its dates in its owner's zone."""
    query = (
        select(Action)
        .where(
            Action.workspace_id == workspace.id, Action.source_kind == SourceKind.MEETING, Action.source_ref.in_(refs)
        )
        .options(joinedload(Action.owner))
    )
    facts = []
    for action in await session.scalars(query):
        zone = people.person_zone(action.owner, workspace)
        done = None
        if action.status is ActionStatus.DONE and action.closed_at is not None:
            done = action.closed_at.astimezone(zone).date()
        dropped = action.status is ActionStatus.DROPPED
        facts.append(ActionFact(action.due_on, done, dropped, now.astimezone(zone).date()))
    return facts


def may_see_health(person: Person, meeting: Meeting, series: MeetingSeries) -> bool:
    return person.is_admin or person.id == series.organiser_id or is_invited(person, meeting)


async def report(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, person: Person,
                 now: datetime) -> SeriesReport:  # fmt: skip
    """The health of `meeting`'s series, for its organiser, anyone invited to `meeting`, and admins."""
    series = await series_of(session, meeting)
    if series is None:
        raise NotNow(f"{meeting.ref} happens once; it isn't part of a series, so there are no figures to show.")
    if not may_see_health(person, meeting, series):
        raise Forbidden(f"see how the series of {meeting.ref} is going", "those invited to it")
    meetings = await series_meetings(session, series=series)
    facts = await action_facts(session, workspace=workspace, refs=[m.ref for m in meetings], now=now)
    return SeriesReport(series, meetings, health(meetings, facts, now))
