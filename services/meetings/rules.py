"""The rules of meetings, once: limits, the form's fields, and who may cancel one."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from models import Meeting, MeetingStatus, Person
from services.errors import Forbidden, NotNow

MAX_TITLE = 150
MAX_OUTCOME = 500
MAX_PRE_READ_TITLE = 150
MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
MAX_ITEMS = 20
MAX_AHEAD = timedelta(days=366)
DURATIONS = (15, 25, 30, 45, 50, 60, 90, 120, 180)  # what the form offers; the service takes any in range


class Field(StrEnum):
    TITLE = "title"
    KIND = "kind"
    OUTCOME = "outcome"
    START = "start"
    DURATION = "duration"
    REPEATS = "repeats"
    FACILITATOR = "facilitator"
    ATTENDEES = "attendees"
    OPTIONAL = "optional"
    AGENDA = "agenda"
    PRE_READS = "pre_reads"


class ListScope(StrEnum):
    MINE = "mine"
    CHANNEL = "channel"


REPEAT_WEEKS = (0, 1, 2)  # just once, weekly, every two weeks


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def check_title(title: str, errors: dict[Field, str]) -> str:
    title = one_line(title)
    if not title:
        errors[Field.TITLE] = "Give the meeting a name people will recognise in their calendar."
    elif len(title) > MAX_TITLE:
        errors[Field.TITLE] = f"Keep the name within {MAX_TITLE} characters (this has {len(title)})."
    return title


def check_outcome(outcome: str, errors: dict[Field, str]) -> str:
    outcome = (outcome or "").strip()
    if not outcome:
        errors[Field.OUTCOME] = (
            "Say what will be true when everyone leaves, e.g. “We have picked one pricing option”. Without it "
            "nobody can tell whether the meeting worked."
        )
    elif len(outcome) > MAX_OUTCOME:
        errors[Field.OUTCOME] = f"Keep it within {MAX_OUTCOME} characters (this has {len(outcome)})."
    return outcome


def check_start(starts_at: datetime | None, now: datetime, errors: dict[Field, str]) -> None:
    if starts_at is None:
        errors[Field.START] = "Choose when it starts."
    elif starts_at < now:
        errors[Field.START] = "That time has already passed; choose a start in the future."
    elif starts_at - now > MAX_AHEAD:
        errors[Field.START] = "That is more than a year away; choose a nearer start."


def check_minutes(minutes: int | None, errors: dict[Field, str]) -> None:
    if minutes is None:
        errors[Field.DURATION] = "Choose how long it lasts."
    elif not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors[Field.DURATION] = f"A meeting here lasts between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours."


def can_cancel(person: Person, meeting: Meeting) -> bool:
    return person.is_admin or person.id == meeting.organiser_id


def can_edit(person: Person, meeting: Meeting) -> bool:
    """The organiser, the facilitator, or an admin: they change the agenda, pre-reads, time and people."""
    return person.is_admin or person.id in (meeting.organiser_id, meeting.facilitator_id)


def can_make_async(person: Person, meeting: Meeting) -> bool:
    return can_edit(person, meeting)


def can_record(person: Person, meeting: Meeting) -> bool:
    """Recording the outcome is the facilitator's job; the organiser and admins may stand in."""
    return can_edit(person, meeting)


def is_invited(person: Person, meeting: Meeting) -> bool:
    return person.id in (meeting.organiser_id, meeting.facilitator_id) or any(
        a.person_id == person.id for a in meeting.attendees
    )


def can_add_topic(person: Person, meeting: Meeting) -> bool:
    """Anyone invited (and admins) may put a topic on the agenda ahead of the meeting."""
    return person.is_admin or is_invited(person, meeting)


def has_started(meeting: Meeting, now: datetime) -> bool:
    return meeting.starts_at <= now


def require_canceller(person: Person, meeting: Meeting) -> None:
    """The organiser or an admin; checked on every press, never trusted from a button's value."""
    if not can_cancel(person, meeting):
        raise Forbidden(f"cancel {meeting.ref}", "its organiser", [meeting.organiser])


def require_editor(person: Person, meeting: Meeting, doing: str) -> None:
    if not can_edit(person, meeting):
        raise Forbidden(f"{doing} {meeting.ref}", "its organiser or facilitator",
                        list({p.id: p for p in (meeting.organiser, meeting.facilitator)}.values()))  # fmt: skip


def require_before_start(meeting: Meeting, now: datetime, doing: str) -> None:
    if has_started(meeting, now):
        raise NotNow(f"{meeting.ref} has started already, so it is too late to {doing}.")


def require_scheduled(meeting: Meeting, doing: str) -> None:
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise NotNow(f"{meeting.ref} is {meeting.status.value}, so there is nothing to {doing}.")
