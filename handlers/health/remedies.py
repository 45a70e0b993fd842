"""What a finding's button does, one function per remedy. Each finds its subject again in the presser's workspace
and checks the presser may (a button's value is only a key, and anyone can forge one), then does it and records
it on the finding, or opens the form that will. Each returns what to tell the presser, or None when a form
opened instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.health import messages
from handlers.health.blocks.forms import due_view, handover_view, owner_view
from handlers.kit import told
from handlers.kit.announce import announce
from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, opened_from_home
from handlers.kit.text import esc
from models import Decision, HealthFinding, Outcome, OutcomeStatus, Person, ProgressSource, Workspace
from services import decisions, health, outcomes, people
from services.errors import Forbidden, NotFound, NotNow
from services.health import Kind, Remedy
from services.health.handover import items_of
from services.health.subjects import person_id_of
from services.playbooks import reviews

SUGGESTED_MOVE = timedelta(days=14)


@dataclass
class Press:
    """A finding's button pressed: who, where, and the finding as stored (found again by its key)."""

    body: dict
    client: AsyncWebClient
    db: AsyncSession
    workspace: Workspace
    person: Person
    now: datetime
    row: HealthFinding

    def day_of(self, someone: Person) -> date:
        return self.now.astimezone(people.person_zone(someone, self.workspace)).date()

    def meta(self) -> str:
        return encode_meta(key=self.row.key, origin="home" if opened_from_home(self.body) else None)

    async def acted(self, *, refresh: bool = False) -> None:
        """Records what was done; `refresh` runs the detectors again, since the change may have settled it."""
        await health.acted(self.db, workspace_id=self.workspace.id, key=self.row.key, remedy=Remedy(self.row.remedy),
                           actor=self.person, now=self.now)  # fmt: skip
        if refresh:
            await health.refresh(self.db, workspace_id=self.workspace.id, now=self.now)

    async def form(self, view: dict) -> None:
        if error := await open_view(self.client, self.body["trigger_id"], view):
            raise NotNow(f"I couldn't open the form ({error}); please try again.")


async def outcome_of(press: Press, *, still_open: bool = True) -> Outcome:
    outcome = await outcomes.get_outcome(press.db, workspace_id=press.workspace.id, ref=press.row.subject)
    if outcome is None:
        raise NotFound(press.row.subject)
    if still_open and not outcome.status.is_open:
        raise NotNow(f"{outcome.ref} is {outcome.status.label.lower()} already, so there is nothing left to do.")
    return outcome


async def decision_of(press: Press) -> Decision:
    decision = await decisions.find_decision(press.db, workspace_id=press.workspace.id, ref=press.row.subject)
    decisions.require_open(decision, "remind anyone about")
    return decision


async def ask_update(press: Press) -> str | None:
    """Anyone may ask the owner; the owner is pointed at logging progress instead."""
    outcome = await outcome_of(press)
    if outcome.owner_id == press.person.id:
        raise NotNow(f"{outcome.ref} is yours: log progress with `/progress {outcome.ref}` and it clears up.")
    if not people.reachable(outcome.owner):
        raise NotNow(f"{outcome.ref}'s owner can't be reached in Slack any more: reassign it instead.")
    day = press.day_of(outcome.owner)
    asked = await messages.ask_for_update(press.db, row=press.row, outcome=outcome, asker=press.person, day=day,
                                          now=press.now)  # fmt: skip
    await press.acted()
    owner = esc(outcome.owner.display_name or "the owner")
    if not asked:
        return f"{owner} was asked about *{outcome.ref}* today already; I haven't asked again."
    if later := await told.held(press.db, person=outcome.owner, now=press.now):
        return f"I'll ask {owner} for an update on *{outcome.ref}*, with a Log progress button: {later}."
    return f"I've asked {owner} for an update on *{outcome.ref}*, with a Log progress button."


async def remind_decider(press: Press) -> str | None:
    decision = await decision_of(press)
    if decision.decider_id == press.person.id:
        raise NotNow(f"{decision.ref} is yours: `/decision {decision.ref}` shows it with Decide.")
    if not people.reachable(decision.decider):
        raise NotNow(f"{decision.ref}'s decider can't be reached in Slack any more: hand it to someone else.")
    day = press.day_of(decision.decider)
    sent = await messages.remind_decider(press.db, row=press.row, decision=decision, by=press.person, day=day,
                                         now=press.now)  # fmt: skip
    await press.acted()
    decider = esc(decision.decider.display_name or "the decider")
    if not sent:
        return f"{decider} was reminded about *{decision.ref}* today already; I haven't reminded them again."
    if later := await told.held(press.db, person=decision.decider, now=press.now):
        return f"I'll remind {decider} that *{decision.ref}* waits on their decision: {later}."
    return f"I've reminded {decider} that *{decision.ref}* waits on their decision."


async def set_status(press: Press) -> str | None:
    """The outcome's managers only; the channel hears of a turn for the worse, as with /progress."""
    outcome = await outcome_of(press)
    try:
        status = OutcomeStatus(press.row.remedy_value)
    except ValueError:
        raise NotNow("I don't know which status this finding suggests; `/progress` sets one.") from None
    outcomes.require_manager(press.person, outcome, f"mark {outcome.ref} {status.label.lower()}")
    if outcome.status is status:
        raise NotNow(f"{outcome.ref} is {status.label.lower()} already.")
    note = f"From an execution health finding: {press.row.evidence}"
    logged = await outcomes.log_progress(press.db, outcome=outcome, author=press.person, status=status, note=note,
                                         source=ProgressSource.CARD, now=press.now)  # fmt: skip
    await press.acted(refresh=True)
    told = await announce(press.db, press.client, logged, press.person)
    return f"*{outcome.ref}* is now {status.label.lower()}." + (f" {told}" if told else "")


