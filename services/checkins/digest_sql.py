"""The digest's queries: the database aggregates a round's team (hundreds of people, thousands of outcomes, a
period of readings) and hands back counts, plain rows, and the few objects the message shows.

Each metric's standing before the period is its last earlier reading: a top-1 per metric on the
(metric_id, recorded_at) index (LATERAL on PostgreSQL, a correlated subquery on SQLite), never a scan of the whole
reading history. The team is a subquery, never a list of ids sent along.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Invite, Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressUpdate, Round
from models.outcome import OPEN_STATUSES
from services.blockers import CLEARED, still_in_the_way


class Team:
    """The round's team outcomes and its period: the filters every digest query shares."""

    def __init__(self, round_: Round, *, since: datetime, now: datetime) -> None:
        self.workspace_id, self.since, self.now = round_.workspace_id, since, now
        invited = select(Invite.person_id).where(Invite.round_id == round_.id)
        team = or_(Outcome.owner_id.in_(invited), Outcome.channel_id == round_.channel_id)
        current = or_(Outcome.status.in_(OPEN_STATUSES), Outcome.closed_at >= since)
        self.outcomes: ColumnElement[bool] = and_(Outcome.workspace_id == round_.workspace_id, team, current)

    def updates(self) -> Select:
        """The period's updates on the team's outcomes, with the outcome's number."""
        return (
            select()
            .select_from(ProgressUpdate)
            .join(Outcome, Outcome.id == ProgressUpdate.outcome_id)
            .where(
                self.outcomes,
                ProgressUpdate.workspace_id == self.workspace_id,
                ProgressUpdate.created_at >= self.since,
                ProgressUpdate.created_at <= self.now,
            )
        )


async def statuses(session: AsyncSession, team: Team) -> dict[OutcomeStatus, int]:
    """How many of the team's outcomes are in each status (dropped ones are not counted)."""
    query = (
        select(Outcome.status, func.count())
        .where(team.outcomes, Outcome.status != OutcomeStatus.DROPPED)
        .group_by(Outcome.status)
    )
    return {status: n for status, n in await session.execute(query)}


async def status_changes(session: AsyncSession, team: Team) -> list[tuple[int, int, OutcomeStatus, OutcomeStatus]]:
    """(outcome id, number, status before, status after) of each status change of the period, oldest first."""
    query = (
        team.updates()
        .add_columns(Outcome.id, Outcome.number, ProgressUpdate.status_before, ProgressUpdate.status_after)
        .where(ProgressUpdate.status_before.is_not(None), ProgressUpdate.status_after.is_not(None))
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    return [tuple(row) for row in await session.execute(query)]


async def blockers(session: AsyncSession, team: Team, *, limit: int) -> tuple[list[tuple[str, Person, Outcome]], int]:
    """The first `limit` blockers logged on the team's outcomes in the period (oldest first), and how many."""
    total = func.count().over().label("total")
    query = (
        team.updates()
        .add_columns(ProgressUpdate.blocker, Person, Outcome, total)
        .join(Person, Person.id == ProgressUpdate.author_id)
        .where(ProgressUpdate.blocker.is_not(None), ProgressUpdate.blocker != CLEARED, still_in_the_way())
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [(text, author, outcome) for text, author, outcome, _ in rows], rows[0].total if rows else 0


async def stale(session: AsyncSession, team: Team, *, before: datetime, limit: int) -> tuple[list[Outcome], int]:
    """The first `limit` open outcomes (by number) with no update since `before`, and how many there are."""
    total = func.count().over().label("total")
    query = (
        select(Outcome, total)
        .where(
            team.outcomes,
            Outcome.status.in_(OPEN_STATUSES),
            func.coalesce(Outcome.last_progress_at, Outcome.created_at) < before,
        )
        .order_by(Outcome.number)
        .limit(limit)
        .options(selectinload(Outcome.owner))
    )
    rows = (await session.execute(query)).all()
    return [outcome for outcome, _ in rows], rows[0].total if rows else 0


async def metric_moves(session: AsyncSession, team: Team) -> list[tuple[int, int, int, float, float]]:
    """(outcome id, number, metric id, before, after) of each of the team's metrics whose latest reading of the
    period differs from where it stood before the period (its last earlier reading, else its baseline). An
    outcome's metrics come in the order of their first reading of the period."""
    latest = _latest_in_period(team)
    earlier = (
        select(MetricReading.value)
        .where(MetricReading.metric_id == latest.c.metric_id, MetricReading.recorded_at < team.since)
        .order_by(MetricReading.recorded_at.desc(), MetricReading.id.desc())
        .limit(1)
    )
    query = (
        select(latest.c.outcome_id, latest.c.number, latest.c.metric_id)
        .where(latest.c.last == 1)
        .order_by(latest.c.first_at, latest.c.first_id)
    )
    if session.get_bind().dialect.name == "postgresql":
        top = earlier.lateral("earlier")
        query = query.outerjoin(top, true())
        start = func.coalesce(top.c.value, latest.c.baseline)
    else:
        start = func.coalesce(earlier.scalar_subquery(), latest.c.baseline)
    query = query.add_columns(start.label("before"), latest.c.value).where(start != latest.c.value)
    return [tuple(row) for row in await session.execute(query)]


def _latest_in_period(team: Team):
    """Each team metric's readings of the period, numbered from the latest (`last` = 1), with when its first one
    came (`first_at`, `first_id`), its baseline and its outcome."""
    newest = (MetricReading.recorded_at.desc(), MetricReading.id.desc())
    oldest = (MetricReading.recorded_at, MetricReading.id)
    by_metric = MetricReading.metric_id
    return (
        select(
            Outcome.id.label("outcome_id"),
            Outcome.number,
            Metric.baseline,
            MetricReading.metric_id,
            MetricReading.value,
            func.row_number().over(partition_by=by_metric, order_by=newest).label("last"),
            func.first_value(MetricReading.recorded_at).over(partition_by=by_metric, order_by=oldest).label("first_at"),
            func.first_value(MetricReading.id).over(partition_by=by_metric, order_by=oldest).label("first_id"),
        )
        .select_from(Outcome)
        .join(Metric, Metric.outcome_id == Outcome.id)
        .join(MetricReading, MetricReading.metric_id == Metric.id)
        .where(
            team.outcomes,
            MetricReading.workspace_id == team.workspace_id,
            MetricReading.recorded_at >= team.since,
            MetricReading.recorded_at <= team.now,
        )
        .subquery("latest")
    )


async def outcomes_with_metrics(session: AsyncSession, team: Team, ids: list[int]) -> list[Outcome]:
    """The outcomes shown among the changes, by number, with their metrics."""
    if not ids:
        return []
    query = (
        select(Outcome)
        .where(Outcome.workspace_id == team.workspace_id, Outcome.id.in_(ids))
        .order_by(Outcome.number)
        .options(selectinload(Outcome.metrics))
    )
    return list(await session.scalars(query))
