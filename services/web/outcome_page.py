"""One outcome's page: each metric's readings with the straight path from baseline to target and the readings'
Theil–Sen trend, the status changes to mark on the charts, and what sits beside them (the latest updates,
insights, linked decisions and action items). Plain values for a template; a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Action, ActionStatus, Decision, Insight, Metric, MetricReading, Outcome, ProgressUpdate
from services.health.trend import DAY, due_moment, theil_sen
from services.health.views import Reading
from services.outcomes.queries import get_outcome

LATEST_UPDATES = 10
LATEST_INSIGHTS = 5
MIN_TREND_SPAN = timedelta(days=1)
LISTED = 20  # decisions and action items shown beside the charts

Point = tuple[datetime, float]


@dataclass(frozen=True)
class StatusMark:
    at: datetime
    label: str  # "on track → at risk"


@dataclass(frozen=True)
class MetricChart:
    """What one chart shows: the readings, the planned straight path and the trend, as points in UTC."""

    name: str
    kind: str  # leading / lagging
    unit: str
    baseline: float
    target: float
    latest: float
    retired: bool
    readings: list[Point]
    planned: list[Point]  # baseline at creation, target at the end of the due day
    trend: list[Point]  # from the first reading to the due date; empty with fewer than two readings


@dataclass(frozen=True)
class UpdateRow:
    at: datetime
    author: str
    note: str | None
    blocker: str | None
    status_change: str | None
    values: list[str]  # "Activation 35%"


@dataclass(frozen=True)
class LinkedRow:
    ref: str
    text: str
    who: str
    when: datetime | None  # a decision's deadline or when it was decided
    day: str | None  # an action item's due day
    status: str


@dataclass(frozen=True)
class OutcomePage:
    ref: str
    title: str
    definition_of_done: str
    owner: str
    status: str
    due: str
    created_at: datetime
    charts: list[MetricChart]
    marks: list[StatusMark]
    updates: list[UpdateRow]
    insights: list[Insight]
    decisions: list[LinkedRow]
    actions: list[LinkedRow]


async def outcome_page(session: AsyncSession, *, workspace_id: int, ref: str) -> OutcomePage | None:
    """The page of `ref` in this workspace; None when it has no such outcome (another workspace's included)."""
    outcome = await get_outcome(session, workspace_id=workspace_id, ref=ref[:20])
    if outcome is None:
        return None
    readings = await _readings(session, workspace_id, [m.id for m in outcome.metrics])
    updates = await _updates(session, workspace_id, outcome.id)
    return OutcomePage(
        ref=outcome.ref,
        title=outcome.title,
        definition_of_done=outcome.definition_of_done,
        owner=_name(outcome.owner),
        status=outcome.status.label,
        due=f"{outcome.due_date:%-d %b %Y}",
        created_at=outcome.created_at,
        charts=[_chart(outcome, m, readings.get(m.id, [])) for m in outcome.metrics],
        marks=await _marks(session, workspace_id, outcome.id),
        updates=[_update_row(u, outcome) for u in updates],
        insights=await _insights(session, workspace_id, outcome.id),
        decisions=await _decisions(session, workspace_id, outcome.id),
        actions=await _actions(session, workspace_id, outcome.id),
    )


def _name(person) -> str:
    return person.display_name or person.slack_user_id if person is not None else "someone"


def _chart(outcome: Outcome, metric: Metric, points: list[Point]) -> MetricChart:
    end = due_moment(outcome.due_date)
    return MetricChart(
        name=metric.name,
        kind=metric.kind.value,
        unit=metric.unit,
        baseline=metric.baseline,
        target=metric.target,
        latest=metric.latest,
        retired=metric.retired_at is not None,
        readings=points,
        planned=[(outcome.created_at, metric.baseline), (end, metric.target)],
        trend=trend_line(points, end),
    )


def trend_line(points: list[Point], end: datetime) -> list[Point]:
    """The Theil–Sen line through the readings, drawn from the first reading to the later of the due date and the
    last reading; empty when the readings can't make one (fewer than two, or all within a day)."""
    if len(points) < 2 or points[-1][0] - points[0][0] < MIN_TREND_SPAN:
        return []  # readings minutes apart make a slope per day that means nothing
    fit = theil_sen([Reading(at, value) for at, value in points])
    if fit is None:
        return []
    slope, intercept = fit
    first, last = points[0][0], max(end, points[-1][0])
    days = (last - first).total_seconds() / DAY
    return [(first, intercept), (last, intercept + slope * days)]


async def _readings(session: AsyncSession, workspace_id: int, metric_ids: list[int]) -> dict[int, list[Point]]:
    if not metric_ids:
        return {}
    query = (
        select(MetricReading.metric_id, MetricReading.recorded_at, MetricReading.value)
        .where(MetricReading.workspace_id == workspace_id, MetricReading.metric_id.in_(metric_ids))
        .order_by(MetricReading.metric_id, MetricReading.recorded_at, MetricReading.id)
    )
    found: dict[int, list[Point]] = {}
    for metric_id, at, value in await session.execute(query):
        found.setdefault(metric_id, []).append((at, value))
    return found


async def _updates(session: AsyncSession, workspace_id: int, outcome_id: int) -> list[ProgressUpdate]:
    query = (
        select(ProgressUpdate)
        .where(ProgressUpdate.workspace_id == workspace_id, ProgressUpdate.outcome_id == outcome_id)
        .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.readings))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(LATEST_UPDATES)
    )
    return list((await session.scalars(query)).unique())


