"""The outcomes section of the Home tab: "Start small" until its steps are done, then what the person owns
and contributes to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.outcomes.blocks.home import outcome_blocks
from handlers.outcomes.blocks.start import start_blocks
from models import Person, Workspace
from services import outcomes
from services.outcomes.start import start_state
from services.people import today_for


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    summary = await outcomes.home_summary(session, workspace_id=workspace.id, person=person)
    start = await start_state(session, workspace_id=workspace.id, person=person)
    blocks = [] if start.done(is_admin=person.is_admin) else start_blocks(start, is_admin=person.is_admin)
    if blocks and not (summary.owned or summary.contributing or summary.closed_total):
        return blocks  # the start's own step defines the first outcome: no second "no outcomes yet"
    today = today_for(person, workspace, now)
    return blocks + [block.to_dict() for block in outcome_blocks(summary, today=today, now=now)]
