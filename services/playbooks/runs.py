"""Runs (R-n): starting one on the version current at that moment, and finding one with its steps and timeline.

A run copies its pinned version's steps at start, each with its person and due moment resolved, so publishing
v3 later changes nothing in a run started on v2. The anchor is typed in the lead's zone: `now`, a date
(`2026-12-07`, 09:00 that day) or a date and time (`2026-12-07 14:30`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import (
    Person,
    Playbook,
    PlaybookKind,
    PlaybookRun,
    PlaybookVersion,
    RunEvent,
    RunEventKind,
    RunStep,
    Workspace,
)
from models.playbook_run import RUN_PREFIX, RunStatus, StepStatus
from services import people
from services.errors import Invalid, NotNow
from services.playbooks.timing import DAY_STARTS, parse_timing
from services.playbooks.versions import get, version
from services.refs import next_number, parse_ref

DEFAULT_STATUS_MINUTES = 30
MIN_STATUS_MINUTES, MAX_STATUS_MINUTES = 5, 24 * 60
MAX_TITLE = 150
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


class RunField(StrEnum):
    TITLE = "title"
    LEAD = "lead"
    ANCHOR = "anchor"
    CHANNEL = "channel"
    STATUS_EVERY = "status_every"
    ROLES = "roles"  # a role's own field is `role:<name>`


def role_field(role: str) -> str:
    return f"role:{role}"


@dataclass(frozen=True)
class RunForm:
    """What the start form holds, as typed (Slack user ids for people)."""

    lead: str | None
    anchor: str
    channel: str | None
    title: str = ""
    status_every: str = ""
    roles: dict[str, str | None] = field(default_factory=dict)  # role name -> Slack user id


def roles_of(steps: list[dict[str, Any]]) -> list[str]:
    """The roles a version's steps name, in order of first use (a step naming a person fills no role), then
    the roles whose approval a step needs (someone must fill those too)."""
    found: dict[str, None] = {}
    for step in steps:
        if step.get("role") and not step.get("person_id"):
            found.setdefault(str(step["role"]), None)
    for step in steps:
        if step.get("approval_role"):
            found.setdefault(str(step["approval_role"]), None)
    return list(found)


def is_lead_role(role: str, kind: PlaybookKind) -> bool:
    """`lead` or `incident lead` in an incident (`launch lead` in a launch): the run's lead, asked once as Lead."""
    return role.strip().lower() in ("lead", f"{kind.value} lead")


def asked_roles(steps: list[dict[str, Any]], kind: PlaybookKind) -> list[str]:
    """The roles the start form asks who fills: all but the run's own lead."""
    return [role for role in roles_of(steps) if not is_lead_role(role, kind)]


def parse_anchor(text: str, zone: str, now: datetime) -> datetime:
    """The anchor typed in `zone`, in UTC; raises ValueError with a sentence."""
    raw = text.strip().lower()
    if raw in ("", "now"):
        return now.astimezone(UTC)
    match = _DATE.match(raw)
    if not match:
        raise ValueError("Write `now`, a date like `2026-12-07`, or a date and time like `2026-12-07 14:30`.")
    year, month, day, hour, minute = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), tzinfo=ZoneInfo(zone))
        at = DAY_STARTS if hour is None else time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"“{text.strip()[:20]}” is not a date on the calendar.") from None
    if abs(moment.date() - now.astimezone(ZoneInfo(zone)).date()) > timedelta(days=366):
        raise ValueError("Keep the start within a year of today.")
    return datetime.combine(moment.date(), at, tzinfo=moment.tzinfo).astimezone(UTC)


async def startable(session: AsyncSession, *, workspace_id: int, ref: str) -> tuple[Playbook, PlaybookVersion]:
    """The playbook `ref` and its current version, or NotNow saying why it cannot be run."""
    playbook = await get(session, workspace_id=workspace_id, ref=ref)
    if playbook is None or playbook.archived_at is not None:
        raise NotNow(f"I can't find {ref.strip().upper()[:20]} in this workspace. `/playbook list` shows them.")
    current = await version(session, playbook=playbook)
    if current is None:
        raise NotNow(f"{playbook.ref} has no published version yet: publish it before running it.")
    return playbook, current


