"""What runs tell people, as outbox rows: the checklist card in the run's channel (and its redraws), notes in
its thread, the step's one DM when it is due, and the lead's status-update reminders.

Keys start with `playbook:R-n:` (a run's number is never handed out again in its workspace). The card's post
is the parent of every redraw and thread note (`thread_of`), so they wait for its ts; a redraw or a note gets
a fresh token, the step DM and each reminder a key of their own moment, so a repeat sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.playbooks.running.blocks import (
    approval_dm,
    card_message,
    overdue_dm,
    overdue_dm_closed,
    resolved_note,
    status_dm,
    step_dm,
    step_dm_redrawn,
    step_note,
)
from models import Person, PlaybookKind, PlaybookRun, RunStep
from models.base import new_token
from models.learning import RetroStatus
from models.outbox import DeliveryState
from models.playbook_run import StepStatus
from services import outbox, people
from services.attention.policy import Urgency
from services.playbooks import retros, run_schedule, runs

CARD_KIND = "playbook.card"
THREAD_KIND = "playbook.thread"
STEP_KIND = "playbook.step"
STATUS_KIND = "playbook.status"


def run_prefix(run: PlaybookRun) -> str:
    return f"playbook:{run.ref}:"


def card_key(run: PlaybookRun) -> str:
    return f"{run_prefix(run)}card"


async def _card(session: AsyncSession, run: PlaybookRun, now: datetime) -> dict:
    playbook, pinned = await runs.pinned_of(session, run=run)
    steps = await runs.steps_of(session, run=run)
    approvers = await runs.approvers_of(session, run=run, pinned=pinned)
    return card_message(run, playbook, pinned, steps, now, approvers, await retro_done(session, run))


async def retro_done(session: AsyncSession, run: PlaybookRun) -> bool:
    retro = await retros.retro_of(session, run=run) if not run.is_active else None
    return retro is not None and retro.status is RetroStatus.DONE


def step_dm_key(run: PlaybookRun, position: int) -> str:
    return f"{run_prefix(run)}step:{position}:due"


async def post_card(session: AsyncSession, *, run: PlaybookRun, starter: Person, now: datetime) -> None:
    """The checklist in the run's channel; the starter hears once if it cannot get there."""
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=card_key(run), kind=CARD_KIND,
                         method="chat.postMessage", args={"channel": run.channel_id, **await _card(session, run, now)},
                         not_before=now, owner=starter.slack_user_id)  # fmt: skip


async def redraw_card(session: AsyncSession, *, run: PlaybookRun, now: datetime) -> None:
    """The whole card again, after its post (each redraw carries it all, so a lost one is repaired by the next)."""
    if await outbox.get(session, workspace_id=run.workspace_id, key=card_key(run)) is None:
        return  # its post was purged long ago; `/playbook R-n` still shows it
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=f"{card_key(run)}:{new_token()}",
                         kind=CARD_KIND, method="chat.update", args=await _card(session, run, now), not_before=now,
                         thread_of=card_key(run))  # fmt: skip


async def note(session: AsyncSession, *, run: PlaybookRun, text: str, now: datetime) -> None:
    """A line in the card's thread (already mrkdwn: the caller escaped what people typed)."""
    if await outbox.get(session, workspace_id=run.workspace_id, key=card_key(run)) is None:
        return
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=f"{run_prefix(run)}note:{new_token()}",
                         kind=THREAD_KIND, method="chat.postMessage", args={"text": text}, not_before=now,
                         thread_of=card_key(run))  # fmt: skip


async def step_changed(session: AsyncSession, *, run: PlaybookRun, step: RunStep, actor: Person, resolved: bool,
                       now: datetime) -> None:  # fmt: skip
    """A step change: its note in the thread, the card redrawn, and when it finished the run, what resolving says."""
    # Its DM may still wait for the person's working hours: once they (or the lead) acted, it has nothing to say.
    await outbox.cancel(session, workspace_id=run.workspace_id, key_prefix=f"{run_prefix(run)}step:{step.position}:")
    await _redraw_dm(session, run=run, step=step, actor=actor, now=now)
    _, pinned = await runs.pinned_of(session, run=run)
    approver = (await runs.approvers_of(session, run=run, pinned=pinned)).get(step.step_key)
    await note(session, run=run, text=step_note(run, step, actor.slack_user_id, approver), now=now)
    if step.status is not StepStatus.AWAITING:  # decided (or changed) already: a held request has nothing to ask
        await outbox.cancel(
            session, workspace_id=run.workspace_id, key_prefix=f"{run_prefix(run)}approve:{step.position}:"
        )
    elif approver is not None:
        await _ask_approval(session, run=run, step=step, approver=approver, actor=actor, now=now)
    if resolved:
        await run_resolved(session, run=run, actor=None, automatic=True, now=now)
    else:
        await redraw_card(session, run=run, now=now)


async def _ask_approval(session: AsyncSession, *, run: PlaybookRun, step: RunStep, approver: Person, actor: Person,
                        now: datetime) -> None:  # fmt: skip
    """The approver's one message (each Done asks once: a fresh token), urgent for incidents like the step's DM."""
    if not people.reachable(approver):
        return
    playbook, _ = await runs.pinned_of(session, run=run)
    urgency = Urgency.URGENT if playbook.kind is PlaybookKind.INCIDENT else Urgency.NORMAL
    key = f"{run_prefix(run)}approve:{step.position}:{new_token()}"
    message = approval_dm(approver.slack_user_id, run, step, actor.slack_user_id)
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=key, kind=STEP_KIND, method="chat.postMessage",
                         args=message, not_before=now, urgency=urgency)  # fmt: skip


