"""The read API's response shapes: what `/api/v1/openapi.json` documents and what each route returns. People are
named by their Slack user id (and display name), objects by their refs (O-12, D-7, A-3, M-2), never by row ids."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from models import Action, Decision, DecisionEvent, Meeting, Metric, MetricReading, Outcome, Person, ProgressUpdate
from models.decision import DecisionRole


class PersonOut(BaseModel):
    id: str = Field(description="Slack user id")
    name: str


class ReadingOut(BaseModel):
    value: float
    recorded_at: datetime


class MetricOut(BaseModel):
    name: str
    slug: str
    kind: str = Field(description="leading or lagging")
    unit: str
    baseline: float
    target: float
    direction: str = Field(description="up: higher is better; down: lower is better")
    retired: bool
    latest_reading: ReadingOut | None


class MetricWithReadings(MetricOut):
    readings: list[ReadingOut] = Field(description="its first readings (up to 100), in the order they were recorded")
    readings_next_cursor: str | None = Field(
        description="when it has more: pass as `cursor` (with `metric` = this slug) to /api/v1/outcomes/{ref}/readings"
    )


class MetricReadingOut(ReadingOut):
    metric: str = Field(description="the metric's slug")


class ReadingPage(BaseModel):
    items: list[MetricReadingOut]
    next_cursor: str | None


class OutcomeOut(BaseModel):
    ref: str
    title: str
    definition_of_done: str
    owner: PersonOut
    due_date: date
    status: str
    parent: str | None = Field(description="the priority (P-n) or outcome (O-n) it serves")
    channel_id: str | None
    last_progress_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    metrics: list[MetricOut]


class UpdateOut(BaseModel):
    author: PersonOut
    created_at: datetime
    source: str
    status_before: str | None
    status_after: str | None
    note: str | None
    blocker: str | None


class OutcomeDetailOut(OutcomeOut):
    metrics: list[MetricWithReadings]
    updates: list[UpdateOut] = Field(description="newest first")


class EventOut(BaseModel):
    kind: str
    at: datetime
    round: int
    actor: PersonOut | None
    data: dict[str, Any]


class DecisionOut(BaseModel):
    ref: str
    question: str
    context: str
    link: str | None
    options: list[str]
    decider: PersonOut = Field(description="the one accountable person")
    responsible: list[PersonOut]
    consulted: list[PersonOut]
    informed: list[PersonOut]
    deadline: datetime
    status: str
    chosen_option: str | None
    rationale: str | None
    decided_at: datetime | None
    decided_by: PersonOut | None
    outcome: str | None
    channel_id: str | None
    created_at: datetime
    timeline: list[EventOut]


class ActionOut(BaseModel):
    ref: str
    what: str
    owner: PersonOut
    due_on: date
    due_time: str | None = Field(description="HH:MM in the owner's zone, if any")
    status: str
    drop_reason: str | None
    closed_at: datetime | None
    outcome: str | None
    channel_id: str | None
    source_kind: str
    source_ref: str | None
    created_at: datetime


class AttendeeOut(BaseModel):
    person: PersonOut
    role: str


class AgendaItemOut(BaseModel):
    position: int
    topic: str
    minutes: int
    kind: str
    outcome: str | None
    decision_ref: str | None


class MeetingOut(BaseModel):
    ref: str
    title: str
    kind: str
    desired_outcome: str
    organiser: PersonOut
    facilitator: PersonOut
    starts_at: datetime
    minutes: int
    status: str
    outcome_reached: str | None
    channel_id: str | None
    attendees: list[AttendeeOut]
    agenda: list[AgendaItemOut]


class RecommendationOut(BaseModel):
    do: str
    label: str
    why: str


class FindingOut(BaseModel):
    key: str
    kind: str
    subject: str = Field(description="O-12, D-7, M-3, or a person as @<Slack user id>")
    severity: str
    evidence: str
    recommendation: RecommendationOut
    owner: PersonOut | None


class OutcomePage(BaseModel):
    items: list[OutcomeOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last")


class DecisionPage(BaseModel):
    items: list[DecisionOut]
    next_cursor: str | None


class ActionPage(BaseModel):
    items: list[ActionOut]
    next_cursor: str | None


class MeetingPage(BaseModel):
    items: list[MeetingOut]
    next_cursor: str | None


class FindingPage(BaseModel):
    items: list[FindingOut]
    next_cursor: str | None


class Problem(BaseModel):
    detail: str


def person(p: Person) -> PersonOut:
    return PersonOut(id=p.slack_user_id, name=p.display_name or p.slack_user_id)


def reading(r: MetricReading) -> ReadingOut:
    return ReadingOut(value=r.value, recorded_at=r.recorded_at)


def metric_reading(r: MetricReading) -> MetricReadingOut:
    return MetricReadingOut(metric=r.metric.slug, value=r.value, recorded_at=r.recorded_at)


def metric(m: Metric) -> dict[str, Any]:
    latest = ReadingOut(value=m.current_value, recorded_at=m.current_at) if m.current_at is not None else None
    return dict(name=m.name, slug=m.slug, kind=m.kind.value, unit=m.unit, baseline=m.baseline, target=m.target,
                direction=m.direction.value, retired=m.retired_at is not None, latest_reading=latest)  # fmt: skip


def outcome(o: Outcome) -> dict[str, Any]:
    parent = o.parent_outcome.ref if o.parent_outcome else (o.parent_priority.ref if o.parent_priority else None)
    return dict(ref=o.ref, title=o.title, definition_of_done=o.definition_of_done, owner=person(o.owner),
                due_date=o.due_date, status=o.status.value, parent=parent, channel_id=o.channel_id,
                last_progress_at=o.last_progress_at, closed_at=o.closed_at, created_at=o.created_at,
                metrics=[MetricOut(**metric(m)) for m in o.metrics])  # fmt: skip


def outcome_detail(o: Outcome, readings: dict[int, Any], updates: list[ProgressUpdate], cursor) -> OutcomeDetailOut:
    """`readings`: a page of readings by metric id; `cursor` turns a page's last id into the API's cursor."""
    metrics = []
    for m in o.metrics:
        page = readings.get(m.id)
        shown = [reading(r) for r in page.items] if page else []
        metrics.append(
            MetricWithReadings(**metric(m), readings=shown, readings_next_cursor=page and cursor(page.last_id))
        )
    return OutcomeDetailOut(**(outcome(o) | {"metrics": metrics}), updates=[update(u) for u in updates])


def update(u: ProgressUpdate) -> UpdateOut:
    return UpdateOut(author=person(u.author), created_at=u.created_at, source=u.source.value, note=u.note,
                     status_before=u.status_before and u.status_before.value, blocker=u.blocker,
                     status_after=u.status_after and u.status_after.value)  # fmt: skip


def event(e: DecisionEvent) -> EventOut:
    return EventOut(kind=e.kind.value, at=e.at, round=e.round, actor=e.actor and person(e.actor), data=e.data or {})


def decision(d: Decision, events: list[DecisionEvent]) -> DecisionOut:
    def role(r: DecisionRole) -> list[PersonOut]:
        return [person(p) for p in d.people_in(r)]

    return DecisionOut(ref=d.ref, question=d.question, context=d.context, link=d.link, options=list(d.options or []),
                       decider=person(d.decider), responsible=role(DecisionRole.RESPONSIBLE),
                       consulted=role(DecisionRole.CONSULTED), informed=role(DecisionRole.INFORMED),
                       deadline=d.deadline, status=d.status.value, chosen_option=d.chosen_option,
                       rationale=d.rationale, decided_at=d.decided_at, decided_by=d.decided_by and person(d.decided_by),
                       outcome=d.outcome and d.outcome.ref, channel_id=d.channel_id, created_at=d.created_at,
                       timeline=[event(e) for e in events])  # fmt: skip


def action(a: Action) -> ActionOut:
    return ActionOut(ref=a.ref, what=a.what, owner=person(a.owner), due_on=a.due_on,
                     due_time=a.due_time and f"{a.due_time:%H:%M}", status=a.status.value, drop_reason=a.drop_reason,
                     closed_at=a.closed_at, outcome=a.outcome and a.outcome.ref, channel_id=a.channel_id,
                     source_kind=a.source_kind.value, source_ref=a.source_ref, created_at=a.created_at)  # fmt: skip


def meeting(m: Meeting) -> MeetingOut:
    agenda = [AgendaItemOut(position=i.position, topic=i.topic, minutes=i.minutes, kind=i.kind.value,
                            outcome=i.outcome and i.outcome.value, decision_ref=i.decision_ref)
              for i in m.items]  # fmt: skip
    return MeetingOut(ref=m.ref, title=m.title, kind=m.kind.value, desired_outcome=m.desired_outcome,
                      organiser=person(m.organiser), facilitator=person(m.facilitator), starts_at=m.starts_at,
                      minutes=m.minutes, status=m.status.value, channel_id=m.channel_id,
                      outcome_reached=m.outcome_reached and m.outcome_reached.value,
                      attendees=[AttendeeOut(person=person(a.person), role=a.role.value) for a in m.attendees],
                      agenda=agenda)  # fmt: skip
