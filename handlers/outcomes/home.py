"""The outcomes section of the Home tab: what the person owns and contributes to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.outcomes.blocks.home import outcome_blocks
from handlers.outcomes.cards import today_for
from models import Person, Workspace
from services import outcomes


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    summary = await outcomes.home_summary(session, workspace_id=workspace.id, person=person)
    today = today_for(person, workspace, now)
    return [block.to_dict() for block in outcome_blocks(summary, today=today, now=now)]
