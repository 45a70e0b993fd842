"""Meetings that earn their time: a desired outcome, a time-boxed agenda with an owner per item, pre-reads that
the required attendees say they have read. This first part schedules, shows, lists and cancels them.

- `rules`: limits, fields, who may cancel; `agenda`: the one-item-per-line grammar (pure);
- `creating`: the one way to schedule; `changes`: read receipts and cancelling; `reading`: finding and listing.
"""

from services.meetings.agenda import EXAMPLE, ItemLine, parse_agenda, parse_item
from services.meetings.changes import cancel, mark_read, pre_read_at, readers_count, receipt_of, record
from services.meetings.creating import MeetingForm, create
from services.meetings.reading import LIST_LIMIT, Listing, find_meeting, get_meeting, list_meetings, load, timeline
from services.meetings.rules import DURATIONS, MAX_OUTCOME, MAX_PRE_READ_TITLE, MAX_TITLE, Field, ListScope, can_cancel

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
    "can_cancel",
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
]
