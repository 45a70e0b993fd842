"""The Answer button (in the thread, the ask, the reminder): opens the answer form for that round."""

from __future__ import annotations

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.checkins.blocks.answer import answer_view
from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, refusal_text, tell
from models import Person, Workspace
from services import checkins
from services.checkins import NotParticipant


async def answer_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
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
    view = answer_view(round_=round_, invite=invite, outcomes=found, metadata=encode_meta(round=round_.token))
    error = await open_view(client, body["trigger_id"], view)
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")
