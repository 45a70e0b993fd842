"""Detectors across the workspace: a person who has become the bottleneck (decisions, blockers, overdue action
items), an owner with more outcomes than anyone can watch, decisions past their deadline, and series whose
meetings the gate keeps flagging."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

from services.health.findings import Finding, Kind, Recommendation, Remedy, Severity, Thresholds
from services.health.views import Workspace

MIN_OVERDUE_ACTIONS = 4  # fewer overdue items than this say nothing about shares


def _many(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def person_subject(person_id: int) -> str:
    return f"@{person_id}"


def _deciders(data: Workspace, now: datetime, limits: Thresholds) -> Iterator[tuple[int, str]]:
    open_decisions = [d for d in data.decisions if d.is_open]
    for person, count in Counter(d.decider_id for d in open_decisions).items():
        overdue = sum(1 for d in open_decisions if d.decider_id == person and d.deadline < now)
        if count >= limits.bottleneck_decisions or overdue >= limits.bottleneck_overdue_decisions:
            yield person, f"decider on {_many(count, 'open decision')} ({overdue} past deadline)"


def _named_in_blockers(data: Workspace, now: datetime, limits: Thresholds) -> Iterator[tuple[int, str]]:
    since = now - timedelta(days=limits.activity_days)
    named = Counter(p for b in data.blockers if b.at >= since for p in set(b.named))
    for person, count in named.items():
        if count >= limits.bottleneck_blockers:
            yield person, f"named in {_many(count, 'blocker')} in {limits.activity_days} days"


def _overdue_owners(data: Workspace, now: datetime, limits: Thresholds) -> Iterator[tuple[int, str]]:
    overdue_actions = [a for a in data.actions if a.is_open and a.due_on < now.date()]
    owners = Counter(a.owner_id for a in overdue_actions)
    if len(overdue_actions) < MIN_OVERDUE_ACTIONS or len(owners) < 2:
        return
    for person, count in owners.items():
        if count / len(overdue_actions) >= limits.bottleneck_action_share:
            yield person, f"owns {count} of the team's {len(overdue_actions)} overdue action items"


def _bottleneck_evidence(data: Workspace, now: datetime, limits: Thresholds) -> dict[int, list[str]]:
    said: dict[int, list[str]] = {}
    for found in (_deciders, _named_in_blockers, _overdue_owners):
        for person, reason in found(data, now, limits):
            said.setdefault(person, []).append(reason)
    return said


def bottlenecks(data: Workspace, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    for person, reasons in sorted(_bottleneck_evidence(data, now, limits).items()):
        who = data.people.get(person)
        name = who.name if who else "Someone"
        remedy = Recommendation(
            Remedy.REASSIGN,
            "Delegate some",
            "Push decisions to the lowest level that can make them: hand some of these to "
            "the people closest to the work.",
        )
        severity = Severity.HIGH if len(reasons) > 1 else Severity.MEDIUM
        yield Finding(
            Kind.BOTTLENECK, person_subject(person), severity, f"{name} is {'; '.join(reasons)}.", remedy, person
        )


def too_many_outcomes(data: Workspace, limits: Thresholds) -> Iterator[Finding]:
    owners = Counter(o.owner_id for o in data.outcomes if o.status.is_open)
    for person, count in sorted(owners.items()):
        if count > limits.max_open_outcomes:
            name = data.people[person].name if person in data.people else "Someone"
            remedy = Recommendation(
                Remedy.REASSIGN,
                "Hand one over",
                "Nobody watches this many well: hand one to someone else, or drop one.",
            )
            yield Finding(
                Kind.TOO_MANY_OUTCOMES,
                person_subject(person),
                Severity.LOW,
                f"{name} owns {count} open outcomes (the limit here is {limits.max_open_outcomes}).",
                remedy,
                person,
            )


def overdue_decisions(data: Workspace, now: datetime) -> Iterator[Finding]:
    for decision in data.decisions:
        if decision.is_open and decision.deadline < now:
            late = now - decision.deadline
            days = late.days
            hours = late.seconds // 3600
            evidence = (
                f"{_many(days, 'day')} past its deadline"
                if days
                else f"{_many(hours, 'hour')} past its deadline"
                if hours
                else "just past its deadline"  # not "0 hours"
            )
            remedy = Recommendation(
                Remedy.REMIND_DECIDER,
                "Remind the decider",
                "Ask the decider to decide, or to set a deadline they will keep.",
            )
            severity = Severity.HIGH if days >= 3 else Severity.MEDIUM
            yield Finding(
                Kind.DECISION_OVERDUE,
                decision.ref,
                severity,
                evidence + ", still open.",
                remedy,
                decision.decider_id,
                decision.channel_id,
            )


def meetings_not_ready(data: Workspace, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    since = now - timedelta(days=30)
    flagged = Counter(m.series_id for m in data.meetings if m.series_id and m.flagged and m.starts_at >= since)
    for series, count in sorted(flagged.items()):
        if count < limits.gate_repeats:
            continue
        latest = max((m for m in data.meetings if m.series_id == series), key=lambda m: m.starts_at)
        target = latest.next_ref or latest.ref
        remedy = Recommendation(
            Remedy.MAKE_ASYNC,
            "Make the next one async",
            "It keeps arriving unprepared: run the next one as a written thread.",
            target,
        )
        yield Finding(
            Kind.MEETING_NOT_READY,
            latest.ref,
            Severity.MEDIUM,
            f"“{latest.title}”: {count} meetings in 30 days were flagged not ready.",
            remedy,
            latest.organiser_id,
        )
