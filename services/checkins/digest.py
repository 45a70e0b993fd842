"""What a round's digest says, as plain data: who answered and who did not, the team's outcomes by status with
what changed since the last round, blockers with whose they are, outcomes with no update for two rounds, and
the channel's overdue action items.

The team's outcomes are the open ones owned by the people invited, and those defined in the round's channel
(plus any of them closed since the last round, so "done" shows up once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Action, Invite, Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressUpdate, Round
from models.outcome import OPEN_STATUSES
from services import actions
from services.checkins.rounds import missing, previous_round

LIST_LIMIT = 8  # per section: the digest is read in a minute
OVERDUE_LIMIT = 5  # a nudge to the team, not the list itself (`/action list overdue` has that)


@dataclass(frozen=True)
class MetricMove:
    metric: Metric
    before: float
    after: float


@dataclass
class Change:
    """How an outcome moved since the last round."""

    outcome: Outcome
    status_before: OutcomeStatus | None = None  # set when the status changed
    status_after: OutcomeStatus | None = None
    moves: list[MetricMove] = field(default_factory=list)


@dataclass(frozen=True)
class Blocker:
    text: str
    raised_by: Person
    outcome: Outcome | None = None  # when it was logged on an outcome


@dataclass
class Digest:
    round: Round
    answered: list[Invite]  # in the order they answered
    missing: list[Invite]
    away: list[Invite]
    statuses: dict[OutcomeStatus, int]
    changes: list[Change]
    blockers: list[Blocker]
    stale: list[Outcome]
    since: datetime  # "since the last round" starts here
    more: dict[str, int] = field(default_factory=dict)  # section -> items left out to keep it short
    overdue: list[Action] = field(default_factory=list)  # the channel's open action items past their date
    today: date | None = None  # the day the digest is read, in the check-in's zone (how late, in days)


def _short(items: list, name: str, more: dict[str, int]) -> list:
    if len(items) > LIST_LIMIT:
        more[name] = len(items) - LIST_LIMIT
    return items[:LIST_LIMIT]


async def build_digest(session: AsyncSession, *, round_: Round, now: datetime) -> Digest:
    """`round_` comes with its invites, their people and its cadence loaded (services.checkins.rounds.load_round)."""
    workspace_id = round_.workspace_id
    period = timedelta(weeks=round_.cadence.interval_weeks)
    previous = await previous_round(session, round_=round_)
    since = previous.opened_at if previous else round_.opened_at - period
    # "No update for two rounds": nothing since the previous round began (or a period before this one).
    stale_since = since

    invites = list(round_.invites)
    answered = sorted((i for i in invites if i.answered), key=lambda i: (i.answered_at, i.id))
    missing_ = missing(round_)
    away = [i for i in invites if i.away and not i.answered]

    outcomes = await _team_outcomes(session, round_, since)
    by_id = {o.id: o for o in outcomes}
    statuses = Counter(o.status for o in outcomes if o.status is not OutcomeStatus.DROPPED)
    updates = await _updates(session, workspace_id, list(by_id), since=since, now=now) if by_id else []
    changes = await _changes(session, outcomes, updates, since=since, now=now)

    blockers = [Blocker(i.blocker, i.person) for i in answered if i.blocker]
    blockers += [Blocker(u.blocker, u.author, by_id[u.outcome_id]) for u in updates if u.blocker]

    stale = [o for o in outcomes if o.status in OPEN_STATUSES and (o.last_progress_at or o.created_at) < stale_since]
    more: dict[str, int] = {}
    today = now.astimezone(ZoneInfo(round_.cadence.timezone)).date()
    overdue, late = await actions.overdue_in_channel(
        session, workspace_id=workspace_id, channel_id=round_.channel_id, today=today, limit=OVERDUE_LIMIT
    )
    if late > len(overdue):
        more["overdue"] = late - len(overdue)
    return Digest(
        round=round_,
        answered=answered,
        missing=missing_,
        away=away,
        statuses=dict(statuses),
        changes=_short(changes, "changes", more),
        blockers=_short(blockers, "blockers", more),
        stale=_short(stale, "stale", more),
        since=since,
        more=more,
        overdue=overdue,
        today=today,
    )


async def _team_outcomes(session: AsyncSession, round_: Round, since: datetime) -> list[Outcome]:
    """Open outcomes of the people invited or of the round's channel, and those closed since `since`."""
    people_ids = [i.person_id for i in round_.invites]
    team = or_(Outcome.owner_id.in_(people_ids), Outcome.channel_id == round_.channel_id)
    current = or_(Outcome.status.in_(OPEN_STATUSES), Outcome.closed_at >= since)
    query = (
        select(Outcome)
        .where(Outcome.workspace_id == round_.workspace_id, team, current)
        .order_by(Outcome.number)
        .options(selectinload(Outcome.owner), selectinload(Outcome.metrics))
    )
    return list(await session.scalars(query))


