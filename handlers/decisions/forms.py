"""The decision forms' submissions: asking for one, and the forms behind the card's buttons.

The five button forms share one shape (`changes`): find the decision the form is about (locked for the
change), let the service change it, turn the form into what was done, then redraw the card (and the Home
tab the form came from). A refusal lands on the form, beside the input it concerns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.decisions import messages
from handlers.decisions.blocks.forms import created_text, done_view
from handlers.decisions.blocks.ids import FIELD_BLOCKS, DecisionIds
from handlers.decisions.blocks.words import slack_time
from handlers.kit import profiles
from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.home import HomeTab
from handlers.kit.replies import error_text
from handlers.kit.text import esc, mention
from models import Decision, Person, Workspace
from services import decisions, people
from services.decisions import DecisionForm
from services.errors import Forbidden, Invalid, NotNow


def form_from_state(values: dict) -> DecisionForm:
    return DecisionForm(
        question=typed(values, DecisionIds.QUESTION),
        context=typed(values, DecisionIds.CONTEXT),
        link=typed(values, DecisionIds.LINK),
        options=typed(values, DecisionIds.OPTIONS),
        decider=state_of(values, DecisionIds.DECIDER).get("selected_user"),
        responsible=list(state_of(values, DecisionIds.RESPONSIBLE).get("selected_users") or []),
        consulted=list(state_of(values, DecisionIds.CONSULTED).get("selected_users") or []),
        informed=list(state_of(values, DecisionIds.INFORMED).get("selected_users") or []),
        deadline=state_of(values, DecisionIds.DEADLINE).get("selected_date_time"),
        policy=chosen(values, DecisionIds.POLICY),
        outcome=chosen(values, DecisionIds.OUTCOME),
    )


async def refresh_named(
    client: AsyncWebClient, session: AsyncSession, workspace: Workspace, form: DecisionForm, now: datetime
) -> None:
    """The profiles of the people named: the decider's zone times their reminders, bots and those who left Slack
    are refused, and names make the log searchable by @name."""
    named = [form.decider, *form.responsible, *form.consulted, *form.informed]
    await profiles.refresh_named(client, session, workspace, named, now)


def refusal(exc: Exception, block: DecisionIds) -> dict[str, str]:
    """A service's refusal as the form's field errors; what concerns no field lands on `block`."""
    if isinstance(exc, Invalid):
        return field_errors(exc.errors, FIELD_BLOCKS, block)
    return {block.value: error_text(exc)}


async def decision_created(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    home: HomeTab,
    now: datetime,
) -> None:
    meta = decode_meta(view.get("private_metadata"))
    form = form_from_state(view["state"]["values"])
    await refresh_named(client, db, workspace, form, now)
    try:
        decision = await decisions.create_decision(
            db, workspace=workspace, author=person, form=form, channel_id=meta.get("channel"), now=now
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, DecisionIds.QUESTION))
        return
    card_note = await messages.post_card(client, decision, now, people.person_zone(decision.decider, workspace))
    await messages.tell_asked(db, decision=decision, now=now)
    await ack(
        response_action="update",
        view=done_view(f"{decision.ref} asked", created_text(decision, now, card_note=card_note)),
    )
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)


# the forms behind the buttons ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A button's form, submitted: the decision it is about (locked), who submitted it, what they typed."""

    db: AsyncSession
    decision: Decision
    person: Person
    values: dict[str, Any]
    now: datetime


@dataclass(frozen=True)
class Done:
    """What the form turns into, and a note for the card's thread."""

    title: str
    text: str
    thread_note: str | None = None


async def decide(s: Submitted) -> Done:
    decision = s.decision
    choice = chosen(s.values, DecisionIds.CHOICE)
    if choice is not None and choice.isdigit() and int(choice) < len(decision.options):
        choice = decision.options[int(choice)]
    elif choice is None:
        choice = typed(s.values, DecisionIds.CHOICE)
    rationale = typed(s.values, DecisionIds.RATIONALE)
    await decisions.decide(s.db, decision=decision, actor=s.person, choice=choice, rationale=rationale, now=s.now)
    await messages.tell_closed(s.db, decision=decision, actor=s.person, now=s.now)
    text = f"*{decision.ref}* is decided: *{esc(decision.chosen_option or '')}*. Everyone named in it is told."
    return Done(f"{decision.ref} decided", text)


