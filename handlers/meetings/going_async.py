"""Make it async on Slack: the button (on the card, and in the gate's direct message) opens the form asking for the
deadline; its submission turns the meeting into a thread; "Make it a decision" on the summary opens a D-n for a
`decide` item; replies in the thread are filed as written input (a route of handlers.kit.threads).

Every press and submission finds the meeting in the presser's workspace and checks the rule again: a button's
value is only a ref, and anyone can forge one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import decode_meta, field_errors, state_of
from handlers.kit.replies import error_text, open_view, refusal_text, tell
from handlers.kit.text import esc, from_message, mention
from handlers.kit.threads import is_thread_reply
from handlers.meetings import messages
from handlers.meetings.blocks.form import done_view
from handlers.meetings.blocks.going_async import AsyncIds, async_view, where
from handlers.meetings.blocks.words import title, when
from handlers.meetings.buttons import pressed_value
from models import Meeting, Person, Workspace
from services import meetings, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings.going_async import DEADLINE_FIELD

REFUSALS = (NotFound, Forbidden, NotNow)


async def make_async_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                             db: AsyncSession, workspace: Workspace, person: Person,
                             now: datetime) -> None:  # fmt: skip
    await ack()
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=pressed_value(body))
        meetings.require_can_go_async(person, meeting, now)
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    deadline = meetings.suggested_deadline(meeting, people.person_zone(meeting.organiser, workspace), now)
    view = async_view(meeting, deadline=deadline, zone_name=people.person_zone(person, workspace).key,
                      thread_in=meeting.channel_id, asking=to_ask(meeting, person))  # fmt: skip
    if error := await open_view(client, body["trigger_id"], view):
        await tell(body, respond, client, f"I couldn't open the form ({esc(error)}); please try again.")


def picked_deadline(values: dict) -> datetime | None:
    stamp = state_of(values, AsyncIds.DEADLINE).get("selected_date_time")
    try:
        return datetime.fromtimestamp(int(stamp), UTC) if stamp is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def to_ask(meeting: Meeting, by: Person) -> int:
    """How many attendees will be asked: those who can be reached, except whoever makes it async."""
    return sum(1 for a in meeting.attendees if a.person_id != by.id and people.reachable(a.person))


def made_async_text(meeting: Meeting, by: Person, zone) -> str:
    count = to_ask(meeting, by)
    due = when(meeting.async_deadline or meeting.starts_at, zone)
    asked = ("each attendee gets" if count > 1 else "the attendee gets") if count else "nobody else is asked"
    return (
        f"*{meeting.ref}* {title(meeting)} is async: it won't be held. I'm starting its thread in "
        f"{where(meeting.channel_id)}; once it is there, {asked} a direct message asking for written input "
        f"by {due}. At the deadline I post a summary of who answered in the thread."
    )


async def async_submitted(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                          now: datetime) -> None:  # fmt: skip
    ref = str(decode_meta(view.get("private_metadata")).get("ref") or "")
    deadline = picked_deadline(view["state"]["values"])
    field = AsyncIds.DEADLINE.value
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=True)
        made = await meetings.make_async(db, meeting=meeting, actor=person, deadline=deadline, now=now)
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, {DEADLINE_FIELD: field}, field))
        return
    except REFUSALS as exc:
        await ack(response_action="errors", errors={field: error_text(exc)})
        return
    await messages.queue_thread(db, made=made, workspace=workspace, now=now)
    text = made_async_text(made.meeting, person, people.person_zone(person, workspace))
    await ack(response_action="update", view=done_view(f"{made.meeting.ref} is async", text))


async def decision_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                           db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    ref, _, position = pressed_value(body).partition(":")
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=ref, for_update=True)
        made = await meetings.make_decision(db, workspace=workspace, meeting=meeting, position=int(position),
                                            actor=person, now=now)  # fmt: skip
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    except Invalid as exc:
        said = esc(" ".join(exc.errors.values()))
        await tell(body, respond, client, f"I couldn't open a decision for it: {said} Nothing was stored.")
        return
    except ValueError:
        await tell(body, respond, client, "That button has lost its item; open the meeting's card again.")
        return
    decision = made.decision
    if not made.created:
        await tell(body, respond, client, f"Item {made.item.position} is *{decision.ref}* already; "
                                          f"`/decision {decision.ref}` shows it.")  # fmt: skip
        return
    summary = await meetings.summary_of(db, meeting)
    await messages.queue_decision(db, meeting=meeting, made=made, by=person, summary=summary, workspace=workspace,
                                  now=now)  # fmt: skip
    due = when(decision.deadline, people.person_zone(person, workspace))
    await tell(body, respond, client, f"⚖️ *{decision.ref}* is open: {mention(made.item.owner.slack_user_id)} "
                                      f"decides by {due}. `/decision {decision.ref}` shows it.")  # fmt: skip


async def reply_posted(event: dict, context: dict, now: datetime) -> bool:
    """A reply in a meeting's async thread is written input on the item it names (or the thread's only item).
    True when the thread is a meeting's. Edited and deleted replies are left as first written."""
    workspace = context.get("workspace")
    if workspace is None or not is_thread_reply(event):
        return False
    db: AsyncSession = context["db"]
    channel, thread_ts = str(event.get("channel") or ""), str(event["thread_ts"])
    meeting = await meetings.meeting_for_thread(db, workspace_id=workspace.id, channel_id=channel,
                                                thread_ts=thread_ts)  # fmt: skip
    if meeting is None:
        return False
    person: Person | None = context.get("person")
    if person is None or not people.reachable(person) or meeting.async_summarised_at is not None:
        return True  # an app's reply, or one after the summary: not input
    item, text = meetings.which_item(meeting, from_message(event["text"]))
    if item is None:
        await messages.queue_which_item(db, meeting=meeting, user=person.slack_user_id, channel=channel,
                                        thread_ts=thread_ts, message_ts=str(event["ts"]), now=now)  # fmt: skip
        return True
    await meetings.add_input(db, meeting=meeting, item=item, person=person, message_ts=str(event["ts"]), text=text,
                             now=now)  # fmt: skip
    return True
