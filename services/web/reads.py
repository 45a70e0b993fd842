"""What the read API and the CSV export read: one workspace's rows, a page at a time, in id order. A page is the
rows after an id (keyset pagination: a row inserted meanwhile never shifts or repeats another), and each kind of
row is fetched with what it shows in a constant number of queries, never one per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Action,
    Attendee,
    Decision,
    DecisionEvent,
    DecisionMember,
    Meeting,
    Metric,
    MetricReading,
    Outcome,
    Person,
    ProgressUpdate,
)
from models.outcome import OUTCOME_PREFIX
from services import health
from services.refs import parse_ref

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    last_id: int | None  # the id to continue after; None when this was the last page


async def _page(session: AsyncSession, query: Select, model: type, *, after: int | None, limit: int) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    if after is not None:
        query = query.where(model.id > after)
    rows = list((await session.scalars(query.order_by(model.id).limit(limit + 1))).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].id if more and rows else None)


_OUTCOME_PARTS = (
    joinedload(Outcome.owner),
    joinedload(Outcome.parent_priority),
    joinedload(Outcome.parent_outcome),
    selectinload(Outcome.metrics),
)


async def outcomes(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> Page[Outcome]:
    """Outcomes with owner, parent and metrics (each metric carries its latest reading)."""
    query = select(Outcome).where(Outcome.workspace_id == workspace_id).options(*_OUTCOME_PARTS)
    return await _page(session, query, Outcome, after=after, limit=limit)


@dataclass(frozen=True)
class OutcomeDetail:
    outcome: Outcome
    readings: dict[int, Page[MetricReading]]  # by metric id: its first readings in the order they were recorded
    updates: list[ProgressUpdate]  # newest first, with author


async def _outcome(session: AsyncSession, workspace_id: int, ref: str) -> Outcome | None:
    number = parse_ref(ref, OUTCOME_PREFIX)
    if number is None:
        return None
    query = select(Outcome).where(Outcome.workspace_id == workspace_id, Outcome.number == number)
    return (await session.scalars(query.options(*_OUTCOME_PARTS))).unique().one_or_none()


async def outcome(session: AsyncSession, *, workspace_id: int, ref: str, readings: int) -> OutcomeDetail | None:
    """One outcome with its updates and the first `readings` readings of each metric (one query for all metrics:
    a metric with years of daily readings is paged through `outcome_readings`, not sent whole)."""
    found = await _outcome(session, workspace_id, ref)
    if found is None:
        return None
    mine = (MetricReading.workspace_id == workspace_id, MetricReading.metric_id.in_([m.id for m in found.metrics]))
    place = func.row_number().over(partition_by=MetricReading.metric_id, order_by=MetricReading.id)
    ranked = select(MetricReading.id, place.label("place")).where(*mine).subquery()
    query = select(MetricReading).join(ranked, ranked.c.id == MetricReading.id).where(ranked.c.place <= readings + 1)
    by_metric: dict[int, list[MetricReading]] = defaultdict(list)
    for reading in await session.scalars(query.order_by(MetricReading.id)):
        by_metric[reading.metric_id].append(reading)
    pages = {}
    for metric_id, rows in by_metric.items():
        more = len(rows) > readings
        pages[metric_id] = Page(rows[:readings], rows[readings - 1].id if more else None)
    updates = await session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.workspace_id == workspace_id, ProgressUpdate.outcome_id == found.id)
        .options(joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )
    return OutcomeDetail(found, pages, list(updates))


@dataclass(frozen=True)
class OutcomeReadings:
    outcome: Outcome
    page: Page[MetricReading]  # each with its metric


async def outcome_readings(session: AsyncSession, *, workspace_id: int, ref: str, metric: str | None,
                           after: int | None, limit: int) -> OutcomeReadings | None:  # fmt: skip
    """A page of one outcome's readings (of one metric, by its slug, or of all), in the order they were recorded;
    None when there is no such outcome in the workspace. A metric slug it doesn't have gives an empty page."""
    found = await _outcome(session, workspace_id, ref)
    if found is None:
        return None
    ids = [m.id for m in found.metrics if metric is None or m.slug == metric]
    query = (
        select(MetricReading)
        .where(MetricReading.workspace_id == workspace_id, MetricReading.metric_id.in_(ids))
        .options(joinedload(MetricReading.metric))
    )
    return OutcomeReadings(found, await _page(session, query, MetricReading, after=after, limit=limit))


