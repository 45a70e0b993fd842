"""Record outcome: the card's button opens the form, and its submission records what became of each item.

The press and the submission each find the meeting again in the person's workspace and check who may record it
(a button's value and a form's metadata are only a ref, and anyone can forge one). The people the form names
(deciders, mentioned owners) are read from Slack before anything is written."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import profiles
from handlers.kit.forms import chosen, decode_meta, encode_meta, field_errors, state_of, typed
from handlers.kit.replies import error_text, open_view, refusal_text, tell
from handlers.kit.text import esc
from handlers.meetings import messages
from handlers.meetings.blocks.form import done_view
from handlers.meetings.blocks.outcome import name, recorded_text
from handlers.meetings.blocks.record import block, field_blocks, over_time_positions, record_view
from handlers.meetings.blocks.words import when
from models import Meeting, Person, Workspace
from services import meetings, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings.recording import (
    ACTIONS,
    DECIDER,
    DECISION,
    OUTCOME,
    REACHED,
    AlreadyRecorded,
    ItemForm,
    OutcomeForm,
    item_field,
)

REFUSALS = (NotFound, Forbidden, NotNow)


def already_text(exc: AlreadyRecorded, zone, *, plain: bool) -> str:
    """Who recorded it and when: plain text for a form's field error, mrkdwn for a private answer."""
    who = (exc.by.display_name or exc.by.slack_user_id) if exc.by else "someone"
    local = exc.at.astimezone(zone)
    if plain:
        return (
            f"{who} recorded {exc.meeting.ref}'s outcome already, on {local:%a %-d %b at %H:%M}. Nothing was changed."
        )
    return f"{name(exc.by)} recorded *{exc.meeting.ref}*'s outcome already, {when(exc.at, zone)}. Nothing was changed."


async def record_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                         workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    ref = str(body["actions"][0].get("value") or "")
    zone = people.person_zone(person, workspace)
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref)
        await meetings.recording.require_recordable(db, meeting, person, now)
    except AlreadyRecorded as exc:
        await tell(body, respond, client, already_text(exc, zone, plain=False))
        return
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    error = await open_view(client, body["trigger_id"], record_view(meeting, metadata=encode_meta(ref=meeting.ref)))
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({esc(error)}); please try again.")


def _named(values: dict, meeting: Meeting) -> list[str]:
    found = []
    for item in meeting.items:
        found.append(state_of(values, block(item_field(DECIDER, item.position))).get("selected_user"))
        found += people.mentioned_ids(typed(values, block(item_field(ACTIONS, item.position))))
    return [f for f in found if f]


def form_from_state(values: dict, meeting: Meeting, found: dict[str, Person]) -> OutcomeForm:
    items = []
    for item in meeting.items:
        decider = state_of(values, block(item_field(DECIDER, item.position))).get("selected_user")
        items.append(
            ItemForm(
                position=item.position,
                outcome=chosen(values, block(item_field(OUTCOME, item.position))),
                decision=typed(values, block(item_field(DECISION, item.position))),
                decider=found.get(decider) if decider else None,
                actions=typed(values, block(item_field(ACTIONS, item.position))),
            )
        )
    return OutcomeForm(items, over_time_positions(values), chosen(values, block(REACHED)))


async def outcome_recorded(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession,
                           workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    ref = str(decode_meta(view.get("private_metadata")).get("ref") or "")
    values = view["state"]["values"]
    zone = people.person_zone(person, workspace)
    try:
        seen = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref)
        named = await profiles.refresh_named(client, db, workspace, _named(values, seen), now)  # commits: no writes yet
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=True)
        form = form_from_state(values, meeting, {p.slack_user_id: p for p in named})
        done = await meetings.recording.record_outcome(db, workspace=workspace, meeting=meeting, recorder=person,
                                                       form=form, now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, field_blocks(seen), block(REACHED)))
        return
    except AlreadyRecorded as exc:
        await ack(response_action="errors", errors={block(REACHED): already_text(exc, zone, plain=True)})
        return
    except REFUSALS as exc:
        await ack(response_action="errors", errors={block(REACHED): error_text(exc)})
        return
    told = await messages.tell_recorded(db, done=done, now=now)
    if done.follow_up is not None:  # a one-off meeting's carried topics: their thread, as Make it async posts one
        await messages.queue_thread(db, made=done.follow_up, workspace=workspace, now=now)
    await ack(response_action="update", view=done_view(f"{done.meeting.ref} recorded", recorded_text(done, told, zone)))
