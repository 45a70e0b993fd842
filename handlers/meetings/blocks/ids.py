"""Block, action and callback ids of meetings, named once."""

from __future__ import annotations

from enum import StrEnum

from handlers.kit.shared_ids import SharedIds
from services.meetings import Field


class MeetingIds(StrEnum):
    # forms
    CREATE_VIEW = "meeting_create"
    # fields
    TITLE = "meeting_title"
    KIND = "meeting_kind"
    OUTCOME = "meeting_outcome"
    START = "meeting_start"
    DURATION = "meeting_duration"
    REPEATS = "meeting_repeats"
    FACILITATOR = "meeting_facilitator"
    ATTENDEES = "meeting_attendees"
    OPTIONAL = "meeting_optional"
    AGENDA = "meeting_agenda"
    PRE_READS = "meeting_pre_reads"  # one per line: `Title — https://link`
    SERIES_NOTE = "meeting_series_note"  # the edit form's word on repeating (no input)
    # buttons: READ's value is `M-4:1` (the meeting and the pre-read's position), CANCEL's the meeting's ref
    READ = "meeting_read"
    CANCEL = "meeting_cancel"
    # ... the others' value is the meeting's ref; the gate's DM offers EDIT (fix it), MAKE_ASYNC and CANCEL
    ADD_TOPIC = "meeting_add_topic"
    EDIT = "meeting_edit"
    MAKE_ASYNC = SharedIds.MAKE_MEETING_ASYNC.value  # health findings offer it too
    RECORD = "meeting_record"
    CARD_ACTIONS = "meeting_card_actions"
    # the other forms
    EDIT_VIEW = "meeting_edit_form"
    TOPIC_VIEW = "meeting_topic_form"
    ASYNC_VIEW = "meeting_async_form"
    RECORD_VIEW = "meeting_record_form"


FIELD_BLOCKS = {
    Field.TITLE: MeetingIds.TITLE.value,
    Field.KIND: MeetingIds.KIND.value,
    Field.OUTCOME: MeetingIds.OUTCOME.value,
    Field.START: MeetingIds.START.value,
    Field.DURATION: MeetingIds.DURATION.value,
    Field.REPEATS: MeetingIds.REPEATS.value,
    Field.FACILITATOR: MeetingIds.FACILITATOR.value,
    Field.ATTENDEES: MeetingIds.ATTENDEES.value,
    Field.OPTIONAL: MeetingIds.OPTIONAL.value,
    Field.AGENDA: MeetingIds.AGENDA.value,
    Field.PRE_READS: MeetingIds.PRE_READS.value,
}
