"""The detectors' snapshot of one workspace, read in a handful of queries (no query per outcome): open outcomes
with their metrics and readings, recent updates, closed action items and blockers, open decisions, overdue action
items, recent meetings and the people they name, and published playbooks."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Action,
    ActionStatus,
    Decision,
    DecisionStatus,
    Invite,
    Meeting,
    MeetingStatus,
    Metric,
    MetricReading,
    Outcome,
    Person,
    Playbook,
    ProgressUpdate,
    Round,
)
from models.outcome import OPEN_STATUSES, OUTCOME_PREFIX
from services import turns
from services.blockers import CLEARED, still_in_the_way
from services.health.findings import Thresholds
from services.health.views import (
    ActionView,
    Blocker,
    DecisionView,
    MeetingView,
    MetricView,
    OutcomeView,
    PersonView,
    PlaybookView,
    Reading,
    Workspace,
)
from services.people import mentioned_ids

OUTCOME_COLUMNS = (Outcome.id, Outcome.number, Outcome.title, Outcome.owner_id, Outcome.status, Outcome.created_at,
                   Outcome.due_date, Outcome.channel_id, Outcome.last_progress_at)  # fmt: skip
METRIC_COLUMNS = (Metric.id, Metric.outcome_id, Metric.name, Metric.kind, Metric.baseline, Metric.target,
                  Metric.direction)  # fmt: skip
MEETING_DAYS = 30
ROUNDS_DAYS = 40  # how far back check-in rounds are read, beyond the activity window


async def _readings(session: AsyncSession, workspace_id: int, metric_ids) -> dict[int, list[Reading]]:
    """The readings of the metrics `metric_ids` (a subquery: a list of thousands of ids costs more to send)."""
    found: dict[int, list[Reading]] = defaultdict(list)
    query = (
        select(MetricReading.metric_id, MetricReading.recorded_at, MetricReading.value)
        .where(MetricReading.workspace_id == workspace_id, MetricReading.metric_id.in_(metric_ids))
        .order_by(MetricReading.metric_id, MetricReading.recorded_at, MetricReading.id)
    )
    async for part in turns.rows(session, query):
        for metric_id, at, value in part:
            found[metric_id].append(Reading(at, value))
    return found


async def _times(session: AsyncSession, query) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    async for part in turns.rows(session, query):
        for key, at in part:
            if key is not None:
                found[key].append(at)
    return found


async def _outcomes(session: AsyncSession, workspace_id: int, since: datetime) -> list[OutcomeView]:
    open_ = (Outcome.workspace_id == workspace_id, Outcome.status.in_(OPEN_STATUSES))
    # Plain rows rather than ORM objects: thousands of them, only read, and each flush of the findings would walk
    # them all in the session.
    outcomes = await _all(session, select(*OUTCOME_COLUMNS).where(*open_))
    open_ids = select(Outcome.id).where(*open_)
    metrics: dict[int, list[Any]] = defaultdict(list)
    # A retired metric is no longer read, so nothing is expected of it.
    live = (Metric.workspace_id == workspace_id, Metric.outcome_id.in_(open_ids), Metric.retired_at.is_(None))
    for metric in await _all(
        session, select(*METRIC_COLUMNS).where(*live).order_by(Metric.outcome_id, Metric.position)
    ):
        metrics[metric.outcome_id].append(metric)
    readings = await _readings(session, workspace_id, select(Metric.id).where(*live))
    updates = await _times(
        session,
        select(ProgressUpdate.outcome_id, ProgressUpdate.created_at).where(
            ProgressUpdate.workspace_id == workspace_id, ProgressUpdate.created_at >= since
        ),
    )
    done = (Action.workspace_id == workspace_id, Action.status == ActionStatus.DONE, Action.closed_at >= since)
    closed = await _times(session, select(Action.outcome_id, Action.closed_at).where(*done))
    rounds = await _rounds(session, workspace_id, since - timedelta(days=ROUNDS_DAYS))
    return [_view(o, metrics[o.id], readings, updates, closed, rounds) async for o in turns.each(outcomes)]


async def _all(session: AsyncSession, query) -> list[Any]:
    found: list[Any] = []
    async for part in turns.rows(session, query):
        found += part
    return found


def _view(o: Any, metrics: list[Any], readings: dict[int, list[Reading]], updates: dict[int, list[datetime]],
          closed: dict[int, list[datetime]], rounds: dict[str, list[datetime]]) -> OutcomeView:  # fmt: skip
    return OutcomeView(
        id=o.id,
        ref=f"{OUTCOME_PREFIX}-{o.number}",
        title=o.title,
        owner_id=o.owner_id,
        status=o.status,
        created_at=o.created_at,
        due_date=o.due_date,
        channel_id=o.channel_id,
        last_progress_at=o.last_progress_at,
        metrics=tuple(
            MetricView(m.id, m.name, m.kind, m.baseline, m.target, m.direction, tuple(readings.get(m.id, ())))
            for m in metrics
        ),
        update_times=tuple(updates.get(o.id, ())),
        actions_closed=tuple(closed.get(o.id, ())),
        rounds_since_update=_since(rounds.get(o.channel_id or "", []), o.last_progress_at or o.created_at),
    )


def _since(opened: list[datetime], last: datetime) -> int:
    return sum(1 for at in opened if at > last)


async def _rounds(session: AsyncSession, workspace_id: int, since: datetime) -> dict[str, list[datetime]]:
    """When each channel's check-in rounds opened, lately: an outcome quiet through two of them is stale."""
    found: dict[str, list[datetime]] = defaultdict(list)
    query = select(Round.channel_id, Round.opened_at).where(
        Round.workspace_id == workspace_id, Round.opened_at >= since
    )
    for channel, at in await session.execute(query):
        found[channel].append(at)
    return found


