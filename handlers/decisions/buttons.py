"""The buttons on a decision's card, its direct messages and the Home tab.

Five of them open a form, with one shape (`opens_form`): load the pressed decision in the presser's
workspace, check the service's rule, then open the form; the form's submission is checked again by the
service. Acknowledge and Ask for input act at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.decisions import messages
from handlers.decisions.blocks.dms import input_request
from handlers.decisions.blocks.forms import decide_view, move_view, reopen_view, snooze_view, withdraw_view
from handlers.decisions.blocks.ids import DecisionIds
from handlers.decisions.blocks.words import slack_time
from handlers.decisions.commands import open_form
from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, opened_from_home, refusal_text, tell
from handlers.kit.text import esc, mention
from models import Decision, Person, Workspace
from services import decisions, people
from services.errors import Forbidden, NotFound, NotNow


@dataclass(frozen=True)
class Pressed:
    """A decision's button, pressed: by whom, where, when, and what its form must carry back."""

    db: AsyncSession
    workspace: Workspace
    person: Person
    decision: Decision
    metadata: str
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        """The presser's: forms show times in it."""
        return people.person_zone(self.person, self.workspace)


async def may_decide(p: Pressed) -> None:
    decisions.require_open(p.decision, "decide it again")
    decisions.require_decider(p.person, p.decision)


async def may_withdraw(p: Pressed) -> None:
    decisions.require_open(p.decision, "withdraw")
    decisions.require_withdrawer(p.person, p.decision)


async def may_move(p: Pressed) -> None:
    decisions.require_open(p.decision, "move its deadline")
    decisions.require_rescheduler(p.person, p.decision, "move the deadline of")


async def may_reopen(p: Pressed) -> None:
    decisions.require_closed(p.decision)
    decisions.require_rescheduler(p.person, p.decision, "reopen")


async def may_snooze(p: Pressed) -> None:
    await decisions.require_respondent(p.db, p.decision, p.person, "snooze", p.now)


def reopen_form(p: Pressed) -> dict:
    deadline = decisions.suggested_deadline(p.now, p.zone)
    return reopen_view(p.decision, metadata=p.metadata, deadline=deadline, zone=p.zone.key)


Check = Callable[[Pressed], Awaitable[None]]
Form = Callable[[Pressed], dict]
# Each button that opens a form: the rule that lets the presser go on (it raises Forbidden or NotNow), the form.
FORM_BUTTONS: dict[DecisionIds, tuple[Check, Form]] = {
    DecisionIds.DECIDE: (may_decide, lambda p: decide_view(p.decision, metadata=p.metadata)),
    DecisionIds.WITHDRAW: (may_withdraw, lambda p: withdraw_view(p.decision, metadata=p.metadata)),
    DecisionIds.MOVE_DEADLINE: (may_move, lambda p: move_view(p.decision, metadata=p.metadata, zone=p.zone.key)),
    DecisionIds.REOPEN: (may_reopen, reopen_form),
    DecisionIds.SNOOZE: (
        may_snooze,
        lambda p: snooze_view(p.decision, metadata=p.metadata, limit=decisions.snooze_limit(p.decision)),
    ),
}


def opens_form(check: Check, form: Form) -> Callable[..., Awaitable[None]]:
    """The listener of a button that opens `form` if `check` lets the presser; else they are told why, privately."""

    async def pressed(
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
        ref = pressed_ref(body)
        decision = await decisions.get_decision(db, workspace_id=workspace.id, ref=ref)
        if decision is None:
            await tell(body, respond, client, f"I can't find {esc(ref[:20]) or 'that decision'} in this workspace.")
            return
        origin = "home" if opened_from_home(body) else None
        button = Pressed(db, workspace, person, decision, encode_meta(ref=decision.ref, origin=origin), now)
        try:
            await check(button)
        except (Forbidden, NotNow) as exc:
            await tell(body, respond, client, refusal_text(exc))
            return
        await open_view(client, body["trigger_id"], form(button))

    return pressed


def pressed_ref(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")


async def acknowledge_pressed(
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
    try:
        decision = await decisions.find_decision(db, workspace_id=workspace.id, ref=pressed_ref(body), for_update=True)
        event = await decisions.acknowledge(db, decision=decision, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    paused = datetime.fromisoformat(event.data["until"])
    until = slack_time(paused)
    await messages.refresh_card(client, decision, now, people.person_zone(decision.decider, workspace), paused)
    note = f"{mention(person.slack_user_id)} acknowledged *{decision.ref}*: escalation paused until {until}."
    await messages.note_in_thread(client, decision, note)
    await tell(
        body,
        respond,
        client,
        f"Acknowledged. The escalation of {decision.ref} is paused until {until}; if it is still open then, "
        "it goes on.",
    )


async def ask_input_pressed(
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
    try:
        decision = await decisions.find_decision(db, workspace_id=workspace.id, ref=pressed_ref(body), for_update=True)
        consulted = await decisions.ask_for_input(db, decision=decision, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    users = [p.slack_user_id for p in consulted]
    error = await messages.post_in_thread(client, input_request(decision, users, person.slack_user_id, now))
    names = ", ".join(mention(u) for u in users)
    if error:
        await tell(body, respond, client, f"I couldn't ask {names} in the card's thread ({error}).")
    else:
        await tell(body, respond, client, f"Asked {names} for input in the card's thread.")


async def create_pressed(
    ack: AsyncAck,
    body: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    """ "Ask for a decision" on the Home tab."""
    await ack()
    origin = "home" if opened_from_home(body) else None
    await open_form(client, db, workspace, person, now, body["trigger_id"], None, origin=origin)
