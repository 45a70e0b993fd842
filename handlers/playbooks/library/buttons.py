"""The review DM's buttons. Each press finds the playbook in the presser's workspace and checks the rule again:
a button's value is only a ref, and anyone can forge one."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import open_view, refusal_text, tell
from handlers.kit.text import esc, slack_date
from handlers.playbooks.library.commands import edit_form
from models import Person, Workspace
from services.errors import Forbidden, NotFound, NotNow
from services.playbooks import library, reviews


def pressed_ref(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")


async def confirm_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                          db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    try:
        playbook = await reviews.confirm(db, workspace_id=workspace.id, ref=pressed_ref(body), actor=person, now=now)
    except (NotFound, Forbidden) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    due = now + timedelta(days=playbook.review_days)
    await tell(body, respond, client, f"✅ Thanks: *{playbook.ref}* {esc(playbook.name)} is reviewed. The next "
                                      f"review is due {slack_date(due)}.")  # fmt: skip


async def edit_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                       workspace: Workspace, person: Person) -> None:  # fmt: skip
    await ack()
    try:
        playbook = await library.find(db, workspace_id=workspace.id, ref=pressed_ref(body))
        view = await edit_form(db, workspace, person, playbook)
    except (NotFound, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    if error := await open_view(client, body["trigger_id"], view):
        await tell(body, respond, client, f"I couldn't open the form ({esc(error)}); please try again.")
