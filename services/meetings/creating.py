"""Scheduling a meeting: every field checked (errors by field, nothing stored on any), then M-n with its
attendees, agenda, pre-reads and who must read them, and the first line of its history. Editing checks a
meeting the same way (`check`) and stores its agenda and pre-reads with the same helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingEventKind,
    MeetingKind,
    MeetingSeries,
    Person,
    PreRead,
    PreReadReader,
    Workspace,
)
from services import people, workhours
from services.errors import Invalid
from services.meetings.agenda import ItemLine, over_time_problem, parse_agenda, summed
from services.meetings.changes import record
from services.meetings.prereads import parse_pre_reads
from services.meetings.readiness import gate_moment, remind_moment
from services.meetings.reading import load, people_named
from services.meetings.rules import (
    REPEAT_WEEKS,
    Field,
    check_minutes,
    check_outcome,
    check_start,
    check_title,
)
from services.meetings.settings import settings_of
from services.refs import next_number


@dataclass(frozen=True)
class MeetingForm:
    """What the organiser typed and picked; people are already found (their profiles fresh)."""

    title: str
    kind: str | None
    desired_outcome: str
    starts_at: datetime | None
    minutes: int | None
    attendees: Sequence[Person] = ()
    optional: Sequence[Person] = ()
    agenda: str = ""
    pre_reads: str = ""  # one per line, `Title — https://link` (see services.meetings.prereads)
    facilitator: Person | None = None  # the organiser when nobody is chosen
    repeats_weeks: int = 0  # 0: just once; 1 or 2: a series, weekly or every two weeks


@dataclass(frozen=True)
class Checked:
    title: str
    kind: MeetingKind
    outcome: str
    items: list[tuple[ItemLine, Person]]
    pre_reads: list[tuple[str, str]]  # (title, link)


def _check_people(form: MeetingForm, errors: dict[Field, str]) -> None:
    if not form.attendees:
        errors[Field.ATTENDEES] = "Invite at least one person."
    if form.facilitator is not None and (refused := people.unassignable(form.facilitator)):
        errors[Field.FACILITATOR] = refused
    if form.repeats_weeks not in REPEAT_WEEKS:
        errors[Field.REPEATS] = "Choose how often it repeats."
    for field, chosen in ((Field.ATTENDEES, form.attendees), (Field.OPTIONAL, form.optional)):
        if refused := next((r for p in chosen if (r := people.unassignable(p))), None):
            errors[field] = refused


def _check_pre_reads(form: MeetingForm, errors: dict[Field, str]) -> list[tuple[str, str]]:
    found, problems = parse_pre_reads(form.pre_reads)
    if problems:
        errors[Field.PRE_READS] = summed(problems)
    return found


async def _owner(session: AsyncSession, workspace: Workspace, line: ItemLine,
                 invited: list[Person]) -> tuple[Person | None, str | None]:  # fmt: skip
    if line.owner_id:
        found = [await people.ensure_person(session, workspace=workspace, slack_user_id=line.owner_id)]
    else:
        found = await people_named(session, workspace_id=workspace.id, name=line.owner_name or "", first=invited)
    name = f"“{line.owner_name or line.owner_id}”"
    if not found:
        return None, (f"Line {line.number}: I don't know anyone called {name} here. Invite them above, or write "
                      "the name as Slack shows it.")  # fmt: skip
    if len(found) > 1:
        return None, f"Line {line.number}: {name} could be more than one person; write their full name."
    if refused := people.unassignable(found[0]):
        return None, f"Line {line.number}: {refused}"
    return found[0], None


async def _check_agenda(session: AsyncSession, workspace: Workspace, form: MeetingForm, invited: list[Person],
                        errors: dict[Field, str]) -> list[tuple[ItemLine, Person]]:  # fmt: skip
    lines, problems = parse_agenda(form.agenda)
    items: list[tuple[ItemLine, Person]] = []
    for line in lines:
        owner, problem = await _owner(session, workspace, line, invited)
        if owner:
            items.append((line, owner))
        if problem:
            problems.append(problem)
    if not problems and (late := over_time_problem(lines, form.minutes)):
        problems.append(late)
    if problems:
        errors[Field.AGENDA] = summed(problems)
    return items


async def check(session: AsyncSession, *, workspace: Workspace, organiser: Person, form: MeetingForm,
                now: datetime) -> Checked:  # fmt: skip
    """Raises Invalid with every problem on its field; the checked values otherwise."""
    errors: dict[Field, str] = {}
    title = check_title(form.title, errors)
    kind = MeetingKind(form.kind) if form.kind in set(MeetingKind) else None
    if kind is None:
        errors[Field.KIND] = "Choose what kind of meeting it is."
    outcome = check_outcome(form.desired_outcome, errors)
    check_start(form.starts_at, now, errors)
    check_minutes(form.minutes, errors)
    _check_people(form, errors)
    pre_reads = _check_pre_reads(form, errors)
    items = await _check_agenda(session, workspace, form, [organiser, *form.attendees, *form.optional], errors)
    if errors:
        raise Invalid(errors)
    assert kind is not None
    return Checked(title, kind, outcome, items, pre_reads)


async def create(session: AsyncSession, *, workspace: Workspace, organiser: Person, form: MeetingForm,
                 channel_id: str | None, now: datetime) -> Meeting:  # fmt: skip
    """Checks every field and creates M-n; raises Invalid, storing nothing."""
    checked = await check(session, workspace=workspace, organiser=organiser, form=form, now=now)
    assert form.starts_at is not None and form.minutes is not None
    meeting = Meeting(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="meeting"),
        title=checked.title,
        kind=checked.kind,
        desired_outcome=checked.outcome,
        organiser_id=organiser.id,
        facilitator_id=(form.facilitator or organiser).id,
        starts_at=form.starts_at,
        minutes=form.minutes,
        channel_id=channel_id,
    )
    if form.repeats_weeks:
        series = MeetingSeries(workspace_id=workspace.id, every_weeks=form.repeats_weeks, organiser_id=organiser.id)
        session.add(series)
        await session.flush()
        meeting.series_id = series.id
    session.add(meeting)
    await session.flush()
    required = list({p.id: p for p in form.attendees}.values())
    optional = [p for p in {p.id: p for p in form.optional}.values() if p.id not in {r.id for r in required}]
    session.add_all(Attendee(meeting_id=meeting.id, person_id=p.id, role=AttendeeRole.REQUIRED) for p in required)
    session.add_all(Attendee(meeting_id=meeting.id, person_id=p.id, role=AttendeeRole.OPTIONAL) for p in optional)
    add_items(session, meeting, checked.items)
    await add_pre_reads(session, meeting, checked.pre_reads, readers=required)
    record(session, meeting, MeetingEventKind.CREATED, now, organiser, starts=form.starts_at.isoformat())
    await session.flush()
    loaded = await load(session, meeting.id)
    await refresh_times(session, loaded, now)
    return loaded


async def refresh_times(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """When the gate looks and the pre-read reminder goes, from the workspace's settings; after every change to
    the start, the agenda or the pre-reads (a gate or reminder already done stays done)."""
    current = await settings_of(session, workspace_id=meeting.workspace_id)
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    organiser = meeting.organiser
    meeting.gate_at = gate_moment(
        meeting, current, people.person_zone(organiser, workspace), now, workhours.hours_of(organiser)
    )
    meeting.remind_at = remind_moment(meeting, current)
    await session.flush()


def add_items(session: AsyncSession, meeting: Meeting, items: list[tuple[ItemLine, Person]]) -> list[AgendaItem]:
    """The running order, numbered from 1 in the order typed."""
    added = [AgendaItem(meeting_id=meeting.id, position=position, topic=line.topic, owner_id=owner.id,
                        minutes=line.minutes, kind=line.kind)
             for position, (line, owner) in enumerate(items, start=1)]  # fmt: skip
    session.add_all(added)
    return added


async def add_pre_reads(session: AsyncSession, meeting: Meeting, pre_reads: Sequence[tuple[str, str]], *,
                        readers: Sequence[Person], first: int = 1) -> list[PreRead]:  # fmt: skip
    """Each pre-read at its position from `first`, with everyone in `readers` asked to read it."""
    added = [PreRead(meeting_id=meeting.id, position=position, title=title, link=link)
             for position, (title, link) in enumerate(pre_reads, start=first)]  # fmt: skip
    session.add_all(added)
    await session.flush()
    session.add_all(PreReadReader(pre_read_id=p.id, person_id=person.id) for p in added for person in readers)
    return added
