"""Editing a meeting before it starts: the form is checked exactly as when scheduling (`creating.check`), then the
meeting is changed in place. The agenda is replaced when it changed; pre-reads whose link stays keep their read
receipts; whoever is no longer a required attendee stops being asked to read, whoever became one is asked. One
EDITED event names the fields that changed, and the gate's and reminder's moments follow the new start.

`agenda_text` and `pre_reads_of` write a meeting back in the form's grammar, so an unchanged form changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingEvent,
    MeetingEventKind,
    Person,
    PreRead,
    PreReadReader,
    Workspace,
)
from services.meetings.agenda import item_text, parse_item
from services.meetings.changes import record
from services.meetings.creating import Checked, MeetingForm, add_items, add_pre_reads, check, refresh_times
from services.meetings.prereads import pre_reads_text
from services.meetings.reading import load, people_named
from services.meetings.rules import Field, require_before_start, require_editor, require_scheduled

_PARKED = 1000  # pre-reads that stay are parked past any real position while the others move (positions are unique)


@dataclass(frozen=True)
class Edited:
    """What an edit changed: the fields' names (`Field` values, in the form's order), who was invited or
    uninvited, the start before it moved, and this edit's number (1 for the first; keys of what it sends)."""

    meeting: Meeting
    changed: list[str] = field(default_factory=list)
    invited: list[Person] = field(default_factory=list)
    uninvited: list[Person] = field(default_factory=list)
    moved_from: datetime | None = None
    added_pre_reads: list[int] = field(default_factory=list)  # positions of pre-reads new to the meeting
    number: int = 0


def _wanted(form: MeetingForm) -> dict[int, tuple[Person, AttendeeRole]]:
    """Who the form invites, each once; someone picked as both required and optional is required."""
    wanted = {p.id: (p, AttendeeRole.OPTIONAL) for p in form.optional}
    wanted.update({p.id: (p, AttendeeRole.REQUIRED) for p in form.attendees})
    return wanted


def _ids(meeting: Meeting, role: AttendeeRole) -> set[int]:
    return {a.person_id for a in meeting.attendees if a.role is role}


async def _change_attendees(session: AsyncSession, meeting: Meeting, form: MeetingForm,
                            changed: list[str]) -> tuple[list[Person], list[Person]]:  # fmt: skip
    """Adds, removes and re-roles attendee rows; (newly invited, no longer invited)."""
    wanted = _wanted(form)
    before = {role: _ids(meeting, role) for role in AttendeeRole}
    invited, uninvited = [], []
    for attendee in list(meeting.attendees):
        if attendee.person_id not in wanted:
            uninvited.append(attendee.person)
            await session.delete(attendee)
        else:
            attendee.role = wanted[attendee.person_id][1]
    present = {a.person_id for a in meeting.attendees}
    for person_id, (person, role) in wanted.items():
        if person_id not in present:
            session.add(Attendee(meeting_id=meeting.id, person_id=person_id, role=role))
            invited.append(person)
    after = {role: {pid for pid, (_, r) in wanted.items() if r is role} for role in AttendeeRole}
    if before[AttendeeRole.REQUIRED] != after[AttendeeRole.REQUIRED]:
        changed.append(Field.ATTENDEES)
    if before[AttendeeRole.OPTIONAL] != after[AttendeeRole.OPTIONAL]:
        changed.append(Field.OPTIONAL)
    await session.flush()
    return invited, uninvited


async def _replace_agenda(session: AsyncSession, meeting: Meeting, checked: Checked) -> bool:
    """A new running order when it differs; a line whose topic was already there keeps where it came from (a
    carried item, a topic someone added), so the series' figures survive an edit."""
    wanted = [(line.topic, owner.id, line.minutes, line.kind) for line, owner in checked.items]
    if wanted == [(i.topic, i.owner_id, i.minutes, i.kind) for i in meeting.items]:
        return False
    origins = {i.topic.casefold(): (i.carried_from, i.added_by_id) for i in reversed(meeting.items)}
    for item in list(meeting.items):
        await session.delete(item)
    await session.flush()
    for item in add_items(session, meeting, checked.items):
        item.carried_from, item.added_by_id = origins.get(item.topic.casefold(), (None, None))
    await session.flush()
    return True


async def _drop_pre_read(session: AsyncSession, pre_read: PreRead) -> None:
    for reader in list(pre_read.readers):
        await session.delete(reader)
    await session.delete(pre_read)


async def _replace_pre_reads(session: AsyncSession, meeting: Meeting, wanted: list[tuple[str, str]],
                             readers: list[Person]) -> list[int] | None:  # fmt: skip
    """The pre-reads as typed, when they differ; one whose link stays is kept (renamed, moved) with its read
    receipts. The positions of those new to the meeting; None when nothing changed."""
    if wanted == [(p.title, p.link) for p in meeting.pre_reads]:
        return None
    links = [link for _, link in wanted]
    kept = {p.link: p for p in meeting.pre_reads if p.link in links}
    for pre_read in meeting.pre_reads:
        if pre_read.link not in kept:
            await _drop_pre_read(session, pre_read)
    for pre_read in kept.values():
        pre_read.position += _PARKED
    await session.flush()
    added = []
    for position, (title, link) in enumerate(wanted, start=1):
        if link in kept:
            kept[link].position, kept[link].title = position, title
        else:
            await add_pre_reads(session, meeting, [(title, link)], readers=readers, first=position)
            added.append(position)
    await session.flush()
    return added


