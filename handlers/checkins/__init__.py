"""Check-ins in Slack: `/checkin` (commands), the Answer, Delete and Keep it buttons (buttons), the set-up and
answer forms (forms), replies in a round's thread (events), and what rounds tell people (messages, shared with
the jobs)."""

from slack_bolt.app.async_app import AsyncApp

from bot.surface import CHECKIN
from handlers.checkins.blocks.ids import CheckinIds
from handlers.checkins.buttons import answer_pressed, delete_pressed, keep_pressed
from handlers.checkins.commands import checkin_command
from handlers.checkins.events import message_posted
from handlers.checkins.forms import answer_submitted, setup_submitted
from handlers.kit.home import HomeTab
from handlers.kit.threads import on_message


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(CHECKIN.name)(checkin_command)
    app.view(CheckinIds.SETUP_VIEW.value)(setup_submitted)
    app.action(CheckinIds.ANSWER.value)(answer_pressed)
    app.action(CheckinIds.DELETE.value)(delete_pressed)
    app.action(CheckinIds.KEEP.value)(keep_pressed)
    app.view(CheckinIds.ANSWER_VIEW.value)(answer_submitted)
    on_message(app, message_posted)
