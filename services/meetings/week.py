"""A person's meetings of the coming seven days, for the Home tab: those they organise, facilitate or are invited
to, with what the gate would find missing (for the ones they organise) and how many pre-reads they still have to
read. One query, whatever the number of meetings: the counts are subqueries, not loaded collections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AgendaItem, Attendee, ItemKind, Meeting, MeetingStatus, Person, PreRead, PreReadReader
from services.meetings.readiness import gaps
from services.meetings.rules import MAX_MINUTES

WEEK = timedelta(days=7)
WEEK_LIMIT = 30  # more than anyone's week holds; the Home tab shows fewer


@dataclass(frozen=True)
class WeekMeeting:
    meeting: Meeting  # its columns only: no organiser, items or pre-reads are loaded
    organises: bool
    missing: list[str]  # for the organiser; empty for everyone else
    unread: int  # pre-reads this person must still read


def _counted(model, *where) -> object:
    return select(func.count(model.id)).where(*where).correlate(Meeting).scalar_subquery()


async def my_week(session: AsyncSession, *, workspace_id: int, person: Person, now: datetime) -> list[WeekMeeting]:
    """Scheduled meetings that have not ended and start within seven days, soonest first."""
    items = _counted(AgendaItem, AgendaItem.meeting_id == Meeting.id)
    informs = _counted(AgendaItem, AgendaItem.meeting_id == Meeting.id, AgendaItem.kind == ItemKind.INFORM)
    pre_reads = _counted(PreRead, PreRead.meeting_id == Meeting.id)
    unread = (
        select(func.count(PreReadReader.id))
        .join(PreRead, PreRead.id == PreReadReader.pre_read_id)
        .where(PreRead.meeting_id == Meeting.id, PreReadReader.person_id == person.id, PreReadReader.read_at.is_(None))
        .correlate(Meeting)
        .scalar_subquery()
    )
    invited = exists().where(and_(Attendee.meeting_id == Meeting.id, Attendee.person_id == person.id))
    query = (
        select(Meeting, items, informs, pre_reads, unread)
        .where(
            Meeting.workspace_id == workspace_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now - timedelta(minutes=MAX_MINUTES),
            Meeting.starts_at < now + WEEK,
            or_(Meeting.organiser_id == person.id, Meeting.facilitator_id == person.id, invited),
        )
        .order_by(Meeting.starts_at, Meeting.number)
        .limit(WEEK_LIMIT)
    )
    found = []
    for meeting, n_items, n_informs, n_pre_reads, n_unread in (await session.execute(query)).all():
        if meeting.ends_at <= now:
            continue
        organises = meeting.organiser_id == person.id
        missing = gaps(outcome=meeting.desired_outcome, items=n_items, informs=n_informs, pre_reads=n_pre_reads)
        found.append(WeekMeeting(meeting, organises, missing if organises else [], int(n_unread or 0)))
    return found