async def withdraw(s: Submitted) -> Done:
    reason = typed(s.values, DecisionIds.REASON)
    await decisions.withdraw(s.db, decision=s.decision, actor=s.person, reason=reason, now=s.now)
    await messages.tell_closed(s.db, decision=s.decision, actor=s.person, now=s.now, reason=reason)
    ref = s.decision.ref
    return Done(f"{ref} withdrawn", f"*{ref}* is withdrawn; its reminders have stopped.")


async def move_deadline(s: Submitted) -> Done:
    deadline = state_of(s.values, DecisionIds.DEADLINE).get("selected_date_time")
    was = s.decision.deadline
    await decisions.move_deadline(s.db, decision=s.decision, actor=s.person, deadline=deadline, now=s.now)
    told = await messages.tell_rescheduled(s.db, decision=s.decision, actor=s.person, now=s.now, was=was)
    due = slack_time(s.decision.deadline)
    text = f"*{s.decision.ref}* is now due {due}. Reminders start over from the new deadline."
    if told:
        text += f" {told} {'person is' if told == 1 else 'people are'} told."
    return Done("Deadline moved", text)


async def reopen(s: Submitted) -> Done:
    reason = typed(s.values, DecisionIds.REASON)
    await decisions.reopen(
        s.db,
        decision=s.decision,
        actor=s.person,
        deadline=state_of(s.values, DecisionIds.DEADLINE).get("selected_date_time"),
        reason=reason,
        now=s.now,
    )
    await messages.tell_rescheduled(s.db, decision=s.decision, actor=s.person, now=s.now, reason=reason.strip())
    ref = s.decision.ref
    return Done(f"{ref} reopened", f"*{ref}* is open again, due {slack_time(s.decision.deadline)}.")


async def snooze(s: Submitted) -> Done:
    minutes = chosen(s.values, DecisionIds.SNOOZE_FOR)
    event = await decisions.snooze(s.db, decision=s.decision, actor=s.person, minutes=minutes, now=s.now)
    until = slack_time(datetime.fromisoformat(event.data["until"]))
    ref = s.decision.ref
    note = f"{mention(s.person.slack_user_id)} snoozed the escalation of *{ref}* until {until}."
    return Done("Snoozed", f"The escalation of *{ref}* waits until {until}.", note)


Change = Callable[[Submitted], Awaitable[Done]]


def changes(change: Change, block: DecisionIds) -> Callable[..., Awaitable[None]]:
    """The listener of a button's form: `change` raises Invalid, Forbidden or NotNow to refuse; refusals that
    concern no field of the form land on `block`."""

    async def submitted(
        ack: AsyncAck,
        view: dict,
        client: AsyncWebClient,
        db: AsyncSession,
        workspace: Workspace,
        person: Person,
        home: HomeTab,
        now: datetime,
    ) -> None:
        meta = decode_meta(view.get("private_metadata"))
        ref = str(meta.get("ref") or "")
        decision = await decisions.get_decision(db, workspace_id=workspace.id, ref=ref, for_update=True)
        if decision is None:
            await ack(response_action="errors", errors={block.value: "This decision no longer exists here."})
            return
        try:
            done = await change(Submitted(db, decision, person, view["state"]["values"], now))
        except (Invalid, Forbidden, NotNow) as exc:
            await ack(response_action="errors", errors=refusal(exc, block))
            return
        await ack(response_action="update", view=done_view(done.title, done.text))
        if done.thread_note:
            await messages.note_in_thread(client, decision, done.thread_note)
        paused = await decisions.paused_until(db, decision, now)
        await messages.refresh_card(client, decision, now, people.person_zone(decision.decider, workspace), paused)
        if meta.get("origin") == "home":
            await home.refresh(client, db, workspace=workspace, person=person, now=now)

    return submitted


# Each button's form: its view's callback id, what it changes, and where a refusal shows.
FORMS: dict[DecisionIds, tuple[Change, DecisionIds]] = {
    DecisionIds.DECIDE_VIEW: (decide, DecisionIds.RATIONALE),
    DecisionIds.WITHDRAW_VIEW: (withdraw, DecisionIds.REASON),
    DecisionIds.MOVE_VIEW: (move_deadline, DecisionIds.DEADLINE),
    DecisionIds.REOPEN_VIEW: (reopen, DecisionIds.REASON),
    DecisionIds.SNOOZE_VIEW: (snooze, DecisionIds.SNOOZE_FOR),
}
