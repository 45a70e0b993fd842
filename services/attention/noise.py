"""How noisy the bot has been: over the last four weeks, the DMs it started (rows with `interrupts`) that were
sent. One query reads them; the figures are worked out in Python (a few thousand rows for a team of thirty).

- DMs per person-day: top-level DMs, counted on the person's own calendar day, over the person-days that had at
  least one; a "your day" round-up counts once (the messages inside it are thread replies).
- Held vs sent at once: every DM sent in the window; held means it waited at least once (`held_reason`).
- Response rate per kind: of the DMs sent more than a day ago, the share answered within 24 hours of being
  sent (a button pressed or a reply). A kind with enough sent and few answered is a candidate to turn off.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState, Person, Workspace

WINDOW = timedelta(days=28)
ANSWER_WITHIN = timedelta(hours=24)
ROUND_UP = "attention.your_day"  # the round-up itself: a container, not a nudge anyone could turn off
CANDIDATE_MIN_SENT = 10
CANDIDATE_BELOW = 0.2


@dataclass(frozen=True)
class KindRate:
    kind: str
    sent: int  # sent more than a day ago: each had its full day to be answered
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.sent if self.sent else 0.0

    @property
    def candidate(self) -> bool:
        return self.sent >= CANDIDATE_MIN_SENT and self.rate < CANDIDATE_BELOW


@dataclass(frozen=True)
class Noise:
    person_days: int
    median: float
    p95: int
    max: int
    held: int
    at_once: int
    kinds: tuple[KindRate, ...]  # most sent first

    @property
    def candidates(self) -> tuple[KindRate, ...]:
        return tuple(k for k in self.kinds if k.candidate)


@dataclass(frozen=True)
class Sent:
    """One DM as the report needs it."""

    person: tuple[int, str]  # (workspace, Slack user)
    zone: ZoneInfo
    kind: str
    sent_at: datetime
    held: bool
    responded_at: datetime | None
    top_level: bool


def percentile(values: list[int], share: float) -> int:
    """Nearest-rank percentile: a value someone actually had, never an interpolation between two."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0


def figures(rows: list[Sent], now: datetime) -> Noise:
    per_day = Counter((r.person, r.sent_at.astimezone(r.zone).date()) for r in rows if r.top_level)
    counts = list(per_day.values())
    sent: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for r in rows:
        if r.kind == ROUND_UP or r.sent_at > now - ANSWER_WITHIN:
            continue
        sent[r.kind] += 1
        if r.responded_at is not None and r.responded_at <= r.sent_at + ANSWER_WITHIN:
            answered[r.kind] += 1
    kinds = tuple(KindRate(k, n, answered[k]) for k, n in sorted(sent.items(), key=lambda kv: (-kv[1], kv[0])))
    held = sum(1 for r in rows if r.held)
    return Noise(
        person_days=len(counts),
        median=statistics.median(counts) if counts else 0,
        p95=percentile(counts, 0.95),
        max=max(counts, default=0),
        held=held,
        at_once=len(rows) - held,
        kinds=kinds,
    )


async def sent_dms(session: AsyncSession, *, now: datetime, workspace_id: int | None = None) -> list[Sent]:
    """The DMs the bot started and sent in the four weeks up to `now`; every workspace's when none is named."""
    person = and_(Person.workspace_id == Delivery.workspace_id, Person.slack_user_id == Delivery.interrupts)
    query = (
        select(
            Delivery.workspace_id,
            Delivery.interrupts,
            Delivery.kind,
            Delivery.sent_at,
            Delivery.held_reason,
            Delivery.responded_at,
            Delivery.thread_of,
            Person.timezone,
            Workspace.timezone,
        )
        .join(Workspace, Workspace.id == Delivery.workspace_id)
        .outerjoin(Person, person)
        .where(
            Delivery.interrupts.is_not(None),
            Delivery.state == DeliveryState.SENT,
            Delivery.sent_at >= now - WINDOW,
            Delivery.sent_at <= now,
        )
    )
    if workspace_id is not None:
        query = query.where(Delivery.workspace_id == workspace_id)
    found: list[Sent] = []
    for ws, user, kind, sent_at, held, responded, thread_of, own_zone, ws_zone in await session.execute(query):
        zone = _zone(own_zone) or _zone(ws_zone) or ZoneInfo("UTC")
        found.append(Sent((ws, user), zone, kind, sent_at, held is not None, responded, thread_of is None))
    return found


def _zone(name: str | None) -> ZoneInfo | None:
    """The zone named, or None when it is missing or unknown (ZoneInfo caches each zone it loads)."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


async def noise(session: AsyncSession, *, workspace_id: int | None, now: datetime) -> Noise:
    return figures(await sent_dms(session, now=now, workspace_id=workspace_id), now)
