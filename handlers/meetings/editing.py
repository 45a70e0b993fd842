"""Edit: the card's button (and "Fix it" in the gate's message) opens the meeting's form filled in as the
meeting is; the submission changes the meeting in place. Both find the meeting in the presser's workspace and
check the rule again: a button's value and a form's metadata are only a ref, and anyone can forge one."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import decode_meta, encode_meta, field_errors
from handlers.kit.replies import error_text, open_view, refusal_text, tell
from handlers.kit.text import plural
from handlers.meetings import messages
from handlers.meetings.blocks.form import done_view, edit_view, prefill_of
from handlers.meetings.blocks.ids import FIELD_BLOCKS, MeetingIds
from handlers.meetings.blocks.words import changed_words, title
from handlers.meetings.forms import form_from_state
from models import Person, Workspace
from services import meetings, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.meetings import Edited


def pressed_ref(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")


async def edit_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                       workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=pressed_ref(body))
        meetings.require_editable(person, meeting, now)
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    agenda = await meetings.agenda_text(db, meeting)
    prefill = prefill_of(meeting, agenda=agenda, pre_reads=meetings.pre_reads_of(meeting))
    zone = people.person_zone(person, workspace)
    view = edit_view(meeting, prefill, metadata=encode_meta(ref=meeting.ref), zone_name=zone.key)
    if error := await open_view(client, body["trigger_id"], view):
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")


def edited_text(edited: Edited, told: int) -> str:
    meeting = edited.meeting
    if not edited.changed:
        return f"*{meeting.ref}* {title(meeting)}: nothing changed, it stays as it was."
    note = f" I'm letting {plural(told, 'person', 'people')} know." if told else ""
    return f"✏️ *{meeting.ref}* {title(meeting)}: you changed {changed_words(edited.changed)}.{note}"


async def meeting_edited(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                         person: Person, now: datetime, public_url: str | None) -> None:  # fmt: skip
    """The people the form names are read from Slack first (a Slack call commits), then the meeting is locked."""
    meta = decode_meta(view.get("private_metadata"))
    form = await form_from_state(client, db, workspace, view["state"]["values"], now)
    try:
        meeting = await meetings.find_meeting(db, workspace_id=workspace.id, ref=str(meta.get("ref") or ""),
                                              for_update=True)  # fmt: skip
        edited = await meetings.edit(db, workspace=workspace, meeting=meeting, actor=person, form=form, now=now)
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, MeetingIds.TITLE.value))
        return
    except (NotFound, Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors={MeetingIds.TITLE.value: error_text(exc)})
        return
    calendar = meetings.calendar_url(public_url, edited.meeting.token)
    told = await messages.tell_edited(db, edited=edited, by=person, now=now, calendar=calendar)
    await messages.queue_pre_read_asks(db, meeting=edited.meeting, now=now)  # only new pre-reads or readers
    await ack(response_action="update", view=done_view(f"{edited.meeting.ref} saved", edited_text(edited, told)))
