"""The form /meeting opens: what the meeting is for, when, who, the running order, and the pre-read."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    DateTimePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
    UrlInputElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import KIND_LABELS
from models import MeetingKind
from services.meetings import DURATIONS, EXAMPLE, MAX_OUTCOME, MAX_PRE_READ_TITLE, MAX_TITLE

DEFAULT_MINUTES = 30
AGENDA_HINT = (
    f"One item per line: topic, owner, minutes and decide, discuss or inform, e.g. “{EXAMPLE}”. "
    "A dash or | separates them too. The time-boxes must fit in the meeting."
)


def _kinds() -> StaticSelectElement:
    options = [Option(value=k.value, text=label) for k, label in KIND_LABELS.items()]
    initial = next(o for o in options if o.value == MeetingKind.PROBLEM_SOLVING.value)
    return StaticSelectElement(action_id=MeetingIds.KIND.value, options=options, initial_option=initial)


def _durations() -> StaticSelectElement:
    options = [Option(value=str(m), text=f"{m} minutes") for m in DURATIONS]
    initial = next(o for o in options if o.value == str(DEFAULT_MINUTES))
    return StaticSelectElement(action_id=MeetingIds.DURATION.value, options=options, initial_option=initial)


REPEATS = {0: "Just this once", 1: "Every week", 2: "Every two weeks"}


def _repeats() -> StaticSelectElement:
    options = [Option(value=str(weeks), text=label) for weeks, label in REPEATS.items()]
    return StaticSelectElement(action_id=MeetingIds.REPEATS.value, options=options, initial_option=options[0])


def create_view(*, metadata: str, start: datetime, zone_name: str) -> dict:
    """`start` is the suggested start; the picker shows it in the organiser's zone (`zone_name`)."""
    picker = DateTimePickerElement(action_id=MeetingIds.START.value, initial_date_time=int(start.timestamp()))
    blocks = [
        text_input(MeetingIds.TITLE, "Name", max_length=MAX_TITLE, placeholder="Pricing options for the launch"),
        labelled(
            MeetingIds.KIND,
            "Kind of meeting",
            _kinds(),
            hint="Status updates travel better in writing: a check-in thread costs nobody an hour.",
        ),  # fmt: skip
        text_input(
            MeetingIds.OUTCOME,
            "Desired outcome",
            multiline=True,
            max_length=MAX_OUTCOME,
            hint="What will be true when everyone leaves? E.g. “We chose one pricing option.”",
        ),  # fmt: skip
        labelled(
            MeetingIds.START,
            "Starts",
            picker,
            hint=f"In your time zone ({zone_name}); everyone invited sees it in theirs.",
        ),  # fmt: skip
        labelled(MeetingIds.DURATION, "Length", _durations()),
        labelled(
            MeetingIds.REPEATS,
            "Repeats",
            _repeats(),
            hint="A series: each meeting's agenda opens with what the last one left unfinished.",
        ),  # fmt: skip
        labelled(
            MeetingIds.ATTENDEES,
            "Attendees",
            UserMultiSelectElement(action_id=MeetingIds.ATTENDEES.value),
            hint="They are asked to read the pre-read.",
        ),  # fmt: skip
        labelled(
            MeetingIds.OPTIONAL,
            "Optional attendees",
            UserMultiSelectElement(action_id=MeetingIds.OPTIONAL.value),
            optional=True,
        ),  # fmt: skip
        labelled(
            MeetingIds.FACILITATOR,
            "Facilitator",
            UserSelectElement(action_id=MeetingIds.FACILITATOR.value),
            optional=True,
            hint="Keeps the time-boxes and records the outcome. You, if nobody is chosen.",
        ),  # fmt: skip
        text_input(MeetingIds.AGENDA, "Agenda", multiline=True, optional=True, max_length=3000, hint=AGENDA_HINT),
        text_input(
            MeetingIds.PRE_READ_TITLE,
            "Pre-read",
            optional=True,
            max_length=MAX_PRE_READ_TITLE,
            placeholder="Pricing options, two pages",
        ),  # fmt: skip
        labelled(
            MeetingIds.PRE_READ_LINK,
            "Pre-read link",
            UrlInputElement(
                action_id=MeetingIds.PRE_READ_LINK.value, placeholder="https://docs.example.com/pricing-options"
            ),
            optional=True,
        ),  # fmt: skip
    ]
    return modal(MeetingIds.CREATE_VIEW, "New meeting", blocks, submit="Schedule", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()
