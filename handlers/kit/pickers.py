"""Menus that several features offer: the outcome picker (progress, decisions, and whatever comes next)."""

from __future__ import annotations

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.models.blocks import Option
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import clip
from models import Outcome, Person, Workspace
from services import outcomes

OPTIONS_LIMIT = 100  # Slack shows at most 100 options per menu


def outcome_option(outcome: Outcome) -> Option:
    return Option(value=outcome.ref, text=clip(f"{outcome.ref} {outcome.title}", 75))


async def outcome_options(ack: AsyncAck, body: dict, db: AsyncSession, workspace: Workspace, person: Person) -> None:
    """An external select's options: the caller's outcomes first, matching what they typed."""
    found = await outcomes.search_outcomes(
        db, workspace_id=workspace.id, person=person, query=body.get("value") or "", limit=OPTIONS_LIMIT
    )
    await ack(options=[outcome_option(o) for o in found])
