"""Meetings on Slack (first part): /meeting opens the form, shows a meeting's card, lists them and explains
itself; the card's buttons are "I've read it" and Cancel meeting.

- `commands`: /meeting; `forms`: the form's submission; `buttons`: the card's buttons;
- `messages`: what it tells people, as outbox rows; `blocks/`: Block Kit, pure;
- `going_async`: Make it async (the button, its form, the thread's replies, an item becoming a decision).
"""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp

from bot.surface import MEETING
from handlers.kit.home import HomeTab
from handlers.kit.threads import on_message
from handlers.meetings import buttons, commands, forms, going_async
from handlers.meetings.blocks.going_async import AsyncIds
from handlers.meetings.blocks.ids import MeetingIds


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(MEETING.name)(commands.meeting_command)
    app.view(MeetingIds.CREATE_VIEW.value)(forms.meeting_created)
    app.action(MeetingIds.READ.value)(buttons.read_pressed)
    app.action(MeetingIds.CANCEL.value)(buttons.cancel_pressed)
    # made async: the button, its form, "Make it a decision" on the summary, and replies in the thread
    app.action(MeetingIds.MAKE_ASYNC.value)(going_async.make_async_pressed)
    app.view(MeetingIds.ASYNC_VIEW.value)(going_async.async_submitted)
    app.action(AsyncIds.MAKE_DECISION.value)(going_async.decision_pressed)
    on_message(app, going_async.reply_posted)
