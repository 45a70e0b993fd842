"""The health page: the workspace's open findings as the detectors make them now (run and stored first, as
`/followthrough health all` does), each with its evidence, what it recommends and why, and where to act on it;
snoozing one from the page; and the count of open findings the overview shows (as last stored: no run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import HealthFinding, Person
from services import health
from services.errors import Forbidden
from services.health.subjects import names_of, person_id_of

SEVERITY = {3: "high", 2: "medium", 1: "low"}


@dataclass(frozen=True)
class FindingRow:
    key: str
    kind: str  # "Behind pace"
    severity: str
    subject: str  # O-12, D-7, M-3, or a person's name
    name: str  # the subject's title or question ("" for a person)
    outcome_ref: str | None  # the subject when it is an outcome: the page links to it
    evidence: str
    action: str  # what it recommends, as Slack's button says it
    why: str
    owner: str
    channel_id: str | None
    acted: str | None  # what was done about it already
    may_snooze: bool


async def findings_page(session: AsyncSession, *, viewer: Person, now: datetime) -> list[FindingRow]:
    """Runs the detectors for the viewer's workspace (storing what they find) and lists the open findings, most
    severe first; call it inside a transaction."""
    workspace_id = viewer.workspace_id
    await health.refresh(session, workspace_id=workspace_id, now=now)
    rows = await health.stored_in(session, workspace_id=workspace_id, scope=health.Scope(), now=now)
    names = await names_of(session, workspace_id=workspace_id, subjects={r.subject for r in rows})
    owners = await _names(session, workspace_id, {r.owner_id for r in rows if r.owner_id is not None})
    return [_row(r, names, owners, viewer) for r in rows]


def _row(row: HealthFinding, names: dict[str, str], owners: dict[int, str], viewer: Person) -> FindingRow:
    is_person = person_id_of(row.subject) is not None
    return FindingRow(
        key=row.key,
        kind=row.kind.replace("_", " ").capitalize(),
        severity=SEVERITY.get(row.severity, "low"),
        subject=names.get(row.subject, "someone") if is_person else row.subject,
        name="" if is_person else names.get(row.subject, ""),
        outcome_ref=row.subject if row.subject.startswith("O-") else None,
        evidence=row.evidence,
        action=row.remedy_label,
        why=row.why,
        owner=owners.get(row.owner_id, "nobody") if row.owner_id is not None else "nobody",
        channel_id=row.channel_id,
        acted=row.acted,
        may_snooze=health.may_snooze(viewer, row),
    )


async def _names(session: AsyncSession, workspace_id: int, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Person.id, Person.display_name, Person.slack_user_id).where(
        Person.workspace_id == workspace_id, Person.id.in_(ids)
    )
    return {pid: name or user for pid, name, user in await session.execute(query)}


async def snooze(session: AsyncSession, *, viewer: Person, key: str, now: datetime) -> HealthFinding:
    """Quiets a finding of the viewer's workspace for a week; NotFound for a key it doesn't have."""
    row = await health.record_of(session, workspace_id=viewer.workspace_id, key=key[:200])
    if not health.may_snooze(viewer, row):
        raise Forbidden("snooze this finding", "the person it is on")
    return await health.snooze(session, workspace_id=viewer.workspace_id, key=row.key, actor=viewer, now=now)


async def open_count(session: AsyncSession, *, workspace_id: int, now: datetime) -> int:
    """Open findings as the last run stored them, snoozed ones left out: one count, no detectors run."""
    query = select(func.count()).where(
        HealthFinding.workspace_id == workspace_id,
        HealthFinding.resolved_at.is_(None),
        (HealthFinding.snoozed_until.is_(None)) | (HealthFinding.snoozed_until <= now),
    )
    return int(await session.scalar(query) or 0)
