"""Meetings that earn their time: a desired outcome, a time-boxed agenda with an owner per item, pre-reads that
the required attendees say they have read; a gate before the start, an async form, the outcome, series.

- `rules`: limits, fields, who may cancel; `agenda`: the one-item-per-line grammar (pure);
- `creating`: the one way to schedule; `changes`: read receipts and cancelling; `reading`: finding and listing;
- `readiness`: what the gate finds missing and when things are due (pure); `settings`: the workspace's settings;
- `recording`: the outcome, once; `topics`: Add topic; `series`: the next meeting, carrying items forward,
  stopping; `health`: a series' figures (pure); `series_reading`: the series a person has, their health.
"""

from services.meetings import health, recording, series, series_reading, topics
from services.meetings.agenda import EXAMPLE, ItemLine, parse_agenda, parse_item
from services.meetings.changes import cancel, mark_read, pre_read_at, readers_count, receipt_of, record
from services.meetings.creating import MeetingForm, create, refresh_times
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
    "health",
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
    "recording",
    "series",
    "series_reading",
    "topics",
    "timeline",
]
