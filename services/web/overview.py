"""The dashboard's overview: priorities, then the outcomes under each and their sub-outcomes, as plain rows for a
template, each with the pace of its lagging metric (the health service's rule), and what the filters can choose
from. Four queries whatever the size (priorities, outcomes with their owners, their lagging metrics, the
workspace's health thresholds; nothing per outcome). Outcomes are read as plain rows, not ORM objects: a
thousand of them (and their owners) in the identity map cost more than the rest of the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row as ReadRow
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Metric, MetricKind, Outcome, Person, Priority
from models.outcome import OUTCOME_PREFIX
from services.health.findings import Thresholds
from services.health.outcome_detectors import pace_of
from services.health.settings import settings_of, thresholds_of
from services.health.views import MetricView, OutcomeView, Reading

NO_READING = "no reading"
TOO_EARLY = "too early"  # a reading, but too little of the time has passed to judge (the health rule)


@dataclass(frozen=True)
class Row:
    ref: str
    title: str
    owner: str
    owner_id: str
    status: str
    due: str
    quiet_days: int | None  # since the last progress update; None: never updated
    pace: str | None  # ahead / on pace / behind / too early / no reading; None: no lagging metric to judge by
    children: list[Row] = field(default_factory=list)

    @property
    def status_class(self) -> str:
        return self.status.replace(" ", "-")

    @property
    def pace_class(self) -> str:
        return (self.pace or "").replace(" ", "-")


@dataclass(frozen=True)
class Group:
    title: str  # "P-1 Win the mid-market" or "Not under a priority"
    rows: list[Row]

    @property
    def flat(self) -> list[tuple[Row, int]]:
        """The tree in document order: each row with how many of its ancestors' lists close after it (the page
        draws it with one loop; a recursive macro per row cost more than everything else on a large page)."""
        out: list[tuple[Row, int]] = []

        def walk(rows: list[Row]) -> None:
            for row in rows:
                out.append((row, 0))
                if row.children:
                    walk(row.children)
                    last, closes = out[-1]
                    out[-1] = (last, closes + 1)

        walk(self.rows)
        return out


@dataclass(frozen=True)
class Filters:
    owner: str | None = None  # a Slack user id
    status: str | None = None
    channel: str | None = None  # a Slack channel id
    priority: str | None = None  # a priority's ref, "P-3"
    open_only: bool = True


@dataclass(frozen=True)
class Overview:
    groups: list[Group]
    channels: list[str]  # channel ids that have outcomes, for the filter
    priorities: list[tuple[str, str]]  # (ref, "P-1 Win the mid-market"), for the filter


async def overview(session: AsyncSession, *, workspace_id: int, now: datetime, filters: Filters) -> Overview:
    priorities = (
        await session.scalars(
            select(Priority)
            .where(Priority.workspace_id == workspace_id, Priority.archived_at.is_(None))
            .order_by(Priority.rank)
        )
    ).all()
    everything = (await session.execute(_OUTCOMES.where(Outcome.workspace_id == workspace_id))).all()
    refs = {p.id: p.ref for p in priorities}
    outcomes = [o for o in everything if _kept(o, filters, refs)]
    paces = await _paces(session, workspace_id, outcomes, now)
    rows = {o.id: _row(o, now, paces.get(o.id)) for o in outcomes}
    under_priority: dict[int | None, list[Row]] = defaultdict(list)
    for outcome in outcomes:
        parent = outcome.parent_outcome_id
        if parent in rows:
            rows[parent].children.append(rows[outcome.id])
        else:
            under_priority[outcome.parent_priority_id].append(rows[outcome.id])
    groups = [Group(f"{p.ref} {p.title}", under_priority.pop(p.id, [])) for p in priorities]
    loose = [row for rows_ in under_priority.values() for row in rows_]
    return Overview(
        groups=[g for g in groups if g.rows] + ([Group("Not under a priority", loose)] if loose else []),
        channels=sorted({o.channel_id for o in everything if o.channel_id}),
        priorities=[(p.ref, f"{p.ref} {p.title}") for p in priorities],
    )


_OUTCOMES = (
    select(
        Outcome.id,
        Outcome.number,
        Outcome.title,
        Outcome.status,
        Outcome.due_date,
        Outcome.channel_id,
        Outcome.parent_priority_id,
        Outcome.parent_outcome_id,
        Outcome.owner_id,
        Outcome.created_at,
        Outcome.last_progress_at,
        Person.slack_user_id,
        Person.display_name,
    )  # fmt: skip
    .join(Person, Person.id == Outcome.owner_id)
    .order_by(Outcome.number)
)


def _ref(outcome: ReadRow) -> str:
    return f"{OUTCOME_PREFIX}-{outcome.number}"


def _kept(outcome: ReadRow, filters: Filters, priority_refs: dict[int, str]) -> bool:
    if filters.open_only and not filters.status and not outcome.status.is_open:
        return False  # a closed status chosen in the filter shows those, "include closed" or not
    if filters.status and outcome.status.value != filters.status:
        return False
    if filters.channel and outcome.channel_id != filters.channel:
        return False
    if filters.priority and priority_refs.get(outcome.parent_priority_id) != filters.priority.upper():
        return False
    return not (filters.owner and outcome.slack_user_id != filters.owner)


async def _paces(session: AsyncSession, workspace_id: int, outcomes: list[ReadRow], now: datetime) -> dict[int, str]:
    """Each listed outcome's pace, from its lagging metric's latest reading (kept on the metric's row): one query
    for all of them, one for the thresholds the health findings use, so the page and the findings agree."""
    if not outcomes:
        return {}
    columns = (Metric.outcome_id, Metric.id, Metric.name, Metric.kind, Metric.baseline, Metric.target,
               Metric.direction, Metric.current_value, Metric.current_at)  # fmt: skip
    query = select(*columns).where(
        Metric.workspace_id == workspace_id, Metric.kind == MetricKind.LAGGING, Metric.retired_at.is_(None)
    )
    lagging = {row.outcome_id: row for row in await session.execute(query)}  # plain rows: no ORM objects to build
    limits = thresholds_of(await settings_of(session, workspace_id=workspace_id))
    return {o.id: pace for o in outcomes if (pace := _pace(o, lagging.get(o.id), now, limits)) is not None}


def _pace(outcome: ReadRow, metric: ReadRow | None, now: datetime, limits: Thresholds) -> str | None:
    if metric is None:
        return None
    if metric.current_value is None:
        return NO_READING
    if metric.baseline == metric.target:
        return None
    reading = Reading(metric.current_at or now, metric.current_value)
    view = MetricView(metric.id, metric.name, metric.kind, metric.baseline, metric.target, metric.direction,
                      (reading,))  # fmt: skip
    subject = OutcomeView(outcome.id, _ref(outcome), outcome.title, outcome.owner_id, outcome.status,
                          outcome.created_at, outcome.due_date)  # fmt: skip
    pace = pace_of(subject, view, now, limits)
    return TOO_EARLY if pace is None else pace.value


def _row(outcome: ReadRow, now: datetime, pace: str | None) -> Row:
    quiet = (now - outcome.last_progress_at).days if outcome.last_progress_at else None
    return Row(
        ref=_ref(outcome),
        title=outcome.title,
        owner=outcome.display_name or outcome.slack_user_id,
        owner_id=outcome.slack_user_id,
        status=outcome.status.value.replace("_", " "),
        due=f"{outcome.due_date:%-d %b %Y}",
        quiet_days=quiet,
        pace=pace,
    )
