"""Decisions on Slack: /decision and /escalation, the card's buttons, the forms, and the Home tab's section.

- `commands`: /decision; `buttons`: the card's buttons; `forms`: the forms' submissions;
- `policies`: /escalation (escalation paths); `messages`: the card, its thread and the DMs (the scheduler's
  walk composes its messages there too); `blocks/`: Block Kit, pure.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import DECISION
from handlers.decisions import buttons, commands, forms, policies
from handlers.decisions.blocks.home import home_sections
from handlers.decisions.blocks.ids import DecisionIds
from handlers.kit.home import HomeTab
from handlers.kit.pickers import outcome_options
from models import Person, Workspace
from services import decisions


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    # Five of each keeps outcomes, decisions and help inside Slack's 100-block limit for a Home view.
    awaiting = await decisions.home_decisions(session, workspace_id=workspace.id, person=person, now=now, limit=5)
    return home_sections(awaiting, now)


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(DECISION.name)(commands.decision_command)
    app.view(DecisionIds.CREATE_VIEW.value)(forms.decision_created)
    for callback, (change, block) in forms.FORMS.items():
        app.view(callback.value)(forms.changes(change, block))
    app.options(DecisionIds.OUTCOME.value)(outcome_options)
    app.action(DecisionIds.CREATE.value)(buttons.create_pressed)
    app.action(DecisionIds.ASK_INPUT.value)(buttons.ask_input_pressed)
    app.action(DecisionIds.ACKNOWLEDGE.value)(buttons.acknowledge_pressed)
    for action, (check, form) in buttons.FORM_BUTTONS.items():
        app.action(action.value)(buttons.opens_form(check, form))
    policies.register(app)
