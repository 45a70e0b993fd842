"""The Add topic form: one agenda line, and how much time the agenda leaves."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject

from handlers.kit.forms import modal, text_input
from handlers.kit.text import clip, plural
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import title
from models import Meeting
from services.meetings.agenda import EXAMPLE, MAX_TOPIC, TOPIC_EXAMPLE
from services.meetings.topics import TOPIC, minutes_left

TOPIC_BLOCK = f"meeting_topic_{TOPIC}"
HINT = (
    f"Topic, minutes, and decide, discuss or inform, e.g. “{TOPIC_EXAMPLE}”: you lead it. To have someone else "
    f"lead it, name them: “{EXAMPLE}”."
)


def topic_view(meeting: Meeting, *, metadata: str) -> dict:
    left = minutes_left(meeting)
    said = f"*{meeting.ref}* {title(meeting)}: the agenda leaves {plural(left, 'minute')} of {meeting.minutes}."
    blocks = [
        ContextBlock(elements=[MarkdownTextObject(text=said)]),
        text_input(TOPIC_BLOCK, "Topic", max_length=MAX_TOPIC + 40, placeholder=TOPIC_EXAMPLE, hint=HINT),
    ]
    return modal(MeetingIds.TOPIC_VIEW, clip(f"Add a topic to {meeting.ref}", 24), blocks, submit="Add",
                 metadata=metadata)  # fmt: skip
