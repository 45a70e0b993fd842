"""Action items on Slack: /action, the "Create action item" message shortcut, the card's and DMs' buttons,
the forms, and the Home tab's "My action items".

- `commands`: /action; `shortcut`: the message shortcut; `buttons`: Done, Snooze, Reassign, Drop;
- `follow_up`: "Add follow-up" on a decided decision's card (the button's id is shared through the kit);
- `forms`: the forms' submissions; `messages`: what it tells people, as outbox rows (the scheduler's job
  composes its nudges there too); `blocks/`: Block Kit, pure.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import ACTION, CREATE_ACTION_SHORTCUT
from handlers.actions import buttons, commands, follow_up, forms, shortcut
from handlers.actions.blocks.card import home_blocks
from handlers.actions.blocks.ids import ActionIds
from handlers.kit.home import HomeTab
from handlers.kit.pickers import outcome_options
from handlers.kit.shared_ids import SharedIds
from models import Person, Workspace
from services import actions, people


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    found, total = await actions.home_actions(session, workspace=workspace, person=person, now=now)
    return home_blocks(found, total, people.today_for(person, workspace, now))


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(ACTION.name)(commands.action_command)
    app.message_shortcut(CREATE_ACTION_SHORTCUT.callback_id)(shortcut.message_shortcut)
    app.view(ActionIds.CREATE_VIEW.value)(forms.action_created)
    for callback, (change, block) in forms.FORMS.items():
        app.view(callback.value)(forms.changes(change, block))
    app.options(ActionIds.OUTCOME.value)(outcome_options)
    app.action(ActionIds.DONE.value)(buttons.done_pressed)
    app.action(ActionIds.CREATE.value)(buttons.create_pressed)
    app.action(SharedIds.FOLLOW_UP.value)(follow_up.follow_up_pressed)
    for action_id, (doing, form) in buttons.FORM_BUTTONS.items():
        app.action(action_id.value)(buttons.opens_form(doing, form))
