"""Finding and listing meetings, and the people a form names; every query is scoped by the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import AgendaItem, Attendee, Meeting, MeetingEvent, MeetingStatus, Person, PreRead
from models.meeting import MEETING_PREFIX
from services.errors import NotFound
from services.meetings.rules import MAX_MINUTES, ListScope
from services.refs import parse_ref

LIST_LIMIT = 20


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Meeting.organiser),
        joinedload(Meeting.facilitator),
        selectinload(Meeting.attendees).joinedload(Attendee.person),
        selectinload(Meeting.items).joinedload(AgendaItem.owner),
        selectinload(Meeting.pre_reads).selectinload(PreRead.readers),
    ).execution_options(populate_existing=True)


async def get_meeting(session: AsyncSession, *, workspace_id: int, ref: str,
                      for_update: bool = False) -> Meeting | None:  # fmt: skip
    """`M-4` (or `m-4`, `4`) of this workspace; None if there is none (another workspace's M-4 included)."""
    number = parse_ref(ref, MEETING_PREFIX)
    if number is None:
        return None
    query = select(Meeting).where(Meeting.workspace_id == workspace_id, Meeting.number == number)
    if for_update:
        query = query.with_for_update(of=Meeting)
    return await session.scalar(_with_details(query))


async def find_meeting(session: AsyncSession, *, workspace_id: int, ref: str, for_update: bool = False) -> Meeting:
    found = await get_meeting(session, workspace_id=workspace_id, ref=ref, for_update=for_update)
    if found is None:
        raise NotFound(ref)
    return found


async def load(session: AsyncSession, meeting_id: int) -> Meeting:
    found = await session.scalar(_with_details(select(Meeting).where(Meeting.id == meeting_id)))
    assert found is not None
    return found


async def timeline(session: AsyncSession, *, meeting: Meeting) -> list[MeetingEvent]:
    query = (
        select(MeetingEvent)
        .where(MeetingEvent.workspace_id == meeting.workspace_id, MeetingEvent.meeting_id == meeting.id)
        .order_by(MeetingEvent.at, MeetingEvent.id)
        .options(joinedload(MeetingEvent.actor))
    )
    return list(await session.scalars(query))


@dataclass(frozen=True)
class Listing:
    title: str
    meetings: list[Meeting]


async def list_meetings(session: AsyncSession, *, workspace_id: int, scope: ListScope, person: Person,
                        channel_id: str | None, now: datetime, limit: int = LIST_LIMIT) -> Listing:  # fmt: skip
    """Scheduled meetings that have not ended yet, and those made async whose written input is still due, soonest
    first: the person's (organised or invited to), or the channel's."""
    where = [Meeting.workspace_id == workspace_id, still_open(now)]
    if scope is ListScope.MINE:
        invited = select(Attendee.meeting_id).where(Attendee.person_id == person.id)
        where.append(or_(Meeting.organiser_id == person.id, Meeting.id.in_(invited)))
        title = "Your coming meetings"
    else:
        where.append(Meeting.channel_id == (channel_id or ""))
        title = "Coming meetings in this channel"
    query = select(Meeting).where(*where).order_by(Meeting.starts_at, Meeting.number)
    found = [m for m in await session.scalars(_with_details(query)) if not m.is_scheduled or m.ends_at > now]
    return Listing(title, found[:limit])


def still_open(now: datetime):
    """Still ahead or running (scheduled, started less than the longest meeting ago), or async with input due."""
    return or_(
        and_(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now - timedelta(minutes=MAX_MINUTES)),
        and_(Meeting.status == MeetingStatus.ASYNC, Meeting.async_deadline > now),
    )


def _names(person: Person) -> set[str]:
    name = (person.display_name or "").lower()
    if not name:
        return set()
    return {name, name.replace(" ", ""), name.split()[0]}


async def people_named(session: AsyncSession, *, workspace_id: int, name: str,
                       first: list[Person]) -> list[Person]:  # fmt: skip
    """Who `name` (as typed, `@` and case aside) may be: among `first` (the people the form invites) when any
    match there, else among everyone known in the workspace who is still in it."""
    wanted = name.lower().lstrip("@").strip()
    found = [p for p in first if wanted in _names(p)]
    if found:
        return list({p.id: p for p in found}.values())
    known = await session.scalars(
        select(Person).where(Person.workspace_id == workspace_id, Person.is_deleted.is_(False))
    )
    return [p for p in known if wanted in _names(p)]
