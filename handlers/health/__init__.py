"""Execution health on Slack: `/followthrough health` (its findings, help and settings), each finding's buttons
(the remedy it recommends, and "Snooze a week"), the forms those open, and the Home tab's "Needs attention".

- `commands`: the command; `buttons`: the two buttons; `remedies`: what each remedy's button does;
- `forms`: the forms' submissions; `messages`: what it tells people, as outbox rows; `blocks/`: Block Kit, pure.

/followthrough itself belongs to help: the listener here matches only text starting with `health`, and is
registered before help's (Bolt runs the first listener that matches).
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import FOLLOWTHROUGH
from handlers.health import buttons, commands, forms
from handlers.health.blocks.findings import home_blocks
from handlers.health.blocks.ids import HealthIds
from handlers.kit.home import HomeTab
from models import Person, Workspace
from services import health
from services.health.subjects import names_of


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    """The person's own findings as the last run stored them (the refresh job keeps them current)."""
    rows = await health.stored_for(session, workspace_id=workspace.id, person_id=person.id, now=now)
    names = await names_of(session, workspace_id=workspace.id, subjects=[r.subject for r in rows]) if rows else {}
    return home_blocks(rows, names, person)


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(FOLLOWTHROUGH.name, matchers=[commands.health_matcher])(commands.health_command)
    app.action(HealthIds.DO.value)(buttons.do_pressed)
    app.action(HealthIds.SNOOZE.value)(buttons.snooze_pressed)
    app.view(HealthIds.DUE_VIEW.value)(forms.due_moved)
    app.view(HealthIds.OWNER_VIEW.value)(forms.owner_changed)
    app.view(HealthIds.HANDOVER_VIEW.value)(forms.handed_over)