async def _updates(
    session: AsyncSession, workspace_id: int, outcome_ids: list[int], *, since: datetime, now: datetime
) -> list[ProgressUpdate]:
    query = (
        select(ProgressUpdate)
        .where(
            ProgressUpdate.workspace_id == workspace_id,
            ProgressUpdate.outcome_id.in_(outcome_ids),
            ProgressUpdate.created_at >= since,
            ProgressUpdate.created_at <= now,
        )
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
        .options(selectinload(ProgressUpdate.author))
    )
    return list(await session.scalars(query))


async def _changes(
    session: AsyncSession, outcomes: list[Outcome], updates: list[ProgressUpdate], *, since: datetime, now: datetime
) -> list[Change]:
    found: dict[int, Change] = {}
    for update in updates:
        if update.status_before is not None and update.status_after is not None:
            change = found.setdefault(update.outcome_id, Change(next(o for o in outcomes if o.id == update.outcome_id)))
            if change.status_before is None:
                change.status_before = update.status_before
            change.status_after = update.status_after
    metrics = {m.id: (o, m) for o in outcomes for m in o.metrics}
    if metrics:
        in_window = select(MetricReading).where(
            MetricReading.metric_id.in_(metrics), MetricReading.recorded_at >= since, MetricReading.recorded_at <= now
        )
        latest: dict[int, float] = {}
        for reading in await session.scalars(in_window.order_by(MetricReading.recorded_at, MetricReading.id)):
            latest[reading.metric_id] = reading.value
        if latest:
            before = await _values_before(session, list(latest), since)
            for metric_id, value in latest.items():
                outcome, metric = metrics[metric_id]
                start = before.get(metric_id, metric.baseline)
                if start != value:
                    change = found.setdefault(outcome.id, Change(outcome))
                    change.moves.append(MetricMove(metric, start, value))
    for change in found.values():
        if change.status_before == change.status_after:  # moved and moved back: no news
            change.status_before = change.status_after = None
    kept = [c for c in found.values() if c.status_after is not None or c.moves]
    return sorted(kept, key=lambda c: c.outcome.number)


async def _values_before(session: AsyncSession, metric_ids: list[int], since: datetime) -> dict[int, float]:
    """Each metric's last reading before `since`."""
    last = (
        select(MetricReading.metric_id, func.max(MetricReading.recorded_at).label("at"))
        .where(MetricReading.metric_id.in_(metric_ids), MetricReading.recorded_at < since)
        .group_by(MetricReading.metric_id)
        .subquery()
    )
    rows = await session.execute(
        select(MetricReading.metric_id, MetricReading.value, MetricReading.id)
        .join(last, (last.c.metric_id == MetricReading.metric_id) & (last.c.at == MetricReading.recorded_at))
        .order_by(MetricReading.id)
    )
    return {metric_id: value for metric_id, value, _ in rows}
