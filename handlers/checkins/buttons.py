"""Buttons: Answer (in the thread, the ask, the reminder) opens the answer form for that round; Delete and
Keep it answer `/checkin delete`'s question."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.checkins import messages
from handlers.checkins.blocks.answer import answer_view
from handlers.checkins.blocks.text import channel_ref
from handlers.kit.forms import encode_meta
from handlers.kit.replies import SLACK_FAILURES, forbidden_text, open_view, refusal_text, tell
from models import Person, Workspace
from services import checkins
from services.checkins import NotParticipant
from services.errors import Forbidden
from services.people import today_for

log = logging.getLogger(__name__)


async def answer_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    await ack()
    value = str(body["actions"][0].get("value") or "")
    round_ = await checkins.load_round(db, workspace_id=workspace.id, token=value) if value else None
    if round_ is None:
        await tell(body, respond, client, "That check-in round no longer exists.")
        return
    invite = checkins.invite_of(round_, person)
    if invite is None:
        await tell(body, respond, client, refusal_text(NotParticipant()))
        return
    found = await checkins.person_outcomes(db, workspace_id=workspace.id, person=person)
    due = checkins.commitment_due(round_, today_for(person, workspace, now))
    view = answer_view(round_=round_, invite=invite, outcomes=found, metadata=encode_meta(round=round_.token), due=due)
    error = await open_view(client, body["trigger_id"], view)
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")


async def _answer_in_place(body: dict, respond: AsyncRespond, client: AsyncWebClient, text: str) -> None:
    """The question's private message becomes the answer, so its buttons can't be pressed again by mistake."""
    try:
        await respond(text=text, response_type="ephemeral", replace_original=True)
    except SLACK_FAILURES as exc:
        log.warning("could not replace the delete question: %r", exc)
        await tell(body, None, client, text)


async def delete_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
) -> None:
    """Deletes the check-in the question was about, once: a second press, or a press after it was deleted
    another way, only says so. The button carries the cadence's token, so it can never reach a check-in set up
    later in the same channel."""
    await ack()
    token = str(body["actions"][0].get("value") or "")
    cadence = await checkins.get_cadence_by_token(db, workspace_id=workspace.id, token=token) if token else None
    if cadence is None:
        await _answer_in_place(body, respond, client, "That check-in is deleted already; there is nothing more to do.")
        return
    try:
        tokens = await checkins.delete_cadence(db, cadence=cadence, actor=person)
    except Forbidden as exc:
        await _answer_in_place(body, respond, client, f"{forbidden_text(exc)} Nothing was deleted.")
        return
    await messages.call_off(db, workspace_id=workspace.id, round_tokens=tokens)
    said = f"The check-in of {channel_ref(cadence.channel_id)} is deleted. Its threads stay in the channel."
    await _answer_in_place(body, respond, client, said)


async def keep_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
) -> None:
    await ack()
    token = str(body["actions"][0].get("value") or "")
    cadence = await checkins.get_cadence_by_token(db, workspace_id=workspace.id, token=token) if token else None
    if cadence is None:
        said = "That check-in was deleted meanwhile, so there is nothing to keep."
    else:
        said = f"Kept: the check-in of {channel_ref(cadence.channel_id)} stays as it is. Nothing was deleted."
    await _answer_in_place(body, respond, client, said)
