"""The card's buttons (and the Home tab's): define, edit, change the owner, mark done, drop.

Only the owner or an admin may press the managing ones; whoever else presses (or forges) them is told who can.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.announce import announce
from handlers.kit.forms import encode_meta
from handlers.kit.home import HomeTab
from handlers.kit.pickers import outcome_option
from handlers.kit.replies import forbidden_text, open_view, opened_from_home, refusal_text, send_to_response_url, tell
from handlers.kit.text import esc
from handlers.outcomes.blocks.form import drop_view, outcome_form_view, owner_view
from handlers.outcomes.blocks.pieces import priority_option
from handlers.outcomes.cards import card_reply
from models import Outcome, OutcomeStatus, Person, Priority, ProgressSource, Workspace
from services import outcomes
from services.errors import Forbidden

# A button that opens one of the managing forms: the outcome (already checked) in, the form out.
FormFor = Callable[[AsyncSession, Outcome, str], Awaitable[dict]]


async def managed_outcome(
    body: dict,
    respond: AsyncRespond | None,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    action: str,
) -> Outcome | None:
    """The outcome a card button names, if it is in this workspace and the presser may manage it; else says why."""
    ref = str(body["actions"][0].get("value") or "")
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref)
    if outcome is None:
        await tell(body, respond, client, f"I can't find {esc(ref[:20]) or 'that outcome'} in this workspace.")
        return None
    try:
        outcomes.require_manager(person, outcome, f"{action} {outcome.ref}")
    except Forbidden as exc:
        await tell(body, respond, client, forbidden_text(exc))
        return None
    return outcome


def card_meta(body: dict, outcome: Outcome) -> str:
    return encode_meta(
        ref=outcome.ref,
        response_url=body.get("response_url"),
        origin="home" if opened_from_home(body) else None,
    )


async def create_pressed(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
    await ack()
    view = outcome_form_view(
        metadata=encode_meta(origin="home" if opened_from_home(body) else None), owner_user_id=body["user"]["id"]
    )
    await open_view(client, body["trigger_id"], view)


async def edit_form(db: AsyncSession, outcome: Outcome, metadata: str) -> dict:
    """The definition form filled with the outcome as it is, its parent chosen (an archived priority is not)."""
    parent = None
    if outcome.parent_priority_id or outcome.parent_outcome_id:
        card = await outcomes.load_card(db, outcome=outcome)
        if isinstance(card.parent, Priority) and card.parent.archived_at is None:
            parent = priority_option(card.parent)
        elif isinstance(card.parent, Outcome):
            parent = outcome_option(card.parent)
    return outcome_form_view(metadata=metadata, outcome=outcome, parent=parent)


async def owner_form(db: AsyncSession, outcome: Outcome, metadata: str) -> dict:
    return owner_view(outcome, metadata=metadata)


async def drop_form(db: AsyncSession, outcome: Outcome, metadata: str) -> dict:
    return drop_view(outcome, metadata=metadata)


def opens(action: str, form_for: FormFor):
    """A button that opens a managing form, once the presser is known to be allowed to `action` the outcome."""

    async def pressed(
        ack: AsyncAck,
        body: dict,
        respond: AsyncRespond,
        client: AsyncWebClient,
        db: AsyncSession,
        workspace: Workspace,
        person: Person,
    ) -> None:
        await ack()
        outcome = await managed_outcome(body, respond, client, db, workspace, person, action)
        if outcome is not None:
            await open_view(client, body["trigger_id"], await form_for(db, outcome, card_meta(body, outcome)))

    return pressed


edit_pressed = opens("edit", edit_form)
owner_pressed = opens("change the owner of", owner_form)
drop_pressed = opens("drop", drop_form)


async def done_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    await ack()
    outcome = await managed_outcome(body, respond, client, db, workspace, person, "mark done")
    if outcome is None:
        return
    try:
        logged = await outcomes.log_progress(
            db, outcome=outcome, author=person, status=OutcomeStatus.DONE, source=ProgressSource.CARD, now=now
        )
    except (Forbidden, outcomes.BadProgress) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    announcement = await announce(db, client, logged, person)
    if body.get("response_url"):
        await send_to_response_url(body["response_url"], **await card_reply(db, outcome, person, workspace, now))
    else:
        done = f"{outcome.ref} · {esc(outcome.title)} is done. Well followed through!"
        await tell(body, respond, client, done + (f" {announcement}" if announcement else ""))
    if opened_from_home(body):
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