async def _blockers(session: AsyncSession, workspace_id: int, since: datetime, people: dict[str, int]) -> list[Blocker]:
    found = []
    query = (
        select(Outcome.number, ProgressUpdate.created_at, ProgressUpdate.blocker)
        .join(Outcome, Outcome.id == ProgressUpdate.outcome_id)
        .where(
            ProgressUpdate.workspace_id == workspace_id,
            ProgressUpdate.created_at >= since,
            ProgressUpdate.blocker.is_not(None),
            ProgressUpdate.blocker != CLEARED,
            still_in_the_way(),
        )
    )
    for number, at, text in await session.execute(query):
        found.append(Blocker(f"O-{number}", at, tuple(people[u] for u in mentioned_ids(text) if u in people)))
    answers = select(Invite.answered_at, Invite.blocker).where(
        Invite.workspace_id == workspace_id, Invite.answered_at >= since, Invite.blocker.is_not(None)
    )
    for at, text in await session.execute(answers):
        found.append(Blocker("", at, tuple(people[u] for u in mentioned_ids(text) if u in people)))
    return found


async def _meetings(session: AsyncSession, workspace_id: int, now: datetime) -> list[MeetingView]:
    query = select(Meeting).where(
        Meeting.workspace_id == workspace_id, Meeting.starts_at >= now - timedelta(days=MEETING_DAYS)
    )
    meetings = list(await session.scalars(query.order_by(Meeting.starts_at)))
    coming = {
        m.series_id: m.ref
        for m in meetings
        if m.series_id and m.starts_at > now and m.status is MeetingStatus.SCHEDULED
    }
    return [
        MeetingView(
            m.id,
            m.ref,
            m.title,
            m.organiser_id,
            m.series_id,
            m.starts_at,
            m.gate_flagged_at is not None,
            coming.get(m.series_id),
        )
        for m in meetings
        if m.starts_at <= now or m.gate_flagged_at is not None
    ]


async def snapshot(session: AsyncSession, *, workspace_id: int, now: datetime,
                   limits: Thresholds = Thresholds()) -> Workspace:  # fmt: skip  # noqa: B008
    """Everything the detectors read about one workspace at `now`."""
    since = now - timedelta(days=limits.activity_days)
    people = await turns.scalars(session, select(Person).where(Person.workspace_id == workspace_id))
    by_slack = {p.slack_user_id: p.id for p in people}
    decisions = await turns.scalars(
        session, select(Decision).where(Decision.workspace_id == workspace_id, Decision.status == DecisionStatus.OPEN)
    )
    late = (Action.workspace_id == workspace_id, Action.status == ActionStatus.OPEN, Action.due_on < now.date())
    actions = await turns.scalars(session, select(Action).where(*late))
    return Workspace(
        outcomes=tuple(await _outcomes(session, workspace_id, since)),
        decisions=tuple(
            DecisionView(d.id, d.ref, d.question, d.decider_id, d.deadline, True, d.channel_id) for d in decisions
        ),
        actions=tuple(ActionView(a.id, a.ref, a.owner_id, a.due_on, True) for a in actions),
        meetings=tuple(await _meetings(session, workspace_id, now)),
        blockers=tuple(await _blockers(session, workspace_id, since, by_slack)),
        people={
            p.id: PersonView(p.id, p.display_name or p.slack_user_id, p.slack_user_id, not p.is_deleted) for p in people
        },
        playbooks=tuple(await _playbooks(session, workspace_id)),
    )


async def _playbooks(session: AsyncSession, workspace_id: int) -> list[PlaybookView]:
    query = select(Playbook).where(
        Playbook.workspace_id == workspace_id, Playbook.current_version > 0, Playbook.archived_at.is_(None)
    )
    return [PlaybookView(p.ref, p.name, p.owner_id, p.reviewed_at, p.review_days) for p in await session.scalars(query)]
