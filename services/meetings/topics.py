"""Add topic: anyone invited (or an admin) puts one more item on a meeting's agenda before it starts, in the
agenda's grammar. The owner is whoever adds it unless the line names someone; the item must fit in the time the
agenda leaves, and goes to the end of the running order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import AgendaItem, Meeting, MeetingEventKind, Person, Workspace
from services import people
from services.errors import Forbidden, Invalid, NotNow
from services.meetings.agenda import ItemLine, parse_topic
from services.meetings.changes import record
from services.meetings.creating import refresh_times
from services.meetings.reading import load, people_named
from services.meetings.rules import MAX_ITEMS, can_add_topic, require_before_start, require_scheduled

TOPIC = "topic"  # the form's one field


def minutes_left(meeting: Meeting) -> int:
    return meeting.minutes - sum(item.minutes for item in meeting.items)


def require_topic_adder(meeting: Meeting, person: Person, now: datetime) -> None:
    """Before the start, while scheduled, by someone invited or an admin, with room left on the agenda."""
    if not can_add_topic(person, meeting):
        raise Forbidden(f"add a topic to {meeting.ref}", "the people invited to it")
    require_scheduled(meeting, "add a topic to")
    require_before_start(meeting, now, "add a topic")
    if len(meeting.items) >= MAX_ITEMS:
        raise NotNow(f"{meeting.ref}'s agenda has {MAX_ITEMS} items already, as many as a meeting can hold.")
    if minutes_left(meeting) <= 0:
        raise NotNow(f"{meeting.ref}'s agenda already fills all its {meeting.minutes} minutes, so there is no time "
                     "left for another topic. Ask the organiser to make it longer, or to drop an item.")  # fmt: skip


async def _owner(session: AsyncSession, workspace: Workspace, meeting: Meeting, line: ItemLine,
                 person: Person) -> Person:  # fmt: skip
    if line.owner_id:
        owner = await people.ensure_person(session, workspace=workspace, slack_user_id=line.owner_id)
    elif line.owner_name:
        invited = [meeting.organiser, meeting.facilitator, *(a.person for a in meeting.attendees)]
        found = await people_named(session, workspace_id=workspace.id, name=line.owner_name, first=invited)
        if not found:
            raise Invalid({TOPIC: f"I don't know anyone called “{line.owner_name}” here; write the name as Slack "
                                  "shows it, or leave it out to lead it yourself."})  # fmt: skip
        if len(found) > 1:
            raise Invalid({TOPIC: f"“{line.owner_name}” could be more than one person; write their full name."})
        owner = found[0]
    else:
        owner = person
    if refused := people.unassignable(owner):
        raise Invalid({TOPIC: refused})
    return owner


def _check_fits(meeting: Meeting, line: ItemLine) -> None:
    left = minutes_left(meeting)
    if line.minutes > left:
        raise Invalid({TOPIC: f"That needs {line.minutes} minutes and only {left} are left in {meeting.ref} (the "
                              f"agenda takes {meeting.minutes - left} of its {meeting.minutes}): give it {left} or "
                              "fewer, or ask the organiser to make the meeting longer."})  # fmt: skip


async def add_topic(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, person: Person, text: str,
                    now: datetime) -> tuple[Meeting, AgendaItem]:  # fmt: skip
    """`meeting` is found locked in the person's workspace. Raises Forbidden, NotNow, or Invalid on the field,
    storing nothing; returns the meeting as it is now and the item added."""
    require_topic_adder(meeting, person, now)
    line, problem = parse_topic(text or "")
    if line is None:
        raise Invalid({TOPIC: problem or "Write the topic and its minutes."})
    owner = await _owner(session, workspace, meeting, line, person)
    _check_fits(meeting, line)
    position = max((i.position for i in meeting.items), default=0) + 1
    item = AgendaItem(meeting_id=meeting.id, position=position, topic=line.topic, owner_id=owner.id,
                      minutes=line.minutes, kind=line.kind, added_by_id=person.id)  # fmt: skip
    session.add(item)
    record(session, meeting, MeetingEventKind.TOPIC_ADDED, now, person, topic=line.topic, position=position,
           minutes=line.minutes)  # fmt: skip
    await session.flush()
    loaded = await load(session, meeting.id)
    await refresh_times(session, loaded, now)
    return loaded, next(i for i in loaded.items if i.position == position)
