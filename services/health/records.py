"""What happened to each finding: first and last seen, snoozed (quiet until then), acted on (which remedy, by
whom), resolved (the detectors stopped making it). Stored by the finding's key, so a run of the detectors
updates rows instead of adding them, and the closing rate can be counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import HealthFinding, Person, Workspace
from services import turns
from services.errors import NotFound
from services.health.findings import Finding, Remedy

SNOOZE = timedelta(days=7)
KEYS_PER_QUERY = 500  # an IN list well within what either database takes


async def _stored(session: AsyncSession, workspace_id: int) -> dict[str, HealthFinding]:
    query = select(HealthFinding).where(HealthFinding.workspace_id == workspace_id,
                                        HealthFinding.resolved_at.is_(None))  # fmt: skip
    return {row.key: row for row in await turns.scalars(session, query.with_for_update())}


async def _earlier(session: AsyncSession, workspace_id: int, keys: list[str]) -> dict[str, HealthFinding]:
    """Resolved findings made again: the key is kept per workspace, so the same row opens once more."""
    found: dict[str, HealthFinding] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        query = select(HealthFinding).where(HealthFinding.workspace_id == workspace_id,
                                            HealthFinding.key.in_(keys[start : start + KEYS_PER_QUERY]))  # fmt: skip
        found.update({row.key: row for row in await session.scalars(query.with_for_update())})
        await turns.a_turn()
    return found


def _reopened(row: HealthFinding, now: datetime) -> HealthFinding:
    """A new occurrence of a finding that had resolved: seen from now, nothing done about it yet (a snooze that
    still holds keeps holding)."""
    row.resolved_at, row.first_seen_at = None, now
    if row.snoozed_until is None or row.snoozed_until <= now:
        row.acted = row.acted_at = row.acted_by_id = None
    return row


async def sync(session: AsyncSession, *, workspace_id: int, found: list[Finding], now: datetime) -> list[Finding]:
    """Stores this run's findings (new ones added, the rest touched, those no longer made resolved) and returns
    the ones not snoozed now, in the order given."""
    # One run at a time per workspace (PostgreSQL; SQLite has one writer): two would both add a new finding.
    await session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())
    stored = await _stored(session, workspace_id)
    new_keys: list[str] = []
    async for batch in turns.batches(found):  # thousands of findings in a large workspace: in turns, this too
        new_keys += [key for f in batch if (key := f.key) not in stored]
    earlier = await _earlier(session, workspace_id, new_keys)
    seen: dict[str, HealthFinding] = {}
    quiet: set[str] = set()
    # A batch at a time, each written before the next: thousands of rows flushed at once hold the loop too long.
    async for batch in turns.batches(found):
        for finding in batch:
            _store(session, workspace_id, finding, stored, earlier, seen, quiet, now)
        await session.flush()
    async for gone in turns.batches(list(stored.values())):
        for row in gone:
            row.resolved_at = now
        await session.flush()
    await turns.release(seen, stored, earlier)  # thousands of loaded rows: freed in turns, not all at once
    return [f for f in found if f.key not in quiet]


def _store(
    session: AsyncSession,
    workspace_id: int,
    finding: Finding,
    stored: dict[str, HealthFinding],
    earlier: dict[str, HealthFinding],
    seen: dict[str, HealthFinding],
    quiet: set[str],
    now: datetime,
) -> None:
    """One finding onto its row: a new row, the open one touched, or a resolved one reopened."""
    row = seen.get(finding.key) or stored.pop(finding.key, None)
    if row is None and finding.key in earlier:
        row = _reopened(earlier[finding.key], now)
    if row is None:
        row = HealthFinding(workspace_id=workspace_id, key=finding.key, kind=finding.kind.value,
                            subject=finding.subject, first_seen_at=now)  # fmt: skip
        session.add(row)
    seen[finding.key] = row
    row.severity, row.owner_id, row.channel_id = int(finding.severity), finding.owner_id, finding.channel_id
    row.evidence, row.last_seen_at = finding.evidence[:500], now
    advice = finding.recommendation
    row.remedy, row.remedy_label, row.remedy_value, row.why = advice.remedy.value, advice.label[:75], \
        advice.value[:40], advice.why[:300]  # fmt: skip
    if row.snoozed_until is not None and row.snoozed_until > now:
        quiet.add(finding.key)


async def record_of(session: AsyncSession, *, workspace_id: int, key: str, for_update: bool = False) -> HealthFinding:
    query = select(HealthFinding).where(HealthFinding.workspace_id == workspace_id, HealthFinding.key == key)
    row = await session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise NotFound("that finding")
    return row


def may_snooze(person: Person, row: HealthFinding) -> bool:
    """Quieting a finding quiets it for everyone: it is for the person it is on, or an admin."""
    return person.is_admin or person.id == row.owner_id


async def snooze(session: AsyncSession, *, workspace_id: int, key: str, actor: Person, now: datetime) -> HealthFinding:
    """Quiet for a week: recorded, so the next run doesn't bring it back before then."""
    row = await record_of(session, workspace_id=workspace_id, key=key, for_update=True)
    row.snoozed_until = now + SNOOZE
    row.acted, row.acted_at, row.acted_by_id = "snooze", now, actor.id
    await session.flush()
    return row


async def acted(session: AsyncSession, *, workspace_id: int, key: str, remedy: Remedy, actor: Person,
                now: datetime) -> None:  # fmt: skip
    row = await record_of(session, workspace_id=workspace_id, key=key, for_update=True)
    row.acted, row.acted_at, row.acted_by_id = remedy.value, now, actor.id
    await session.flush()


@dataclass(frozen=True)
class Closing:
    """Findings seen in a window and what became of them."""

    seen: int
    acted: int
    resolved: int

    @property
    def rate(self) -> float:
        return self.resolved / self.seen if self.seen else 0.0


async def closing(
    session: AsyncSession, *, workspace_id: int, since: datetime, channel_id: str | None = None
) -> Closing:
    where = [HealthFinding.workspace_id == workspace_id, HealthFinding.last_seen_at >= since]
    if channel_id is not None:
        where.append(HealthFinding.channel_id == channel_id)
    query = select(
        func.count(),
        func.count(HealthFinding.acted_at),
        func.count(HealthFinding.resolved_at),
    ).where(*where)
    seen, acted_count, resolved = (await session.execute(query)).one()
    return Closing(seen, acted_count, resolved)
