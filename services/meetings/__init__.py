"""Meetings that earn their time: a desired outcome, a time-boxed agenda with an owner per item, pre-reads that
the required attendees say they have read; a gate before the start, an async form, the outcome, series.

- `rules`: limits, fields, who may cancel; `agenda`: the one-item-per-line grammar (pure);
- `creating`: the one way to schedule; `changes`: read receipts and cancelling; `reading`: finding and listing;
- `readiness`: what the gate finds missing and when things are due (pure); `settings`: the workspace's settings;
- `gate`: the gate looking, blocking and the start, for the scheduler; `during`: the reminder, time-boxes, thread.
- `editing`: changing one before it starts; `prereads`: the pre-reads' one-per-line grammar (pure);
- `calendar`: the `.ics` invitation (pure), `invitation`: found by its token; `week`: the Home tab's week.
"""

from services.meetings.agenda import EXAMPLE, ItemLine, parse_agenda, parse_item
from services.meetings.calendar import calendar_url
from services.meetings.changes import cancel, mark_read, pre_read_at, readers_count, receipt_of, record
from services.meetings.creating import MeetingForm, create, refresh_times
from services.meetings.during import thread_key
from services.meetings.editing import Edited, agenda_text, edit, pre_reads_of, require_editable
from services.meetings.gate import retime
from services.meetings.invitation import Invitation, invitation
from services.meetings.prereads import MAX_PRE_READS, PRE_READ_EXAMPLE, parse_pre_reads
from services.meetings.readiness import better_async, is_ready, missing, timebox_ends
from services.meetings.reading import LIST_LIMIT, Listing, find_meeting, get_meeting, list_meetings, load, timeline
from services.meetings.rules import (
    DURATIONS,
    MAX_OUTCOME,
    MAX_PRE_READ_TITLE,
    MAX_TITLE,
    Field,
    ListScope,
    can_add_topic,
    can_cancel,
    can_edit,
    can_make_async,
    can_record,
    has_started,
    is_invited,
)
from services.meetings.settings import settings_of
from services.meetings.week import WeekMeeting, my_week

__all__ = [
    "DURATIONS",
    "EXAMPLE",
    "Edited",
    "Field",
    "Invitation",
    "ItemLine",
    "LIST_LIMIT",
    "ListScope",
    "Listing",
    "MAX_OUTCOME",
    "MAX_PRE_READS",
    "MAX_PRE_READ_TITLE",
    "MAX_TITLE",
    "MeetingForm",
    "PRE_READ_EXAMPLE",
    "WeekMeeting",
    "agenda_text",
    "better_async",
    "calendar_url",
    "can_add_topic",
    "can_cancel",
    "can_edit",
    "can_make_async",
    "can_record",
    "cancel",
    "create",
    "edit",
    "find_meeting",
    "get_meeting",
    "has_started",
    "invitation",
    "is_invited",
    "is_ready",
    "list_meetings",
    "load",
    "mark_read",
    "missing",
    "my_week",
    "parse_agenda",
    "parse_item",
    "parse_pre_reads",
    "pre_read_at",
    "pre_reads_of",
    "readers_count",
    "receipt_of",
    "record",
    "refresh_times",
    "require_editable",
    "retime",
    "settings_of",
    "thread_key",
    "timebox_ends",
    "timeline",
]