async def _named(session: AsyncSession, workspace: Workspace, user_id: str | None, key: str,
                 errors: dict[str, str]) -> Person | None:  # fmt: skip
    if not user_id:
        return None
    person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
    why = people.unassignable(person)
    if why:
        errors[key] = why
        return None
    return person


def _status_every(kind: PlaybookKind, typed: str, errors: dict[str, str]) -> int | None:
    if kind is not PlaybookKind.INCIDENT:
        return None
    text = typed.strip() or str(DEFAULT_STATUS_MINUTES)
    if not text.isdigit() or not MIN_STATUS_MINUTES <= int(text) <= MAX_STATUS_MINUTES:
        errors[RunField.STATUS_EVERY] = f"Write whole minutes from {MIN_STATUS_MINUTES} to {MAX_STATUS_MINUTES}."
        return None
    return int(text)


async def start(session: AsyncSession, *, workspace: Workspace, starter: Person, ref: str, form: RunForm,
                now: datetime) -> PlaybookRun:  # fmt: skip
    """R-n on the version of `ref` current now, its steps handed out; raises Invalid (by field), storing nothing."""
    playbook, pinned = await startable(session, workspace_id=workspace.id, ref=ref)
    errors: dict[str, str] = {}
    lead = await _named(session, workspace, form.lead, RunField.LEAD, errors)
    if form.lead is None:
        errors[RunField.LEAD] = "Choose who leads this run."
    leads = [role for role in roles_of(pinned.steps) if is_lead_role(role, playbook.kind)]
    filled: dict[str, int] = {role: lead.id for role in leads} if lead else {}
    for role in asked_roles(pinned.steps, playbook.kind):
        person = await _named(session, workspace, form.roles.get(role), role_field(role), errors)
        if person is not None:
            filled[role] = person.id
        elif not form.roles.get(role):
            errors[role_field(role)] = f"Choose who fills “{role}” in this run."
    if not form.channel:
        errors[RunField.CHANNEL] = "Choose the channel that gets the checklist."
    every = _status_every(playbook.kind, form.status_every, errors)
    zone = people.person_zone(lead, workspace).key if lead else workspace.timezone
    try:
        anchor = parse_anchor(form.anchor, zone, now)
    except ValueError as exc:
        errors[RunField.ANCHOR] = str(exc)
    if len(form.title.strip()) > MAX_TITLE:
        errors[RunField.TITLE] = f"Keep the name within {MAX_TITLE} characters."
    if errors:
        raise Invalid(errors)
    assert lead is not None and form.channel
    run = PlaybookRun(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind=RUN_PREFIX),
        playbook_id=playbook.id,
        version_id=pinned.id,
        title=form.title.strip() or playbook.name,
        lead=lead,
        roles=filled,
        anchor_at=anchor,
        zone=zone,
        channel_id=form.channel,
        status_every_minutes=every,
        next_status_reminder_at=max(anchor, now) + timedelta(minutes=every) if every else None,
        started_by_id=starter.id,
        created_at=now,
    )
    session.add(run)
    await session.flush()
    for position, step in enumerate(pinned.steps, start=1):
        session.add(_run_step(run, position, step, lead_id=lead.id))
    session.add(RunEvent(workspace_id=workspace.id, run_id=run.id, kind=RunEventKind.STARTED, at=now,
                         actor_id=starter.id, data={"version": pinned.number, "playbook": playbook.ref}))  # fmt: skip
    await session.flush()
    return run


def _run_step(run: PlaybookRun, position: int, step: dict[str, Any], *, lead_id: int) -> RunStep:
    role = step.get("role") if not step.get("person_id") else None
    assignee = step.get("person_id") or (run.roles.get(role) if role else None) or lead_id
    try:
        timing = parse_timing(str(step.get("timing") or "now"))
    except ValueError:  # a published step's timing was checked when it was written; never lose the step
        timing = parse_timing("now")
    due = timing.due_at(anchor=run.anchor_at, zone=run.zone)
    return RunStep(
        workspace_id=run.workspace_id,
        run_id=run.id,
        position=position,
        step_key=str(step.get("key") or position)[:16],
        title=str(step.get("title") or f"Step {position}")[:200],
        role=role,
        assignee_id=assignee,
        due_at=due,
        status=StepStatus.PENDING,
        next_ping_at=due,
    )


# reading -------------------------------------------------------------------------------------------------------