async def _redraw_dm(session: AsyncSession, *, run: PlaybookRun, step: RunStep, actor: Person, now: datetime) -> None:
    """The step's DM (when it went) shows what became of the step and who did it, so its old buttons go."""
    if await outbox.get(session, workspace_id=run.workspace_id, key=step_dm_key(run, step.position)) is None:
        return
    key = f"{run_prefix(run)}dm:{step.position}:{new_token()}"
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=key, kind=STEP_KIND, method="chat.update",
                         args=step_dm_redrawn(run, step, actor.slack_user_id), not_before=now,
                         thread_of=step_dm_key(run, step.position))  # fmt: skip


def overdue_key(run: PlaybookRun, person: Person) -> str:
    return f"{run_prefix(run)}step:overdue:{person.slack_user_id}"


async def _redraw_overdue_lists(session: AsyncSession, *, run: PlaybookRun, now: datetime) -> None:
    """The start's past-due lists lose their menus once the run is resolved: each shows what became of its steps
    (the steps listed are the person's that were past due at the start, as when it was sent)."""
    listed: dict[int, list[RunStep]] = {}
    for step in await runs.steps_of(session, run=run):
        if step.assignee is not None and step.due_at < run.created_at:
            listed.setdefault(step.assignee_id or 0, []).append(step)
    for group in listed.values():
        person = group[0].assignee
        sent = await outbox.get(session, workspace_id=run.workspace_id, key=overdue_key(run, person))
        if sent is None or sent.state is DeliveryState.CANCELLED:
            continue  # never sent (a single step gets its own DM), or cancelled before it went
        await outbox.enqueue(session, workspace_id=run.workspace_id, key=f"{run_prefix(run)}dm:overdue:{new_token()}",
                             kind=STEP_KIND, method="chat.update", args=overdue_dm_closed(run, group), not_before=now,
                             thread_of=overdue_key(run, person))  # fmt: skip


async def tell_overdue_at_start(session: AsyncSession, *, run: PlaybookRun, kind: PlaybookKind, now: datetime) -> None:
    """One message per person whose steps were already past due at the start (not one DM per step at once)."""
    urgency = Urgency.URGENT if kind is PlaybookKind.INCIDENT else Urgency.NORMAL
    for group in await run_schedule.claim_overdue_at_start(session, run=run, kind=kind, now=now):
        person = group[0].assignee
        if person is None or not people.reachable(person):
            continue
        await outbox.enqueue(session, workspace_id=run.workspace_id, key=overdue_key(run, person), kind=STEP_KIND,
                             method="chat.postMessage", args=overdue_dm(person.slack_user_id, run, group),
                             not_before=now, urgency=urgency)  # fmt: skip


async def run_resolved(session: AsyncSession, *, run: PlaybookRun, actor: Person | None, automatic: bool,
                       now: datetime) -> None:  # fmt: skip
    """No more reminders or step DMs for this run; the card shows the retrospective button."""
    await outbox.cancel(session, workspace_id=run.workspace_id, key_prefix=f"{run_prefix(run)}status:")
    await outbox.cancel(session, workspace_id=run.workspace_id, key_prefix=f"{run_prefix(run)}step:")
    await outbox.cancel(session, workspace_id=run.workspace_id, key_prefix=f"{run_prefix(run)}approve:")
    await _redraw_overdue_lists(session, run=run, now=now)
    await note(session, run=run, text=resolved_note(run, actor.slack_user_id if actor else None, automatic), now=now)
    await redraw_card(session, run=run, now=now)


async def tell_step_due(session: AsyncSession, *, run: PlaybookRun, step: RunStep, kind: PlaybookKind,
                        details: str, url: str | None, now: datetime) -> bool:  # fmt: skip
    """The step's one DM: urgent for incidents (whatever the hour), normal otherwise (inside working hours)."""
    person = step.assignee
    if person is None or not people.reachable(person):
        return False
    urgency = Urgency.URGENT if kind is PlaybookKind.INCIDENT else Urgency.NORMAL
    _, pinned = await runs.pinned_of(session, run=run)
    approver = (await runs.approvers_of(session, run=run, pinned=pinned)).get(step.step_key)
    message = step_dm(person.slack_user_id, run, step, details=details, url=url, now=now, kind=kind, approver=approver)
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=step_dm_key(run, step.position), kind=STEP_KIND,
                         method="chat.postMessage", args=message, not_before=now, urgency=urgency)  # fmt: skip
    return True


async def remind_status(session: AsyncSession, *, run: PlaybookRun, moment: datetime, now: datetime) -> bool:
    """The lead's reminder to post a status update: urgent, an incident does not wait for the morning."""
    if not people.reachable(run.lead):
        return False
    await outbox.enqueue(session, workspace_id=run.workspace_id, key=f"{run_prefix(run)}status:{moment:%Y%m%dT%H%M%S}",
                         kind=STATUS_KIND, method="chat.postMessage", args=status_dm(run.lead.slack_user_id, run),
                         not_before=now, urgency=Urgency.URGENT)  # fmt: skip
    return True
