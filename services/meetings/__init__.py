"""Meetings that earn their time: a desired outcome, a time-boxed agenda with an owner per item, pre-reads that
the required attendees say they have read; a gate before the start, an async form, the outcome, series.

- `rules`: limits, fields, who may cancel; `agenda`: the one-item-per-line grammar (pure);
- `creating`: the one way to schedule; `changes`: read receipts and cancelling; `reading`: finding and listing;
- `readiness`: what the gate finds missing and when things are due (pure); `settings`: the workspace's settings;
- `going_async`: making one async, and a decide item becoming a decision; `async_input`: its thread, written
  input and the deadline's summary.
"""

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
from services.meetings.changes import cancel, mark_read, pre_read_at, readers_count, receipt_of, record
from services.meetings.creating import MeetingForm, create, refresh_times
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

__all__ = [
    "DURATIONS",
    "EXAMPLE",
    "LIST_LIMIT",
    "MAX_OUTCOME",
    "MAX_PRE_READ_TITLE",
    "MAX_TITLE",
    "Field",
    "ItemLine",
    "ListScope",
    "Listing",
    "MeetingForm",
    "better_async",
    "can_add_topic",
    "can_cancel",
    "can_edit",
    "can_make_async",
    "can_record",
    "has_started",
    "is_invited",
    "is_ready",
    "missing",
    "refresh_times",
    "settings_of",
    "timebox_ends",
    "cancel",
    "create",
    "find_meeting",
    "get_meeting",
    "list_meetings",
    "load",
    "mark_read",
    "parse_agenda",
    "parse_item",
    "pre_read_at",
    "readers_count",
    "receipt_of",
    "record",
    "timeline",
    # made async
    "ItemDecision",
    "MadeAsync",
    "PostedThread",
    "Summary",
    "add_input",
    "async_key",
    "due_summaries",
    "item_at",
    "learn_item_ts",
    "link_thread",
    "made_async_by",
    "make_async",
    "make_decision",
    "meeting_for_thread",
    "require_can_go_async",
    "suggested_deadline",
    "summary_of",
    "take_summary",
    "threads_posted",
    "which_item",
]