async def _ask_readers(session: AsyncSession, meeting_id: int, required: set[int]) -> None:
    """Every pre-read is for exactly the required attendees: a row for each, none for anyone else."""
    pre_reads = await session.scalars(select(PreRead).where(PreRead.meeting_id == meeting_id))
    for pre_read in pre_reads:
        rows = list(await session.scalars(select(PreReadReader).where(PreReadReader.pre_read_id == pre_read.id)))
        for row in rows:
            if row.person_id not in required:
                await session.delete(row)
        have = {r.person_id for r in rows}
        session.add_all(PreReadReader(pre_read_id=pre_read.id, person_id=p) for p in required - have)
    await session.flush()


def _change_fields(meeting: Meeting, form: MeetingForm, checked: Checked, changed: list[str]) -> datetime | None:
    """The meeting's own columns; the start it had, if it moved."""
    assert form.starts_at is not None and form.minutes is not None
    facilitator_id = (form.facilitator.id if form.facilitator else None) or meeting.organiser_id
    moved_from = meeting.starts_at if form.starts_at != meeting.starts_at else None
    for name, column, value in (
        (Field.TITLE, "title", checked.title),
        (Field.KIND, "kind", checked.kind),
        (Field.OUTCOME, "desired_outcome", checked.outcome),
        (Field.START, "starts_at", form.starts_at),
        (Field.DURATION, "minutes", form.minutes),
        (Field.FACILITATOR, "facilitator_id", facilitator_id),
    ):
        if getattr(meeting, column) != value:
            setattr(meeting, column, value)
            changed.append(name)
    return moved_from


async def _edits_before(session: AsyncSession, meeting: Meeting) -> int:
    query = select(func.count(MeetingEvent.id)).where(
        MeetingEvent.workspace_id == meeting.workspace_id, MeetingEvent.meeting_id == meeting.id,
        MeetingEvent.kind == MeetingEventKind.EDITED,
    )  # fmt: skip
    return int(await session.scalar(query) or 0)


def require_editable(person: Person, meeting: Meeting, now: datetime) -> None:
    """Who may edit, and when: its organiser, facilitator or an admin, while it is scheduled and to come."""
    require_editor(person, meeting, "edit")
    require_scheduled(meeting, "edit")
    require_before_start(meeting, now, "edit it")


async def edit(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, actor: Person, form: MeetingForm,
               now: datetime) -> Edited:  # fmt: skip
    """The organiser, the facilitator or an admin changes a scheduled meeting before it starts (lock the meeting
    first: `find_meeting(..., for_update=True)`). Raises Invalid (by field), Forbidden or NotNow, storing nothing."""
    require_editable(actor, meeting, now)
    checked = await check(session, workspace=workspace, organiser=meeting.organiser, form=form, now=now)
    changed: list[str] = []
    moved_from = _change_fields(meeting, form, checked, changed)
    invited, uninvited = await _change_attendees(session, meeting, form, changed)
    if await _replace_agenda(session, meeting, checked):
        changed.append(Field.AGENDA)
    required = [p for p, role in _wanted(form).values() if role is AttendeeRole.REQUIRED]
    added = await _replace_pre_reads(session, meeting, checked.pre_reads, required)
    if added is not None:
        changed.append(Field.PRE_READS)
    if not changed:
        return Edited(await load(session, meeting.id))
    await _ask_readers(session, meeting.id, {p.id for p in required})
    number = await _edits_before(session, meeting) + 1
    order = list(Field)
    changed.sort(key=order.index)
    record(session, meeting, MeetingEventKind.EDITED, now, actor, changed=[str(c) for c in changed], edit=number,
           starts=meeting.starts_at.isoformat())  # fmt: skip
    await session.flush()
    loaded = await load(session, meeting.id)
    await refresh_times(session, loaded, now)
    return Edited(loaded, [str(c) for c in changed], invited, uninvited, moved_from, added or [], number)


# the form, filled in with the meeting as it is --------------------------------------------------------------------


async def _owner_label(session: AsyncSession, item: AgendaItem, invited: list[Person], topic: str) -> str:
    """`@Name` when the grammar finds exactly this person by it, else a pasted mention (`<@U0ALEX>`)."""
    owner = item.owner
    if owner.display_name:
        label = f"@{owner.display_name}"
        line, _ = parse_item(item_text(topic, label, item.minutes, item.kind), 1)
        if line and line.topic == topic and line.owner_name:
            named = await people_named(session, workspace_id=owner.workspace_id, name=line.owner_name, first=invited)
            if [p.id for p in named] == [owner.id]:
                return label
    return f"<@{owner.slack_user_id}>"


async def agenda_text(session: AsyncSession, meeting: Meeting) -> str:
    """The running order in the form's grammar, one item a line; submitted unchanged it parses to the same items."""
    invited = [meeting.organiser, *(a.person for a in meeting.attendees)]
    lines = []
    for item in meeting.items:
        owner = await _owner_label(session, item, invited, item.topic)
        lines.append(item_text(item.topic, owner, item.minutes, item.kind))
    return "\n".join(lines)


def pre_reads_of(meeting: Meeting) -> str:
    return pre_reads_text((p.title, p.link) for p in meeting.pre_reads)