async def retire_metric(press: Press) -> str | None:
    outcome = await outcome_of(press)
    try:
        metric_id = int(press.row.remedy_value)
    except ValueError:
        raise NotFound(f"that metric of {outcome.ref}") from None
    metric = await outcomes.retire_metric(press.db, actor=press.person, outcome=outcome, metric_id=metric_id,
                                          now=press.now)  # fmt: skip
    await press.acted(refresh=True)
    return (
        f"{esc(metric.name)} on *{outcome.ref}* is retired: the card keeps it and its readings, and nothing is "
        "expected of it any more."
    )


KEEP_OR_CHANGE = ("Keep going as planned", "Change approach")


async def open_decision(press: Press) -> str | None:
    """An open D-n for the outcome's owner: keep going, or change approach? Anyone may raise it, once while it
    is open; the decisions feature nudges the owner before its deadline, and the owner hears of it now."""
    outcome = await outcome_of(press)
    question = f"{outcome.ref}: keep going as planned, or change approach?"
    owner = esc(outcome.owner.display_name or "its owner")  # read now: creating the decision reloads the outcome
    if raised := await decisions.open_with_question(press.db, workspace_id=press.workspace.id, question=question):
        raise NotNow(f"*{raised.ref}* already puts that to {owner}.")
    zone = people.person_zone(outcome.owner, press.workspace)
    form = decisions.DecisionForm(
        question=question, decider=outcome.owner.slack_user_id, context=press.row.evidence, outcome=outcome.ref,
        deadline=int(decisions.suggested_deadline(press.now, zone).timestamp()), options="\n".join(KEEP_OR_CHANGE),
    )  # fmt: skip
    decision = await decisions.create_decision(press.db, workspace=press.workspace, author=press.person, form=form,
                                               channel_id=outcome.channel_id, now=press.now)  # fmt: skip
    await messages.decision_opened(press.db, decision=decision, by=press.person, now=press.now)
    await press.acted()
    return f"I've opened *{decision.ref}* for {owner} to decide: keep going as planned, or change approach."


async def move_due(press: Press) -> str | None:
    outcome = await outcome_of(press)
    outcomes.require_manager(press.person, outcome, f"move the due date of {outcome.ref}")
    suggested = max(outcome.due_date, press.day_of(press.person)) + SUGGESTED_MOVE
    await press.form(due_view(outcome, suggested=suggested, metadata=press.meta()))
    return None


async def holder_of(press: Press, person_id: int) -> Person:
    holder = await press.db.get(Person, person_id)
    if holder is None or holder.workspace_id != press.workspace.id:
        raise NotFound("that person")
    if not (press.person.is_admin or press.person.id == holder.id):
        raise Forbidden("hand over their work", "whose work it is", [holder])
    return holder


async def reassign(press: Press) -> str | None:
    """An outcome's managers choose its new owner; a person (or an admin) hands some of their work on."""
    holder_id = person_id_of(press.row.subject)
    if holder_id is None:
        outcome = await outcome_of(press)
        outcomes.require_manager(press.person, outcome, f"change the owner of {outcome.ref}")
        await press.form(owner_view(outcome, metadata=press.meta()))
        return None
    holder = await holder_of(press, holder_id)
    items = await items_of(press.db, workspace_id=press.workspace.id, person_id=holder.id,
                           kind=Kind(press.row.kind), today=press.day_of(holder))  # fmt: skip
    if not items:
        raise NotNow("There is nothing of theirs to hand over just now: no open decisions, overdue action items "
                     "or outcomes that could move.")  # fmt: skip
    name = holder.display_name or holder.slack_user_id
    await press.form(handover_view(name, items, metadata=press.meta()))
    return None


async def elsewhere(press: Press) -> str | None:
    """A meeting is made async from its own card; a press that names it here was not made by our button."""
    raise NotNow(f"`/meeting {press.row.remedy_value or press.row.subject}` shows the meeting with Make it async.")


async def confirm_playbook(press: Press) -> str | None:
    """Its owner (or an admin) confirms the playbook is still right: the review interval starts again."""
    playbook = await reviews.confirm(press.db, workspace_id=press.workspace.id, ref=press.row.subject,
                                     actor=press.person, now=press.now)  # fmt: skip
    await press.acted(refresh=True)
    return f"✅ *{playbook.ref}* {esc(playbook.name)} is reviewed; its next review is in {playbook.review_days} days."


REMEDIES: dict[Remedy, Callable[[Press], Awaitable[str | None]]] = {
    Remedy.ASK_UPDATE: ask_update,
    Remedy.SET_STATUS: set_status,
    Remedy.MOVE_DUE: move_due,
    Remedy.REASSIGN: reassign,
    Remedy.MAKE_ASYNC: elsewhere,
    Remedy.RETIRE_METRIC: retire_metric,
    Remedy.OPEN_DECISION: open_decision,
    Remedy.REMIND_DECIDER: remind_decider,
    Remedy.CONFIRM_PLAYBOOK: confirm_playbook,
}
