"""The card as an answer, and showing a change where it was made: the card's message, or the Home tab."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.home import HomeTab
from handlers.kit.replies import send_to_response_url
from handlers.outcomes.blocks.card import ACTIONS_SHOWN, card_blocks, card_text
from models import Outcome, Person, Workspace
from services import actions, outcomes
from services.health import insights
from services.people import today_for


async def card_reply(db: AsyncSession, outcome: Outcome, viewer: Person, workspace: Workspace, now: datetime) -> dict:
    card = await outcomes.load_card(db, outcome=outcome)
    today = today_for(viewer, workspace, now)
    found, total = await actions.open_for_outcome(
        db, workspace_id=workspace.id, outcome_id=outcome.id, today=today, limit=ACTIONS_SHOWN
    )
    said = await insights.latest(db, workspace_id=workspace.id, outcome_ids=[outcome.id])
    blocks = card_blocks(card, today=today, can_manage=outcomes.can_manage(viewer, outcome), open_actions=found,
                         actions_total=total, insights=said.get(outcome.id, []))  # fmt: skip
    return {"text": card_text(outcome), "blocks": blocks}


async def after_form(
    client: AsyncWebClient,
    db: AsyncSession,
    home: HomeTab,
    meta: dict,
    *,
    outcome: Outcome,
    person: Person,
    workspace: Workspace,
    now: datetime,
) -> None:
    """Shows a managing form's change where the form was opened from: the card's message, or the Home tab."""
    if meta.get("response_url"):
        await send_to_response_url(meta["response_url"], **await card_reply(db, outcome, person, workspace, now))
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
