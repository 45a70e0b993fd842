"""The action item forms' submissions: create (from /action, the Home tab or a message), snooze, reassign, drop.

A refusal lands on the form beside the field it concerns; a change reaches the people it concerns through the
outbox (handlers.actions.messages) and redraws the Home tab the form came from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions import messages
from handlers.actions.blocks.forms import created_text, done_view
from handlers.actions.blocks.ids import ActionIds
from handlers.actions.commands import owner_finder
from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.home import HomeTab
from handlers.kit.permalinks import permalink
from handlers.kit.replies import error_text
from handlers.kit.text import mention
from handlers.kit.told import told_note
from models import Action, Person, SourceKind, Workspace
from services import actions, people
from services.actions import Field, Source
from services.errors import Forbidden, Invalid, NotFound, NotNow

FIELD_BLOCKS = {
    Field.WHAT: ActionIds.WHAT.value,
    Field.OWNER: ActionIds.OWNER.value,
    Field.DUE: ActionIds.DUE.value,
    Field.OUTCOME: ActionIds.OUTCOME.value,
}


def picked_date(values: dict, block: ActionIds) -> date | None:
    picked = state_of(values, block).get("selected_date")
    try:
        return date.fromisoformat(picked) if picked else None
    except ValueError:
        return None


async def source_of(client: AsyncWebClient, db: AsyncSession, workspace: Workspace, meta: dict) -> Source:
    """A decision's follow-up (checked again: it may have been reopened since), a message, or the command."""
    if meta.get("decision"):
        _, source = await actions.decision_source(db, workspace_id=workspace.id, ref=str(meta["decision"]))
        return source
    if not (meta.get("channel") and meta.get("ts")):
        return Source()
    link = await permalink(client, meta["channel"], meta["ts"])
    return Source(kind=SourceKind.MESSAGE, link=link, channel=meta["channel"], ts=meta.get("thread") or meta["ts"])


async def action_created(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                         person: Person, home: HomeTab, now: datetime) -> None:  # fmt: skip
    meta = decode_meta(view.get("private_metadata"))
    values = view["state"]["values"]
    try:
        source = await source_of(client, db, workspace, meta)
    except (NotFound, NotNow) as exc:
        await ack(response_action="errors", errors={ActionIds.WHAT.value: error_text(exc)})
        return
    owner_id = state_of(values, ActionIds.OWNER).get("selected_user")
    owner = await (await owner_finder(client, db, workspace, now))(owner_id) if owner_id else None
    try:
        action = await actions.create(
            db, workspace=workspace, creator=person, owner=owner, what=typed(values, ActionIds.WHAT),
            due_on=picked_date(values, ActionIds.DUE), now=now, outcome_ref=chosen(values, ActionIds.OUTCOME),
            source=source, channel_id=meta.get("channel"),
        )  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, ActionIds.WHAT.value))
        return
    today = people.today_for(person, workspace, now)
    owner_today = now.astimezone(people.person_zone(action.owner, workspace)).date()
    told = await messages.tell_assigned(db, action=action, by=person, today=owner_today, now=now)
    await messages.note_captured(db, action=action, by=person, today=today, now=now)
    notes = [await told_note(db, person=action.owner, now=now)] if told else []
    if source.kind is SourceKind.DECISION:
        notes.append(f"It follows up *{source.ref}*.")
    if source.channel:
        notes.append("A note goes in the message's thread." if source.link else
                     "I couldn't get the message's link, but its thread still hears about it.")  # fmt: skip
    await ack(response_action="update", view=done_view(f"{action.ref} created", created_text(
        action, today, note=" ".join(notes) or None)))  # fmt: skip
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)


# the forms behind the buttons ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A button's form, submitted: the item (locked), who submitted it, what they typed, a new owner if picked."""

    db: AsyncSession
    action: Action
    person: Person
    values: dict
    now: datetime
    workspace: Workspace
    new_owner: Person | None


Change = Callable[[Submitted], Awaitable[str]]


async def snoozed(s: Submitted) -> str:
    until = picked_date(s.values, ActionIds.UNTIL)
    await actions.snooze(s.db, action=s.action, actor=s.person, until=until, now=s.now)
    return f"*{s.action.ref}* is now due {until:%a %-d %b %Y}; its reminders moved with it."


async def reassigned(s: Submitted) -> str:
    await actions.reassign(s.db, action=s.action, actor=s.person, owner=s.new_owner, now=s.now)
    owner_today = s.now.astimezone(people.person_zone(s.action.owner, s.workspace)).date()
    await messages.tell_assigned(s.db, action=s.action, by=s.person, today=owner_today, now=s.now)
    return f"*{s.action.ref}* now belongs to {mention(s.action.owner.slack_user_id)}; I've let them know."


async def dropped(s: Submitted) -> str:
    await actions.drop(s.db, action=s.action, actor=s.person, reason=typed(s.values, ActionIds.REASON), now=s.now)
    return f"*{s.action.ref}* is dropped; nobody will be reminded of it."


FORMS: dict[ActionIds, tuple[Change, ActionIds]] = {
    ActionIds.SNOOZE_VIEW: (snoozed, ActionIds.UNTIL),
    ActionIds.REASSIGN_VIEW: (reassigned, ActionIds.NEW_OWNER),
    ActionIds.DROP_VIEW: (dropped, ActionIds.REASON),
}


def changes(change: Change, block: ActionIds) -> Callable[..., Awaitable[None]]:
    """The submission of a button's form: the item is found and locked again, and the rule checked again. A new
    owner's profile is fetched before the lock is taken, since a Slack call commits."""

    async def submitted(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                        person: Person, home: HomeTab, now: datetime) -> None:  # fmt: skip
        meta = decode_meta(view.get("private_metadata"))
        values = view["state"]["values"]
        picked = state_of(values, ActionIds.NEW_OWNER).get("selected_user")
        new_owner = await (await owner_finder(client, db, workspace, now))(picked) if picked else None
        try:
            action = await actions.find_action(db, workspace_id=workspace.id, ref=str(meta.get("ref")),
                                               for_update=True)  # fmt: skip
            said = await change(Submitted(db, action, person, values, now, workspace, new_owner))
        except Invalid as exc:
            await ack(response_action="errors", errors=field_errors(exc.errors, {}, block.value))
            return
        except (Forbidden, NotNow, NotFound) as exc:
            await ack(response_action="errors", errors={block.value: error_text(exc)})
            return
        await ack(response_action="update", view=done_view(action.ref, said))
        if meta.get("origin") == "home":
            await home.refresh(client, db, workspace=workspace, person=person, now=now)

    return submitted
