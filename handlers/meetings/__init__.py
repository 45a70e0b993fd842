"""Meetings on Slack (first part): /meeting opens the form, shows a meeting's card, lists them and explains
itself; the card's buttons are "I've read it" and Cancel meeting.

- `commands`: /meeting; `forms`: the form's submission; `buttons`: the card's buttons;
- `recording`: Record outcome (button and form); `topics`: Add topic (button and form); `series`: the series
  commands (list, health, stop);
- `messages`: what it tells people, as outbox rows; `blocks/`: Block Kit, pure.
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import MEETING
from handlers.kit.home import HomeTab
from handlers.meetings import buttons, commands, forms, recording, topics
from handlers.meetings.blocks.ids import MeetingIds


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(MEETING.name)(commands.meeting_command)
    app.view(MeetingIds.CREATE_VIEW.value)(forms.meeting_created)
    app.action(MeetingIds.READ.value)(buttons.read_pressed)
    app.action(MeetingIds.CANCEL.value)(buttons.cancel_pressed)
    app.action(MeetingIds.RECORD.value)(recording.record_pressed)
    app.view(MeetingIds.RECORD_VIEW.value)(recording.outcome_recorded)
    app.action(MeetingIds.ADD_TOPIC.value)(topics.topic_pressed)
    app.view(MeetingIds.TOPIC_VIEW.value)(topics.topic_added)
