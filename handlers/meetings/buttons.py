"""The card's buttons: "I've read it" and Cancel meeting. Every press finds the meeting in the presser's workspace
and checks the rule again: a button's value is only a ref, and anyone can forge one."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import refusal_text, tell
from handlers.kit.text import clip, esc, plural
from handlers.meetings import messages
from handlers.meetings.blocks.words import title
from models import Person, Workspace
from services import meetings
from services.errors import Forbidden, NotFound, NotNow


def pressed_value(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")


async def read_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                       workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    ref, _, position = pressed_value(body).partition(":")
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=True)
        pre_read, changed = await meetings.mark_read(db, meeting=meeting, position=int(position or 1), person=person,
                                                     now=now)  # fmt: skip
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    except ValueError:
        await tell(body, respond, client, "That button has lost its meeting; open the card again.")
        return
    read, must = meetings.readers_count(pre_read)
    said = "Thanks, noted" if changed else "You had told me already"
    await tell(body, respond, client, f"📄 {said}: you've read *{esc(clip(pre_read.title, 150))}* for "
                                      f"*{meeting.ref}* {title(meeting)}. {read} of {must} have read it.")  # fmt: skip


async def cancel_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                         workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=pressed_value(body), for_update=True)
        await meetings.cancel(db, meeting=meeting, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    told = await messages.tell_cancelled(db, meeting=meeting, by=person, now=now)
    note = f" I'm telling {plural(told, 'attendee')}." if told else ""
    await tell(body, respond, client, f"⚪ *{meeting.ref}* {title(meeting)} is cancelled.{note}")
