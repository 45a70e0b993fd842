"""Meetings that earn their time: a desired outcome, a time-boxed agenda with an owner per item, pre-reads that
the required attendees say they have read; a gate before the start, an async form, the outcome, series.

- `rules`: limits, fields, who may cancel; `agenda`: the one-item-per-line grammar (pure);
- `creating`: the one way to schedule; `changes`: read receipts and cancelling; `reading`: finding and listing;
- `readiness`: what the gate finds missing and when things are due (pure); `settings`: the workspace's settings;
- `gate`: the gate looking, blocking and the start, for the scheduler; `during`: the reminder, time-boxes, thread.
- `editing`: changing one before it starts; `prereads`: the pre-reads' one-per-line grammar (pure);
- `calendar`: the `.ics` invitation (pure), `invitation`: found by its token; `week`: the Home tab's week;
- `going_async`: making one async, and a decide item becoming a decision; `async_input`: its thread, written
  input and the deadline's summary;
- `recording`: the outcome, once; `topics`: Add topic; `series`: the next meeting, carrying items forward,
  stopping; `health`: a series' figures (pure); `series_reading`: the series a person has, their health.
"""

from services.meetings import health, recording, series, series_reading, topics
from services.meetings.agenda import EXAMPLE, ItemLine, parse_agenda, parse_item
from services.meetings.async_input import (
    PostedThread,
    Summary,
    add_input,
    due_summaries,
    learn_item_ts,
    link_thread,
    made_async_by,
    meeting_for_thread,
    summary_of,
    take_summary,
    threads_posted,
    which_item,
)
from services.meetings.calendar import calendar_url
from services.meetings.changes import cancel, mark_read, pre_read_at, readers_count, receipt_of, record
from services.meetings.creating import MeetingForm, create, refresh_times
from services.meetings.during import thread_key
from services.meetings.editing import Edited, agenda_text, edit, pre_reads_of, require_editable
from services.meetings.gate import retime
from services.meetings.going_async import (
    ItemDecision,
    MadeAsync,
    async_key,
    item_at,
    make_async,
    make_decision,
    require_can_go_async,
    suggested_deadline,
)
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
    "ItemDecision",
    "ItemLine",
    "LIST_LIMIT",
    "ListScope",
    "Listing",
    "MAX_OUTCOME",
    "MAX_PRE_READS",
    "MAX_PRE_READ_TITLE",
    "MAX_TITLE",
    "MadeAsync",
    "MeetingForm",
    "PRE_READ_EXAMPLE",
    "PostedThread",
    "Summary",
    "WeekMeeting",
    "add_input",
    "agenda_text",
    "async_key",
    "better_async",
    "calendar_url",
    "can_add_topic",
    "can_cancel",
    "can_edit",
    "can_make_async",
    "can_record",
    "cancel",
    "create",
    "due_summaries",
    "edit",
    "find_meeting",
    "get_meeting",
    "has_started",
    "health",
    "invitation",
    "is_invited",
    "is_ready",
    "item_at",
    "learn_item_ts",
    "link_thread",
    "list_meetings",
    "load",
    "made_async_by",
    "make_async",
    "make_decision",
    "mark_read",
    "meeting_for_thread",
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
    "recording",
    "refresh_times",
    "require_can_go_async",
    "require_editable",
    "retime",
    "series",
    "series_reading",
    "settings_of",
    "suggested_deadline",
    "summary_of",
    "take_summary",
    "thread_key",
    "threads_posted",
    "timebox_ends",
    "timeline",
    "topics",
    "which_item",
]