@dataclass(frozen=True)
class DecisionPage:
    page: Page[Decision]
    events: dict[int, list[DecisionEvent]]  # by decision id, oldest first, with actor


async def decisions(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> DecisionPage:
    """Decisions with decider, RACI, linked outcome, and their timelines."""
    query = (
        select(Decision)
        .where(Decision.workspace_id == workspace_id)
        .options(
            joinedload(Decision.decider),
            joinedload(Decision.decided_by),
            joinedload(Decision.outcome),
            selectinload(Decision.members).joinedload(DecisionMember.person),
        )
    )
    page = await _page(session, query, Decision, after=after, limit=limit)
    events: dict[int, list[DecisionEvent]] = defaultdict(list)
    if page.items:
        timeline = (
            select(DecisionEvent)
            .where(DecisionEvent.workspace_id == workspace_id)
            .where(DecisionEvent.decision_id.in_([d.id for d in page.items]))
            .options(joinedload(DecisionEvent.actor))
            .order_by(DecisionEvent.at, DecisionEvent.id)
        )
        for event in await session.scalars(timeline):
            events[event.decision_id].append(event)
    return DecisionPage(page, dict(events))


async def actions(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> Page[Action]:
    query = (
        select(Action)
        .where(Action.workspace_id == workspace_id)
        .options(joinedload(Action.owner), joinedload(Action.outcome))
    )
    return await _page(session, query, Action, after=after, limit=limit)


async def meetings(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> Page[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.workspace_id == workspace_id)
        .options(
            joinedload(Meeting.organiser),
            joinedload(Meeting.facilitator),
            selectinload(Meeting.attendees).joinedload(Attendee.person),
            selectinload(Meeting.items),
        )
    )
    return await _page(session, query, Meeting, after=after, limit=limit)


async def readings(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> Page[MetricReading]:
    """Every metric reading, with its metric and that metric's outcome (for the CSV export)."""
    query = (
        select(MetricReading)
        .where(MetricReading.workspace_id == workspace_id)
        .options(joinedload(MetricReading.metric).joinedload(Metric.outcome))
    )
    return await _page(session, query, MetricReading, after=after, limit=limit)


async def findings(session: AsyncSession, *, workspace_id: int, now: datetime) -> list[dict]:
    """The workspace's open findings now (snoozed ones left out), as plain data ordered by key, people named by
    their Slack ids. Runs the detectors and stores what they found, as `/followthrough health` does."""
    found = health.as_data(await health.refresh(session, workspace_id=workspace_id, now=now))
    ids = {f["owner_id"] for f in found} | {int(f["subject"][1:]) for f in found if _person_subject(f["subject"])}
    people = {
        p.id: p
        for p in await session.scalars(select(Person).where(Person.workspace_id == workspace_id, Person.id.in_(ids)))
    }
    for f in found:
        owner = people.get(f.pop("owner_id"))
        f["owner"] = {"id": owner.slack_user_id, "name": owner.display_name or owner.slack_user_id} if owner else None
        if _person_subject(f["subject"]) and int(f["subject"][1:]) in people:
            f["subject"] = "@" + people[int(f["subject"][1:])].slack_user_id
    return sorted(found, key=lambda f: f["key"])


def _person_subject(subject: str) -> bool:
    return subject.startswith("@") and subject[1:].isdigit()
