"""Is a meeting ready to earn its time? What is missing (no agenda, no desired outcome, no pre-read, an agenda of
only `inform` items), and when the gate, the pre-read reminder and the time-box messages are due. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from models import ItemKind, Meeting, MeetingKind, MeetingSettings
from services.attention.hours import WorkingHours
from services.workhours import DEFAULT, last_working_before

GATE_GRACE = timedelta(minutes=30)  # a meeting made inside the gate's window is looked at this long after


def missing(meeting: Meeting) -> list[str]:
    """What the gate finds lacking, as short phrases ("no pre-read"); empty when the meeting is ready."""
    informs = sum(1 for item in meeting.items if item.kind is ItemKind.INFORM)
    return gaps(outcome=meeting.desired_outcome, items=len(meeting.items), informs=informs,
                pre_reads=len(meeting.pre_reads))  # fmt: skip


def gaps(*, outcome: str, items: int, informs: int, pre_reads: int) -> list[str]:
    """`missing` from counts alone, for lists that count in the database instead of loading every item."""
    found = []
    if not outcome.strip():
        found.append("no desired outcome")
    if not items:
        found.append("no agenda")
    elif informs == items:
        found.append("only `inform` items on the agenda: status can travel in writing")
    if not pre_reads:
        found.append("no pre-read")
    return found


def is_ready(meeting: Meeting) -> bool:
    return not missing(meeting)


def better_async(meeting: Meeting) -> bool:
    """Status meetings and all-`inform` agendas are offered "make it async" without being asked."""
    informs = bool(meeting.items) and all(item.kind is ItemKind.INFORM for item in meeting.items)
    return meeting.kind is MeetingKind.STATUS or informs


def gate_moment(
    meeting: Meeting,
    settings: MeetingSettings,
    organiser_zone: ZoneInfo,
    now: datetime,
    organiser_hours: WorkingHours = DEFAULT,
) -> datetime:
    """`gate_hours` before the start, moved back into the organiser's working hours; a meeting made later than
    that is looked at shortly after it was made, and always before it starts."""
    at = last_working_before(meeting.starts_at - timedelta(hours=settings.gate_hours), organiser_zone, organiser_hours)
    if at < now:
        at = min(now + GATE_GRACE, meeting.starts_at)
    return at


def remind_moment(meeting: Meeting, settings: MeetingSettings) -> datetime:
    """The one pre-read reminder, `remind_hours` before the start."""
    return meeting.starts_at - timedelta(hours=settings.remind_hours)


def timebox_ends(meeting: Meeting) -> list[tuple[int, datetime]]:
    """(position, when its time-box ends) for each agenda item, in running order."""
    ends, at = [], meeting.starts_at
    for item in meeting.items:
        at += timedelta(minutes=item.minutes)
        ends.append((item.position, at))
    return ends