def _change(update: ProgressUpdate) -> str | None:
    if update.status_after is None or update.status_after == update.status_before:
        return None
    before = update.status_before.label.lower() if update.status_before else "—"
    return f"{before} → {update.status_after.label.lower()}"


def _update_row(update: ProgressUpdate, outcome: Outcome) -> UpdateRow:
    names = {m.id: (m.name, m.unit) for m in outcome.metrics}
    values = [f"{names.get(r.metric_id, ('?', ''))[0]} {r.value:g}{names.get(r.metric_id, ('', ''))[1]}"
              for r in update.readings]  # fmt: skip
    return UpdateRow(at=update.created_at, author=_name(update.author), note=update.note, blocker=update.blocker,
                     status_change=_change(update), values=values)  # fmt: skip


async def _marks(session: AsyncSession, workspace_id: int, outcome_id: int) -> list[StatusMark]:
    """Every update that changed the status (all of them, not only the latest: each is a mark on the charts)."""
    query = (
        select(ProgressUpdate)
        .where(
            ProgressUpdate.workspace_id == workspace_id,
            ProgressUpdate.outcome_id == outcome_id,
            ProgressUpdate.status_after.is_not(None),
        )  # fmt: skip
        .order_by(ProgressUpdate.created_at, ProgressUpdate.id)
    )
    return [StatusMark(u.created_at, label) for u in await session.scalars(query) if (label := _change(u))]


async def _insights(session: AsyncSession, workspace_id: int, outcome_id: int) -> list[Insight]:
    query = (
        select(Insight)
        .where(Insight.workspace_id == workspace_id, Insight.outcome_id == outcome_id)
        .options(joinedload(Insight.author))
        .order_by(Insight.created_at.desc(), Insight.id.desc())
        .limit(LATEST_INSIGHTS)
    )
    return list(await session.scalars(query))


async def _decisions(session: AsyncSession, workspace_id: int, outcome_id: int) -> list[LinkedRow]:
    query = (
        select(Decision)
        .where(Decision.workspace_id == workspace_id, Decision.outcome_id == outcome_id)
        .options(joinedload(Decision.decider))
        .order_by(Decision.number.desc())
        .limit(LISTED)
    )
    return [
        LinkedRow(
            ref=d.ref,
            text=d.question if d.chosen_option is None else f"{d.question} — {d.chosen_option}",
            who=_name(d.decider),
            when=d.decided_at or d.deadline,
            day=None,
            status=d.status.value,
        )  # fmt: skip
        for d in await session.scalars(query)
    ]


async def _actions(session: AsyncSession, workspace_id: int, outcome_id: int) -> list[LinkedRow]:
    query = (
        select(Action)
        .where(Action.workspace_id == workspace_id, Action.outcome_id == outcome_id)
        .options(joinedload(Action.owner))
        .order_by((Action.status == ActionStatus.OPEN).desc(), Action.due_on, Action.number)
        .limit(LISTED)
    )
    return [
        LinkedRow(
            ref=a.ref, text=a.what, who=_name(a.owner), when=None, day=f"{a.due_on:%-d %b %Y}", status=a.status.value
        )  # fmt: skip
        for a in await session.scalars(query)
    ]
