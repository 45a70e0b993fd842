"""The buttons on an action item's card, its direct messages and the Home tab. Every press finds the item in
the presser's workspace and checks the rule again: a button's value is only a ref, and anyone can forge one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions import messages
from handlers.actions.blocks.forms import drop_view, reassign_view, snooze_view
from handlers.actions.blocks.ids import ActionIds
from handlers.actions.commands import first_working_day_after, open_form
from handlers.kit.forms import encode_meta
from handlers.kit.home import HomeTab
from handlers.kit.replies import open_view, opened_from_home, refusal_text, tell
from handlers.kit.text import esc
from models import Action, Person, Workspace
from services import actions, people
from services.errors import Forbidden, NotFound, NotNow


def pressed_ref(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")


async def done_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                       workspace: Workspace, person: Person, home: HomeTab, now: datetime) -> None:  # fmt: skip
    await ack()
    try:
        action = await actions.find_action(db, workspace_id=workspace.id, ref=pressed_ref(body), for_update=True)
        await actions.done(db, action=action, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    await messages.tell_done(db, action=action, actor=person, now=now)
    if opened_from_home(body):
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
    else:
        await tell(body, respond, client, f"✅ *{action.ref}* is done: {esc(action.what[:150])}. Nice one.")


def snooze_form(action: Action, meta: str, today) -> dict:
    suggested = first_working_day_after(max(action.due_on, today) + timedelta(days=1))
    return snooze_view(action, metadata=meta, today=today, until=suggested)


FORM_BUTTONS: dict[ActionIds, tuple[str, Callable[[Action, str, object], dict]]] = {
    ActionIds.SNOOZE: ("snooze", snooze_form),
    ActionIds.REASSIGN: ("reassign", lambda a, meta, today: reassign_view(a, metadata=meta, today=today)),
    ActionIds.DROP: ("drop", lambda a, meta, today: drop_view(a, metadata=meta, today=today)),
}


def opens_form(doing: str, form: Callable[[Action, str, object], dict]) -> Callable[..., Awaitable[None]]:
    """A button that opens `form` when the presser may change the item; else they are told why, privately."""

    async def pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                      workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
        await ack()
        try:
            action = await actions.find_action(db, workspace_id=workspace.id, ref=pressed_ref(body))
            actions.require_open(action, doing)
            actions.require_changer(person, action, doing)
        except (NotFound, Forbidden, NotNow) as exc:
            await tell(body, respond, client, refusal_text(exc))
            return
        origin = "home" if opened_from_home(body) else None
        today = people.today_for(person, workspace, now)
        await open_view(client, body["trigger_id"], form(action, encode_meta(ref=action.ref, origin=origin), today))

    return pressed


async def create_pressed(ack: AsyncAck, body: dict, client: AsyncWebClient, workspace: Workspace, person: Person,
                         now: datetime) -> None:  # fmt: skip
    """ "New action item" on the Home tab."""
    await ack()
    origin = "home" if opened_from_home(body) else None
    await open_form(client, workspace, person, now, body["trigger_id"], None, origin=origin)
