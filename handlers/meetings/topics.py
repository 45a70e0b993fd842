"""Add topic: the card's button opens a one-line form; its submission appends the topic to the agenda.

The press and the submission each find the meeting again in the person's workspace and check the rule again."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import profiles
from handlers.kit.forms import decode_meta, encode_meta, field_errors, typed
from handlers.kit.replies import error_text, open_view, refusal_text, tell
from handlers.kit.text import clip, esc, plural
from handlers.meetings.blocks.form import done_view
from handlers.meetings.blocks.topic import TOPIC_BLOCK, topic_view
from handlers.meetings.blocks.words import title
from models import Person, Workspace
from services import meetings, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings.topics import TOPIC

REFUSALS = (NotFound, Forbidden, NotNow)


async def topic_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                        workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    ref = str(body["actions"][0].get("value") or "")
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref)
        meetings.topics.require_topic_adder(meeting, person, now)
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    error = await open_view(client, body["trigger_id"], topic_view(meeting, metadata=encode_meta(ref=meeting.ref)))
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({esc(error)}); please try again.")


async def topic_added(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                      person: Person, now: datetime) -> None:  # fmt: skip
    ref = str(decode_meta(view.get("private_metadata")).get("ref") or "")
    text = typed(view["state"]["values"], TOPIC_BLOCK)
    await profiles.refresh_named(client, db, workspace, people.mentioned_ids(text), now)  # commits: no writes yet
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=True)
        meeting, item = await meetings.topics.add_topic(db, workspace=workspace, meeting=meeting, person=person,
                                                        text=text, now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, {TOPIC: TOPIC_BLOCK}, TOPIC_BLOCK))
        return
    except REFUSALS as exc:
        await ack(response_action="errors", errors={TOPIC_BLOCK: error_text(exc)})
        return
    left = meetings.topics.minutes_left(meeting)
    said = (f"*{esc(clip(item.topic, 150))}* ({item.minutes} min) is item {item.position} of *{meeting.ref}* "
            f"{title(meeting)}. The agenda leaves {plural(left, 'minute')}.")  # fmt: skip
    await ack(response_action="update", view=done_view("Topic added", said))
