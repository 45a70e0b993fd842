"""Experiments (X-n): a hypothesis, the outcome metric it should move, the expected effect and an end date; at the
end its owner records validated, invalidated or inconclusive and what was learned. An invalidated hypothesis is a
result worth having: the weekly health post lists it beside the validated ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Experiment, ExperimentResult, Metric, Outcome, Person, Retro, Workspace
from models.learning import EXPERIMENT_PREFIX
from models.outcome import OPEN_STATUSES
from services import outcomes, people
from services.actions.dates import EXAMPLES, parse_by, parse_in
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.refs import next_number, parse_ref
from services.workhours import hours_of

MAX_HYPOTHESIS = 500
MAX_EFFECT = 200
MAX_LEARNING = 2000
MAX_DAYS = 366
LIST_LIMIT = 20
RESULTS = (ExperimentResult.VALIDATED, ExperimentResult.INVALIDATED, ExperimentResult.INCONCLUSIVE)


class Field(StrEnum):
    HYPOTHESIS = "hypothesis"
    METRIC = "metric"
    EFFECT = "effect"
    ENDS_ON = "ends_on"
    RESULT = "result"
    LEARNING = "learning"


@dataclass(frozen=True)
class MetricOf:
    """An experiment's metric, as people name it: the outcome's ref and the metric's name."""

    outcome_ref: str
    outcome_title: str
    name: str
    channel_id: str | None


def metric_choice(outcome: Outcome, metric: Metric) -> str:
    """The metric picker's value: the outcome's ref and the metric's slug (no database id leaves the app)."""
    return f"{outcome.ref}:{metric.slug}"


async def _metric(session: AsyncSession, workspace_id: int, choice: str, errors: dict[Field, str]):
    ref, _, slug = choice.partition(":")
    outcome = await outcomes.get_outcome(session, workspace_id=workspace_id, ref=ref)
    metric = next((m for m in outcome.metrics if m.slug == slug), None) if outcome else None
    if metric is None:
        errors[Field.METRIC] = "That metric is not in this workspace any more; pick another."
        return None, None
    return outcome, metric


def _ends_on(value: date | str | None, today: date, errors: dict[Field, str]) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if value is None:
        errors[Field.ENDS_ON] = "Choose the day it ends."
    elif value < today:
        errors[Field.ENDS_ON] = "Choose a day that has not passed."
    elif value > today + timedelta(days=MAX_DAYS):
        errors[Field.ENDS_ON] = "Keep it within a year: a shorter bet teaches sooner."
    return value


async def create(session: AsyncSession, *, workspace: Workspace, owner: Person, hypothesis: str, metric: str | None,
                 expected_effect: str, ends_on: date | str | None, today: date, channel_id: str | None,
                 retro: Retro | None = None) -> Experiment:  # fmt: skip
    """X-n, checked field by field against the owner's `today`; raises Invalid (by Field), storing nothing. The
    metric may be left out (then the effect too)."""
    errors: dict[Field, str] = {}
    hypothesis, expected_effect = " ".join(hypothesis.split()), " ".join(expected_effect.split())
    if not hypothesis:
        errors[Field.HYPOTHESIS] = "Say what you believe will happen, e.g. “A shorter form doubles sign-ups”."
    elif len(hypothesis) > MAX_HYPOTHESIS:
        errors[Field.HYPOTHESIS] = f"Keep it under {MAX_HYPOTHESIS} characters."
    # The metric is optional on every path (a retrospective's experiments have none, and a workspace may have no
    # outcomes yet); how much it should move only means something once a metric is named.
    if len(expected_effect) > MAX_EFFECT:
        errors[Field.EFFECT] = f"Keep it under {MAX_EFFECT} characters."
    elif not expected_effect and metric:
        errors[Field.EFFECT] = "Say how much it should move the metric, e.g. “+5 points in four weeks”."
    outcome = found = None
    if metric:
        outcome, found = await _metric(session, workspace.id, metric, errors)
    ends = _ends_on(ends_on, today, errors)
    if errors:
        raise Invalid(errors)
    assert ends is not None
    experiment = Experiment(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind=EXPERIMENT_PREFIX),
        hypothesis=hypothesis,
        metric_id=found.id if found else None,
        expected_effect=expected_effect,
        ends_on=ends,
        owner_id=owner.id,
        retro_id=retro.id if retro else None,
        channel_id=(outcome.channel_id if outcome else None) or channel_id,  # where its learning is posted
    )
    session.add(experiment)
    await session.flush()
    return experiment


