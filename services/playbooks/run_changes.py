"""Changing a run: a step done, skipped (with a reason) or blocked (with a reason), and resolving the run.

The step's person, the run's lead or a workspace admin may change a step; the lead or an admin resolves. Each
change locks the row it changes and adds one line to the run's timeline. A step done or skipped refuses Skip and
Blocked (an old button), naming who closed it. Done on a step that needs approval, pressed by anyone but its
approver, waits for the approver (`awaiting`); the approver (or the lead, or an admin) approves it, and only then
is it done, or sends it back open with a reason. A run whose steps are all done or skipped resolves itself.
Resolving stops the status reminders and the step messages not yet due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Person, PlaybookRun, RunEvent, RunEventKind, RunStep
from models.playbook_run import RunStatus, StepStatus
from services.errors import Forbidden, Invalid, NotNow
from services.playbooks import runs

MAX_REASON = 300
FINISHED = (StepStatus.DONE, StepStatus.SKIPPED)
EVENT_OF = {
    StepStatus.DONE: RunEventKind.STEP_DONE,
    StepStatus.SKIPPED: RunEventKind.STEP_SKIPPED,
    StepStatus.BLOCKED: RunEventKind.STEP_BLOCKED,
    StepStatus.PENDING: RunEventKind.STEP_REOPENED,
    StepStatus.AWAITING: RunEventKind.STEP_AWAITING,
}


@dataclass(frozen=True)
class StepChange:
    run: PlaybookRun
    step: RunStep
    changed: bool  # False: it already was so (a second press)
    resolved: bool  # the change finished the run


async def locked_step(session: AsyncSession, *, run: PlaybookRun, position: int) -> RunStep | None:
    query = (
        select(RunStep)
        .where(RunStep.run_id == run.id, RunStep.position == position)
        .options(joinedload(RunStep.assignee))
        .with_for_update(of=RunStep)
    )
    return await session.scalar(query)


async def closed_sentence(session: AsyncSession, run: PlaybookRun, step: RunStep) -> str:
    """Why a closed step takes no Skip or Blocked (an old button pressed after someone closed it)."""
    closer = await session.get(Person, step.closed_by_id) if step.closed_by_id else None
    name = (closer.display_name or closer.slack_user_id) if closer else "someone"
    word = "done" if step.status is StepStatus.DONE else "skipped"
    return f"Step {step.position} of {run.ref} is already {word} ({name} closed it): it can't be skipped or blocked."


async def refuse_before_reason(session: AsyncSession, *, run: PlaybookRun, position: int, actor: Person) -> None:
    """Forbidden or NotNow when Skip or Blocked on step `position` would be refused anyway, checked before the
    reason is asked (nobody writes a reason only to be told no)."""
    query = (
        select(RunStep)
        .where(RunStep.run_id == run.id, RunStep.position == position)
        .options(joinedload(RunStep.assignee))
    )
    step = await session.scalar(query)
    if step is None:
        raise NotNow(f"{run.ref} has no step {position}.")
    check_may_change(run, step, actor)
    if not run.is_active:
        raise NotNow(f"{run.ref} is {run.status.value}; its steps no longer change.")
    if step.status in FINISHED:
        raise NotNow(await closed_sentence(session, run, step))


def check_may_change(run: PlaybookRun, step: RunStep, actor: Person) -> None:
    if actor.is_admin or actor.id in (step.assignee_id, run.lead_id):
        return
    named = [p for p in (step.assignee, run.lead) if p is not None]
    raise Forbidden(f"change step {step.position} of {run.ref}", "the step's person or the run's lead", named)


async def change_step(session: AsyncSession, *, run: PlaybookRun, position: int, actor: Person, status: StepStatus,
                      reason: str = "", now: datetime) -> StepChange:  # fmt: skip
    """Marks step `position` of `run` (locked by the caller) done, skipped or blocked."""
    step = await locked_step(session, run=run, position=position)
    if step is None:
        raise NotNow(f"{run.ref} has no step {position}.")
    check_may_change(run, step, actor)
    if not run.is_active:
        raise NotNow(f"{run.ref} is {run.status.value}; its steps no longer change.")
    if status is StepStatus.DONE and step.status is not StepStatus.DONE:
        approver = await approver_of(session, run, step)
        if approver is not None and approver.id != actor.id:
            status = StepStatus.AWAITING  # the approver's OK makes it done
    if step.status is status:
        return StepChange(run, step, changed=False, resolved=False)
    if step.status in FINISHED and status in (StepStatus.SKIPPED, StepStatus.BLOCKED):
        raise NotNow(await closed_sentence(session, run, step))
    reason = " ".join(reason.split())
    if status in (StepStatus.SKIPPED, StepStatus.BLOCKED) and not reason:
        raise Invalid({"reason": "Say why, in a few words: the timeline keeps it for the retrospective."})
    if len(reason) > MAX_REASON:
        raise Invalid({"reason": f"Keep the reason within {MAX_REASON} characters."})
    step.status, step.reason = status, reason or None
    step.next_ping_at = None  # the person knows of the step now; the one DM is no longer owed
    if status in FINISHED:
        step.closed_by_id, step.closed_at = actor.id, now
    session.add(_event(run, EVENT_OF[status], now, actor, step=step, reason=reason))
    await session.flush()
    resolved = status in FINISHED and await _all_finished(session, run)
    if resolved:
        await _resolve(session, run, actor, now, automatic=True)
    return StepChange(run, step, changed=True, resolved=resolved)


async def approver_of(session: AsyncSession, run: PlaybookRun, step: RunStep) -> Person | None:
    """Who must approve `step` in this run (None: it needs nobody's approval)."""
    _, pinned = await runs.pinned_of(session, run=run)
    return (await runs.approvers_of(session, run=run, pinned=pinned)).get(step.step_key)


async def refuse_before_decision(session: AsyncSession, *, run: PlaybookRun, position: int, actor: Person) -> None:
    """Forbidden or NotNow when Send back on step `position` would be refused, checked before its reason is asked."""
    step = await session.scalar(select(RunStep).where(RunStep.run_id == run.id, RunStep.position == position))
    await _check_decidable(session, run, step, position, actor)


async def _check_decidable(
    session: AsyncSession, run: PlaybookRun, step: RunStep | None, position: int, actor: Person
) -> RunStep:
    """`step`, when `actor` may approve or send it back now; else Forbidden or NotNow saying why."""
    if step is None:
        raise NotNow(f"{run.ref} has no step {position}.")
    approver = await approver_of(session, run, step)
    if not (actor.is_admin or actor.id == run.lead_id or (approver is not None and actor.id == approver.id)):
        named = [p for p in (approver, run.lead) if p is not None]
        raise Forbidden(f"approve step {step.position} of {run.ref}", "its approver or the run's lead", named)
    if not run.is_active:
        raise NotNow(f"{run.ref} is {run.status.value}; its steps no longer change.")
    if step.status is not StepStatus.AWAITING:
        state = "done" if step.status is StepStatus.DONE else f"{step.status.value}, not waiting for approval"
        raise NotNow(f"Step {step.position} of {run.ref} is {state}: nothing to decide.")
    return step


async def decide(session: AsyncSession, *, run: PlaybookRun, position: int, actor: Person, approve: bool,
                 reason: str = "", now: datetime) -> StepChange:  # fmt: skip
    """The approver (or the lead, or an admin) approves step `position`, awaiting approval, so it is done, or
    sends it back open with a reason. Run locked by the caller."""
    step = await _check_decidable(session, run, await locked_step(session, run=run, position=position), position, actor)
    reason = " ".join(reason.split())
    if not approve and not reason:
        raise Invalid({"reason": "Say what is missing, in a few words: its person sees it."})
    if len(reason) > MAX_REASON:
        raise Invalid({"reason": f"Keep the reason within {MAX_REASON} characters."})
    if approve:
        step.status, step.reason, step.closed_by_id, step.closed_at = StepStatus.DONE, None, actor.id, now
        session.add(_event(run, RunEventKind.STEP_DONE, now, actor, step=step, approved=True))
    else:
        step.status, step.reason = StepStatus.PENDING, reason
        session.add(_event(run, RunEventKind.STEP_SENT_BACK, now, actor, step=step, reason=reason))
    await session.flush()
    resolved = approve and await _all_finished(session, run)
    if resolved:
        await _resolve(session, run, actor, now, automatic=True)
    return StepChange(run, step, changed=True, resolved=resolved)


async def resolve(session: AsyncSession, *, run: PlaybookRun, actor: Person, now: datetime) -> PlaybookRun:
    """The lead (or an admin) ends the run (locked by the caller)."""
    if not (actor.is_admin or actor.id == run.lead_id):
        raise Forbidden(f"resolve {run.ref}", "the run's lead", [run.lead])
    if not run.is_active:
        raise NotNow(f"{run.ref} is already {run.status.value}.")
    await _resolve(session, run, actor, now, automatic=False)
    return run


async def status_posted(session: AsyncSession, *, run: PlaybookRun, actor: Person, now: datetime) -> datetime:
    """The lead (or an admin) says a status update is out (run locked by the caller): the next reminder comes a
    whole interval later. Returns when."""
    if not (actor.is_admin or actor.id == run.lead_id):
        raise Forbidden(f"record {run.ref}'s status updates", "the run's lead", [run.lead])
    if not run.is_active or not run.status_every_minutes:
        raise NotNow(f"{run.ref} is not waiting for status updates.")
    run.next_status_reminder_at = now + timedelta(minutes=run.status_every_minutes)
    session.add(_event(run, RunEventKind.STATUS_POSTED, now, actor))
    await session.flush()
    return run.next_status_reminder_at


async def _all_finished(session: AsyncSession, run: PlaybookRun) -> bool:
    left = await session.scalar(
        select(RunStep.id).where(RunStep.run_id == run.id, RunStep.status.not_in(FINISHED)).limit(1)
    )
    return left is None


async def _resolve(session: AsyncSession, run: PlaybookRun, actor: Person, now: datetime, *, automatic: bool) -> None:
    run.status, run.resolved_at = RunStatus.RESOLVED, now
    run.next_status_reminder_at = None
    await session.execute(
        update(RunStep)
        .where(RunStep.run_id == run.id)
        .values(next_ping_at=None)
        .execution_options(synchronize_session="fetch")
    )
    session.add(_event(run, RunEventKind.RESOLVED, now, actor, automatic=automatic))
    await session.flush()


def _event(run: PlaybookRun, kind: RunEventKind, now: datetime, actor: Person | None, *, step: RunStep | None = None,
           **data: object) -> RunEvent:  # fmt: skip
    if step is not None:
        data["position"] = step.position
    return RunEvent(
        workspace_id=run.workspace_id,
        run_id=run.id,
        step_id=step.id if step else None,
        kind=kind,
        at=now,
        actor_id=actor.id if actor else None,
        data={k: v for k, v in data.items() if v not in (None, "")},
    )
