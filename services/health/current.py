"""The findings as they stand: run the detectors with the workspace's thresholds, store what they found, and
answer for a scope (the whole workspace, a channel, a person, one subject). Snoozed findings stay quiet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import HealthFinding
from services import turns
from services.health.detect import findings_in_turns
from services.health.findings import Finding
from services.health.loading import snapshot
from services.health.records import sync
from services.health.settings import settings_of, thresholds_of

HOME_LIMIT = 5


async def refresh(session: AsyncSession, *, workspace_id: int, now: datetime) -> list[Finding]:
    """Every finding of the workspace now, stored; the snoozed ones left out of what is returned."""
    limits = thresholds_of(await settings_of(session, workspace_id=workspace_id))
    with turns.full_collections_deferred():
        data = await snapshot(session, workspace_id=workspace_id, now=now, limits=limits)
        found = await findings_in_turns(data, now, limits)
        outcomes, data = list(data.outcomes), None  # the snapshot's bulk, freed in turns below, not all at once
        kept = await sync(session, workspace_id=workspace_id, found=found, now=now)
        await turns.release(outcomes)
        return kept


@dataclass(frozen=True)
class Scope:
    channel_id: str | None = None
    person_id: int | None = None
    subject: str | None = None  # O-12, D-7, M-3

    def holds(self, finding: Finding) -> bool:
        if self.subject is not None:
            return finding.subject.upper() == self.subject.upper()
        if self.person_id is not None:
            return finding.owner_id == self.person_id
        if self.channel_id is not None:
            return finding.channel_id == self.channel_id
        return True


def within(found: list[Finding], scope: Scope) -> list[Finding]:
    return [f for f in found if scope.holds(f)]


async def stored_for(session: AsyncSession, *, workspace_id: int, person_id: int, now: datetime,
                     limit: int = HOME_LIMIT) -> list[HealthFinding]:  # fmt: skip
    """A person's own open findings as the last run stored them, most severe first: the Home tab reads these
    rather than running every detector on each open."""
    query = (
        select(HealthFinding)
        .where(
            HealthFinding.workspace_id == workspace_id,
            HealthFinding.owner_id == person_id,
            HealthFinding.resolved_at.is_(None),
            (HealthFinding.snoozed_until.is_(None)) | (HealthFinding.snoozed_until <= now),
        )
        .order_by(HealthFinding.severity.desc(), HealthFinding.first_seen_at, HealthFinding.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def stored_in(session: AsyncSession, *, workspace_id: int, scope: Scope, now: datetime) -> list[HealthFinding]:
    """The open findings of a scope as stored (refresh first for them to be current), snoozed ones left out, most
    severe first."""
    query = select(HealthFinding).where(
        HealthFinding.workspace_id == workspace_id,
        HealthFinding.resolved_at.is_(None),
        (HealthFinding.snoozed_until.is_(None)) | (HealthFinding.snoozed_until <= now),
    )
    if scope.subject is not None:
        query = query.where(HealthFinding.subject == scope.subject.upper())
    elif scope.person_id is not None:
        query = query.where(HealthFinding.owner_id == scope.person_id)
    elif scope.channel_id is not None:
        query = query.where(HealthFinding.channel_id == scope.channel_id)
    order = (HealthFinding.severity.desc(), HealthFinding.kind, HealthFinding.subject, HealthFinding.id)
    return list(await session.scalars(query.order_by(*order)))