def parse_line(line: str, today: date) -> tuple[str, date]:
    """A retrospective's experiment line, `<hypothesis> by <date>` (or `in 4 weeks`); Invalid otherwise."""
    words = line.split()
    for size in (2, 3, 4):
        if len(words) <= size:
            continue
        head, tail = words[-size].lower(), " ".join(words[-size + 1 :])
        found = parse_by(tail, today) if head == "by" else parse_in(tail, today) if head == "in" else None
        if found is not None:
            return " ".join(words[:-size]), found
    raise Invalid({Field.ENDS_ON: f"End it with when it ends: {EXAMPLES}."})


# reading ----------------------------------------------------------------------------------------------------------


def _loaded(query):
    return query.options(joinedload(Experiment.owner))


async def get(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> Experiment | None:
    number = parse_ref(ref, EXPERIMENT_PREFIX)
    if number is None:
        return None
    query = _loaded(select(Experiment).where(Experiment.workspace_id == workspace_id, Experiment.number == number))
    return await session.scalar(query.with_for_update(of=Experiment) if lock else query)


async def find(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> Experiment:
    found = await get(session, workspace_id=workspace_id, ref=ref, lock=lock)
    if found is None:
        raise NotFound(ref)
    return found


async def by_token(session: AsyncSession, *, workspace_id: int, token: str) -> Experiment | None:
    query = _loaded(select(Experiment).where(Experiment.workspace_id == workspace_id, Experiment.token == token))
    return await session.scalar(query)


async def of_retro(session: AsyncSession, *, retro: Retro) -> list[Experiment]:
    query = select(Experiment).where(Experiment.retro_id == retro.id).order_by(Experiment.number)
    return list(await session.scalars(query))


async def list_experiments(session: AsyncSession, *, workspace_id: int) -> list[Experiment]:
    """Running ones (soonest end first), then the latest results."""
    base = _loaded(select(Experiment).where(Experiment.workspace_id == workspace_id))
    running = base.where(Experiment.result == ExperimentResult.RUNNING).order_by(Experiment.ends_on, Experiment.number)
    ended = base.where(Experiment.result != ExperimentResult.RUNNING).order_by(Experiment.concluded_at.desc())
    return [*await session.scalars(running.limit(LIST_LIMIT)), *await session.scalars(ended.limit(LIST_LIMIT))]


async def metric_of(session: AsyncSession, experiment: Experiment) -> MetricOf | None:
    if experiment.metric_id is None:
        return None
    row = (
        await session.execute(
            select(Outcome, Metric.name)
            .join(Metric, Metric.outcome_id == Outcome.id)
            .where(Metric.id == experiment.metric_id, Outcome.workspace_id == experiment.workspace_id)
        )
    ).first()
    return MetricOf(row[0].ref, row[0].title, row[1], row[0].channel_id) if row else None


async def learnings_since(session: AsyncSession, *, workspace_id: int, since: datetime,
                          channel_id: str | None = None) -> list[Experiment]:  # fmt: skip
    """Results recorded since `since`, whatever they were (an invalidated bet is a learning too), oldest first."""
    query = _loaded(select(Experiment)).where(
        Experiment.workspace_id == workspace_id,
        Experiment.result != ExperimentResult.RUNNING,
        Experiment.concluded_at >= since,
    )
    if channel_id is not None:
        query = query.where(Experiment.channel_id == channel_id)
    return list(await session.scalars(query.order_by(Experiment.concluded_at, Experiment.number)))


# the result -------------------------------------------------------------------------------------------------------


def has_ended(experiment: Experiment, today: date) -> bool:
    return experiment.ends_on <= today


def may_conclude(person: Person, experiment: Experiment) -> bool:
    return person.is_admin or person.id == experiment.owner_id


async def record_result(session: AsyncSession, *, experiment: Experiment, by: Person, result: str | None,
                        learning: str, now: datetime, today: date) -> Experiment:  # fmt: skip
    """The owner's (or an admin's) verdict once the end date has come; the caller locked the row."""
    if not may_conclude(by, experiment):
        raise Forbidden(f"record the result of {experiment.ref}", "its owner", [experiment.owner])
    if experiment.result is not ExperimentResult.RUNNING:
        raise NotNow(f"{experiment.ref} is already {experiment.result.value}; its learning stands as recorded.")
    if not has_ended(experiment, today):
        raise NotNow(f"{experiment.ref} runs until {experiment.ends_on:%a %-d %b %Y}; record its result from then.")
    errors: dict[Field, str] = {}
    if result not in {r.value for r in RESULTS}:
        errors[Field.RESULT] = "Choose validated, invalidated or inconclusive."
    learning = learning.strip()
    if not learning:
        errors[Field.LEARNING] = "Say what you learned: an invalidated bet teaches as much as a validated one."
    elif len(learning) > MAX_LEARNING:
        errors[Field.LEARNING] = f"Keep it under {MAX_LEARNING} characters."
    if errors:
        raise Invalid(errors)
    experiment.result = ExperimentResult(result)
    experiment.learning = learning
    experiment.concluded_at = now
    return experiment


# asking for it ----------------------------------------------------------------------------------------------------


async def asks_due(session: AsyncSession, *, now: datetime) -> list[int]:
    """Running experiments whose end date may have come somewhere on Earth and whose owner was not asked yet."""
    latest = (now + timedelta(days=1)).astimezone(UTC).date()
    query = select(Experiment.id).where(
        Experiment.result == ExperimentResult.RUNNING, Experiment.ask_sent_at.is_(None), Experiment.ends_on <= latest
    )
    return list(await session.scalars(query.order_by(Experiment.id)))


def ask_at(experiment: Experiment, workspace: Workspace) -> datetime:
    """The start of the owner's working hours on the end date (or the first working day after it), in their zone."""
    zone = people.person_zone(experiment.owner, workspace)
    hours = hours_of(experiment.owner)
    midnight = datetime.combine(experiment.ends_on, time(0), tzinfo=zone)
    return hours.next_start(midnight, zone) if not hours.is_working(midnight, zone) else midnight.astimezone(UTC)


async def claim_ask(session: AsyncSession, *, experiment_id: int, now: datetime) -> Experiment | None:
    """The experiment, locked and marked asked, when its ask is due now; None otherwise (or already claimed)."""
    query = _loaded(select(Experiment).where(Experiment.id == experiment_id)).with_for_update(of=Experiment)
    experiment = await session.scalar(query)
    if experiment is None or experiment.ask_sent_at is not None or experiment.result is not ExperimentResult.RUNNING:
        return None
    workspace = await session.get(Workspace, experiment.workspace_id)
    assert workspace is not None
    if now < ask_at(experiment, workspace):
        return None
    experiment.ask_sent_at = now
    return experiment


async def metric_choices(session: AsyncSession, *, workspace_id: int, query: str, limit: int = 100):
    """For the metric picker: (outcome, metric) of open outcomes whose ref, title or metric name matches."""
    where = [Outcome.workspace_id == workspace_id, Outcome.status.in_(OPEN_STATUSES), Metric.retired_at.is_(None)]
    text = query.strip().lower()
    rows = await session.execute(
        select(Outcome, Metric).join(Metric, Metric.outcome_id == Outcome.id).where(*where)
        .order_by(Outcome.number, Metric.position)
    )  # fmt: skip
    found = [(o, m) for o, m in rows if not text or text in f"{o.ref} {o.title} {m.name}".lower()]
    return found[:limit]