async def get_run(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> PlaybookRun | None:
    """R-n of this workspace (another workspace's R-n is never found)."""
    number = parse_ref(ref, RUN_PREFIX)
    if number is None:
        return None
    query = (
        select(PlaybookRun)
        .where(PlaybookRun.workspace_id == workspace_id, PlaybookRun.number == number)
        .options(joinedload(PlaybookRun.lead))
    )
    if lock:
        query = query.with_for_update(of=PlaybookRun)
    return await session.scalar(query)


async def steps_of(session: AsyncSession, *, run: PlaybookRun) -> list[RunStep]:
    query = select(RunStep).where(RunStep.run_id == run.id).options(joinedload(RunStep.assignee))
    return list((await session.scalars(query.order_by(RunStep.position))).all())


async def timeline(session: AsyncSession, *, run: PlaybookRun) -> list[RunEvent]:
    query = select(RunEvent).where(RunEvent.run_id == run.id).options(joinedload(RunEvent.actor))
    return list((await session.scalars(query.order_by(RunEvent.at, RunEvent.id))).all())


async def pinned_of(session: AsyncSession, *, run: PlaybookRun) -> tuple[Playbook, PlaybookVersion]:
    playbook = await session.get(Playbook, run.playbook_id)
    pinned = await session.get(PlaybookVersion, run.version_id)
    assert playbook is not None and pinned is not None
    return playbook, pinned


async def approvers_of(session: AsyncSession, *, run: PlaybookRun, pinned: PlaybookVersion) -> dict[str, Person]:
    """Step key -> the person who fills the role whose approval that step needs, in this run."""
    wanted = {str(s.get("key")): run.roles.get(str(s["approval_role"])) for s in pinned.steps if s.get("approval_role")}
    ids = {i for i in wanted.values() if i}
    if not ids:
        return {}
    found = {p.id: p for p in (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()}
    return {key[:16]: found[i] for key, i in wanted.items() if i in found}


async def my_steps(session: AsyncSession, *, workspace_id: int, person: Person,
                   limit: int = 5) -> tuple[list[tuple], int]:  # fmt: skip
    """(step, run, the playbook's kind) the person has still to do in active runs, soonest due first, with the
    blocked steps of runs they lead (those wait for them); and how many there are in all."""
    mine = (RunStep.assignee_id == person.id) & RunStep.status.in_((StepStatus.PENDING, StepStatus.BLOCKED))
    leading = (PlaybookRun.lead_id == person.id) & (RunStep.status == StepStatus.BLOCKED)
    query = (
        select(RunStep, PlaybookRun, Playbook.kind)
        .join(PlaybookRun, PlaybookRun.id == RunStep.run_id)
        .join(Playbook, Playbook.id == PlaybookRun.playbook_id)
        .where(RunStep.workspace_id == workspace_id, mine | leading, PlaybookRun.status == RunStatus.ACTIVE)
        .order_by(RunStep.due_at, RunStep.id)
    )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    shown = query.limit(limit).options(joinedload(RunStep.assignee))
    found = [(step, run, kind) for step, run, kind in (await session.execute(shown)).all()]
    approving = await _awaiting_approval_by(session, workspace_id=workspace_id, person=person)
    return (approving + found)[:limit], int(total or 0) + len(approving)


async def _awaiting_approval_by(session: AsyncSession, *, workspace_id: int, person: Person) -> list[tuple]:
    """Steps done and awaiting `person`'s approval in active runs (the approver is a run's role, not a column)."""
    query = (
        select(RunStep, PlaybookRun, Playbook.kind)
        .join(PlaybookRun, PlaybookRun.id == RunStep.run_id)
        .join(Playbook, Playbook.id == PlaybookRun.playbook_id)
        .where(
            RunStep.workspace_id == workspace_id,
            RunStep.status == StepStatus.AWAITING,
            PlaybookRun.status == RunStatus.ACTIVE,
        )  # fmt: skip
        .options(joinedload(RunStep.assignee))
        .order_by(RunStep.due_at, RunStep.id)
        .limit(200)
    )
    found = []
    for step, run, kind in (await session.execute(query)).all():
        if person.id not in run.roles.values():
            continue  # not one of this run's people: cannot be its approver
        _, pinned = await pinned_of(session, run=run)
        approver = (await approvers_of(session, run=run, pinned=pinned)).get(step.step_key)
        if approver is not None and approver.id == person.id:
            found.append((step, run, kind))
    return found
