"""Meetings on Slack (first part): /meeting opens the form, shows a meeting's card, lists them and explains
itself; the card's buttons are "I've read it" and Cancel meeting.

- `commands`: /meeting; `forms`: the form's submission; `buttons`: the card's buttons;
- `editing`: Edit and its form; the Home tab's "My meetings this week" is `home_section`;
- `messages`: what it tells people, as outbox rows; `blocks/`: Block Kit, pure;
- `going_async`: Make it async (the button, its form, the thread's replies, an item becoming a decision);
- `recording`: Record outcome (button and form); `topics`: Add topic (button and form); `series`: the series
  commands (list, health, stop).
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import MEETING
from handlers.kit.home import HomeTab
from handlers.kit.threads import on_message
from handlers.meetings import buttons, commands, editing, forms, going_async, recording, topics
from handlers.meetings.blocks.going_async import AsyncIds
from handlers.meetings.blocks.home import week_blocks
from handlers.meetings.blocks.ids import MeetingIds
from models import Person, Workspace
from services import meetings, people


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    week = await meetings.my_week(session, workspace_id=workspace.id, person=person, now=now)
    return week_blocks(week, people.person_zone(person, workspace))


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(MEETING.name)(commands.meeting_command)
    app.view(MeetingIds.CREATE_VIEW.value)(forms.meeting_created)
    app.action(MeetingIds.READ.value)(buttons.read_pressed)
    app.action(MeetingIds.CANCEL.value)(buttons.cancel_pressed)
    app.action(MeetingIds.EDIT.value)(editing.edit_pressed)
    app.view(MeetingIds.EDIT_VIEW.value)(editing.meeting_edited)
    home.add(home_section)
    # made async: the button, its form, "Make it a decision" on the summary, and replies in the thread
    app.action(MeetingIds.MAKE_ASYNC.value)(going_async.make_async_pressed)
    app.view(MeetingIds.ASYNC_VIEW.value)(going_async.async_submitted)
    app.action(AsyncIds.MAKE_DECISION.value)(going_async.decision_pressed)
    on_message(app, going_async.reply_posted)
    app.action(MeetingIds.RECORD.value)(recording.record_pressed)
    app.view(MeetingIds.RECORD_VIEW.value)(recording.outcome_recorded)
    app.action(MeetingIds.ADD_TOPIC.value)(topics.topic_pressed)
    app.view(MeetingIds.TOPIC_VIEW.value)(topics.topic_added)
