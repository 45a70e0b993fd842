"""The form /meeting opens (what the meeting is for, when, who, the running order, the pre-reads), and the same
form filled in to edit a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    ContextBlock,
    DateTimePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import KIND_LABELS
from models import AttendeeRole, Meeting, MeetingKind
from services.meetings import DURATIONS, EXAMPLE, MAX_OUTCOME, MAX_PRE_READS, MAX_TITLE, PRE_READ_EXAMPLE

DEFAULT_MINUTES = 30
AGENDA_HINT = (
    f"One item per line: topic, owner, minutes and decide, discuss or inform, e.g. “{EXAMPLE}”. "
    "A dash or | separates them too. The time-boxes must fit in the meeting."
)
PRE_READS_HINT = (
    f"One per line, up to {MAX_PRE_READS}: a title, then its link, e.g. “{PRE_READ_EXAMPLE}”. A link alone "
    "works too. The attendees are asked to read each one."
)


@dataclass(frozen=True)
class Prefill:
    """What the form shows before anyone types: the suggestions for a new meeting, or a meeting as it is."""

    start: datetime
    title: str = ""
    kind: str = MeetingKind.PROBLEM_SOLVING.value
    outcome: str = ""
    minutes: int = DEFAULT_MINUTES
    attendees: tuple[str, ...] = ()  # Slack user ids
    optional: tuple[str, ...] = ()
    facilitator: str | None = None
    agenda: str = ""
    pre_reads: str = ""


def _kinds(picked: str) -> StaticSelectElement:
    options = [Option(value=k.value, text=label) for k, label in KIND_LABELS.items()]
    initial = next((o for o in options if o.value == picked), options[0])
    return StaticSelectElement(action_id=MeetingIds.KIND.value, options=options, initial_option=initial)


def _durations(minutes: int) -> StaticSelectElement:
    offered = sorted({*DURATIONS, minutes})  # a length typed elsewhere (the shell, an older form) stays choosable
    options = [Option(value=str(m), text=f"{m} minutes") for m in offered]
    initial = next(o for o in options if o.value == str(minutes))
    return StaticSelectElement(action_id=MeetingIds.DURATION.value, options=options, initial_option=initial)


REPEATS = {0: "Just this once", 1: "Every week", 2: "Every two weeks"}


def _repeats() -> StaticSelectElement:
    options = [Option(value=str(weeks), text=label) for weeks, label in REPEATS.items()]
    return StaticSelectElement(action_id=MeetingIds.REPEATS.value, options=options, initial_option=options[0])


def _what(prefill: Prefill) -> list:
    return [
        text_input(
            MeetingIds.TITLE,
            "Name",
            max_length=MAX_TITLE,
            placeholder="Pricing options for the launch",
            initial=prefill.title,
        ),  # fmt: skip
        labelled(
            MeetingIds.KIND,
            "Kind of meeting",
            _kinds(prefill.kind),
            hint="Status updates travel better in writing: a check-in thread costs nobody an hour.",
        ),  # fmt: skip
        text_input(
            MeetingIds.OUTCOME,
            "Desired outcome",
            multiline=True,
            max_length=MAX_OUTCOME,
            initial=prefill.outcome,
            hint="What will be true when everyone leaves? E.g. “We chose one pricing option.”",
        ),  # fmt: skip
    ]


def _when(prefill: Prefill, zone_name: str) -> list:
    picker = DateTimePickerElement(action_id=MeetingIds.START.value, initial_date_time=int(prefill.start.timestamp()))
    return [
        labelled(
            MeetingIds.START,
            "Starts",
            picker,
            hint=f"In your time zone ({zone_name}); everyone invited sees it in theirs.",
        ),  # fmt: skip
        labelled(MeetingIds.DURATION, "Length", _durations(prefill.minutes)),
    ]


def _who_and_how(prefill: Prefill) -> list:
    people = UserMultiSelectElement(action_id=MeetingIds.ATTENDEES.value, initial_users=list(prefill.attendees) or None)
    optional = UserMultiSelectElement(action_id=MeetingIds.OPTIONAL.value, initial_users=list(prefill.optional) or None)
    facilitator = UserSelectElement(action_id=MeetingIds.FACILITATOR.value, initial_user=prefill.facilitator)
    return [
        labelled(MeetingIds.ATTENDEES, "Attendees", people, hint="They are asked to read the pre-reads."),
        labelled(MeetingIds.OPTIONAL, "Optional attendees", optional, optional=True),
        labelled(
            MeetingIds.FACILITATOR,
            "Facilitator",
            facilitator,
            optional=True,
            hint="Keeps the time-boxes and records the outcome. You, if nobody is chosen.",
        ),  # fmt: skip
        text_input(
            MeetingIds.AGENDA,
            "Agenda",
            multiline=True,
            optional=True,
            max_length=3000,
            hint=AGENDA_HINT,
            initial=prefill.agenda,
        ),  # fmt: skip
        text_input(
            MeetingIds.PRE_READS,
            "Pre-reads",
            multiline=True,
            optional=True,
            max_length=3000,
            hint=PRE_READS_HINT,
            placeholder=PRE_READ_EXAMPLE,
            initial=prefill.pre_reads,
        ),  # fmt: skip
    ]


def create_view(*, metadata: str, start: datetime, zone_name: str) -> dict:
    """`start` is the suggested start; the picker shows it in the organiser's zone (`zone_name`)."""
    hint = "A series: each meeting's agenda opens with what the last one left unfinished."
    repeats = labelled(MeetingIds.REPEATS, "Repeats", _repeats(), hint=hint)
    prefill = Prefill(start=start)
    blocks = [*_what(prefill), *_when(prefill, zone_name), repeats, *_who_and_how(prefill)]
    return modal(MeetingIds.CREATE_VIEW, "New meeting", blocks, submit="Schedule", metadata=metadata)


def prefill_of(meeting: Meeting, *, agenda: str, pre_reads: str) -> Prefill:
    """The meeting as the form shows it; `agenda` and `pre_reads` already written in their one-per-line grammar."""
    required = tuple(a.person.slack_user_id for a in meeting.attendees if a.role is AttendeeRole.REQUIRED)
    optional = tuple(a.person.slack_user_id for a in meeting.attendees if a.role is AttendeeRole.OPTIONAL)
    return Prefill(start=meeting.starts_at, title=meeting.title, kind=meeting.kind.value,
                   outcome=meeting.desired_outcome, minutes=meeting.minutes, attendees=required, optional=optional,
                   facilitator=meeting.facilitator.slack_user_id, agenda=agenda, pre_reads=pre_reads)  # fmt: skip


def edit_view(meeting: Meeting, prefill: Prefill, *, metadata: str, zone_name: str) -> dict:
    """The same form, filled in with the meeting as it is. Repeating is chosen when a meeting is scheduled."""
    said = ("🔁 This meeting is part of a series; the series stays as it is, and this edit changes this meeting only."
            if meeting.series_id else "🔁 Whether a meeting repeats is chosen when it is scheduled.")  # fmt: skip
    note = ContextBlock(block_id=MeetingIds.SERIES_NOTE.value, elements=[MarkdownTextObject(text=said)])
    blocks = [*_what(prefill), *_when(prefill, zone_name), note, *_who_and_how(prefill)]
    return modal(MeetingIds.EDIT_VIEW, clip(f"Edit {meeting.ref}", 24), blocks, submit="Save", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()
