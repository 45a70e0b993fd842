"""What the runs' scheduled job asks: which steps are due now (their person gets one DM), and which incident
runs owe their lead a status-update reminder.

Each ping is claimed before anything is queued: the row is locked, checked again, and the ping recorded on the
run's timeline under a key unique per run (a step is told once; a reminder once per moment), so a job that
runs twice, two schedulers, or a restart between claiming and sending queue nothing twice. A missed run of
the job sends only the latest reminder owed, never a burst.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Playbook, PlaybookKind, PlaybookRun, RunEvent, RunEventKind, RunStep
from models.playbook_run import RunStatus, StepStatus

LATE_AFTER = {PlaybookKind.INCIDENT: timedelta(minutes=15)}


@dataclass(frozen=True)
class Claimed:
    step: RunStep
    run: PlaybookRun
    kind: PlaybookKind
    tell: bool  # its person is owed the DM now (else the card only turns it late)


async def steps_due(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[int]:
    """Ids of pending steps of active runs whose one DM is due."""
    query = (
        select(RunStep.id)
        .join(PlaybookRun, PlaybookRun.id == RunStep.run_id)
        .where(
            RunStep.status == StepStatus.PENDING, RunStep.next_ping_at <= now, PlaybookRun.status == RunStatus.ACTIVE
        )
        .order_by(RunStep.next_ping_at, RunStep.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


def late_at(step: RunStep, kind: PlaybookKind) -> datetime:
    """When an open step counts as late: a quarter of an hour after it came due in an incident, a day otherwise."""
    return step.due_at + LATE_AFTER.get(kind, timedelta(days=1))


async def claim_step(session: AsyncSession, *, step_id: int, now: datetime) -> Claimed | None:
    """What is owed for the step now, when this caller is the one to do it; None when someone else did.

    A step's first moment is its due one (its person gets the DM); its second is when it turns late (the card is
    redrawn to say so, nobody is pinged)."""
    step = await session.scalar(
        select(RunStep).where(RunStep.id == step_id).options(joinedload(RunStep.assignee)).with_for_update(of=RunStep)
    )
    if step is None or step.status is not StepStatus.PENDING or step.next_ping_at is None or step.next_ping_at > now:
        return None
    run = await session.scalar(
        select(PlaybookRun).where(PlaybookRun.id == step.run_id).options(joinedload(PlaybookRun.lead))
    )
    if run is None or not run.is_active:
        return None
    kind = await session.scalar(select(Playbook.kind).where(Playbook.id == run.playbook_id))
    if step.pinged_at is not None:
        step.next_ping_at = None
        return Claimed(step, run, kind, tell=False)
    late = late_at(step, kind)
    step.next_ping_at, step.pinged_at = (late if late > now else None), now
    if not await _recorded(session, run, RunEventKind.STEP_DUE, f"step:{step.position}:due", now, step=step):
        return None
    return Claimed(step, run, kind, tell=True)


async def claim_overdue_at_start(session: AsyncSession, *, run: PlaybookRun, kind: PlaybookKind,
                                 now: datetime) -> list[list[RunStep]]:  # fmt: skip
    """Steps already past due when the run starts (a backdated incident, a launch whose T-14d is gone), per
    person who has two or more of them: claimed here, so each person gets one message listing theirs instead
    of one DM per step at once. A person with a single such step gets its usual DM from the job."""
    query = (
        select(RunStep)
        .where(RunStep.run_id == run.id, RunStep.status == StepStatus.PENDING, RunStep.due_at < now)
        .options(joinedload(RunStep.assignee))
        .order_by(RunStep.position)
    )
    by_person: dict[int, list[RunStep]] = {}
    for step in (await session.scalars(query)).all():
        by_person.setdefault(step.assignee_id or 0, []).append(step)
    groups = [group for group in by_person.values() if len(group) > 1]
    for group in groups:
        for step in group:
            late = late_at(step, kind)
            step.next_ping_at, step.pinged_at = (late if late > now else None), now
            await _recorded(session, run, RunEventKind.STEP_DUE, f"step:{step.position}:due", now, step=step)
    return groups


def past_due(steps: list[RunStep], now: datetime) -> list[RunStep]:
    """The open steps whose moment had already passed (for the start's warning)."""
    return [s for s in steps if s.status is StepStatus.PENDING and s.due_at < now]


async def runs_owing_status(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[int]:
    query = (
        select(PlaybookRun.id)
        .where(PlaybookRun.status == RunStatus.ACTIVE, PlaybookRun.next_status_reminder_at <= now)
        .order_by(PlaybookRun.next_status_reminder_at)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def claim_status(session: AsyncSession, *, run_id: int, now: datetime) -> tuple[PlaybookRun, datetime] | None:
    """The run and the moment of the reminder this caller sends; the run's next reminder moves on past now."""
    run = await session.scalar(
        select(PlaybookRun)
        .where(PlaybookRun.id == run_id)
        .options(joinedload(PlaybookRun.lead))
        .with_for_update(of=PlaybookRun)
    )
    due = run.next_status_reminder_at if run else None
    if run is None or not run.is_active or due is None or due > now or not run.status_every_minutes:
        return None
    every = timedelta(minutes=run.status_every_minutes)
    while due + every <= now:  # missed while the scheduler was down: only the latest is owed
        due += every
    run.next_status_reminder_at = due + every
    if not await _recorded(session, run, RunEventKind.STATUS_REMINDER, f"status:{due:%Y%m%dT%H%M%S}", now):
        return None
    return run, due


async def _recorded(session: AsyncSession, run: PlaybookRun, kind: RunEventKind, key: str, now: datetime, *,
                    step: RunStep | None = None) -> bool:  # fmt: skip
    """Adds the ping to the timeline; False when it is there already (another scheduler recorded it)."""
    event = RunEvent(workspace_id=run.workspace_id, run_id=run.id, step_id=step.id if step else None, kind=kind,
                     at=now, ping_key=key, data={"position": step.position} if step else {})  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(event)
    except IntegrityError:
        return False
    return True
