"""The labelled set itself: every scenario a few times over with different noise (see histories.py)."""

from __future__ import annotations

from datetime import timedelta

from models import MetricKind, OutcomeStatus
from services.health import Kind
from services.health.views import ActionView, Blocker, DecisionView, MeetingView, PlaybookView
from tests.health.histories import (
    EVERY_5,
    NOW,
    TODAY,
    Builder,
    Labelled,
    metric,
    on_pace,
    path,
)

SEEDS = range(4)


def quiet_outcomes(b: Builder) -> None:
    """Outcomes nothing should be said about."""
    for seed in SEEDS:
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.01, seed=seed))])
        # noisy but on pace, a little and a lot
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.06, seed=100 + seed))])
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.10, seed=200 + seed))])
        # a leading indicator that moves ahead of the result, both on pace
        lead = metric(path(EVERY_5, on_pace(lead=0.1), noise=0.03, seed=seed), number=2, kind=MetricKind.LEADING)
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.02, seed=seed)), lead])
        # "down is good": churn falling from 8% to 4% on pace
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), baseline=8, target=4, noise=0.02, seed=seed),
                                         baseline=8, target=4, name="churn")])  # fmt: skip
    # brand new, one reading
    b.outcome(set(), metrics=[metric(path([1], lambda d: 0.0))], age=3, left=87, updated_days_ago=1)
    b.outcome(set(), metrics=[metric(path([2], lambda d: 0.01))], age=5, left=40, updated_days_ago=2)


def pace_and_status(b: Builder) -> None:
    for seed in SEEDS:
        # stuck at a fifth of the way, still marked on track: behind, and the status says otherwise
        stuck = path(EVERY_5, lambda d: min(0.2, on_pace()(d)), noise=0.01, seed=seed)
        b.outcome({Kind.BEHIND_PACE, Kind.CONTRADICTED}, metrics=[metric(stuck)])
        # the same, honestly marked at risk: behind pace only
        b.outcome({Kind.BEHIND_PACE}, metrics=[metric(stuck)], status=OutcomeStatus.AT_RISK)
        # on pace until a fortnight ago, then falling a little each reading while marked on track
        falling = path(EVERY_5, lambda d: on_pace()(15) - (15 - d) * 0.008 if d < 15 else on_pace()(d), seed=seed)
        b.outcome({Kind.CONTRADICTED}, metrics=[metric(falling)])
        # "down is good" and rising (getting worse) while on track: falling behind and contradicted
        worse = path(EVERY_5, lambda d: 0.1 - (55 - d) * 0.004, baseline=8, target=4, noise=0.005, seed=seed)
        b.outcome({Kind.BEHIND_PACE, Kind.CONTRADICTED}, metrics=[metric(worse, baseline=8, target=4, name="churn")])
        # the result on pace, but the leading indicator has turned and keeps falling
        turned = metric(path(EVERY_5, lambda d: 0.6 - (20 - d) * 0.01 if d < 20 else 0.6, seed=seed), number=2,
                        kind=MetricKind.LEADING, name="demos")  # fmt: skip
        b.outcome({Kind.CONTRADICTED}, metrics=[metric(path(EVERY_5, on_pace(), noise=0.01, seed=seed)), turned])
        # marked off track while ahead of pace
        b.outcome({Kind.CONTRADICTED}, metrics=[metric(path(EVERY_5, on_pace(lead=0.05), noise=0.01, seed=seed))],
                  status=OutcomeStatus.OFF_TRACK)  # fmt: skip


def activity(b: Builder) -> None:
    for seed in SEEDS:
        # busy (check-in answers, closed action items) for three weeks while the number hasn't moved, so it
        # has fallen behind too
        flat = path(EVERY_5, lambda d: min(on_pace()(d), on_pace()(25)), noise=0.0, seed=seed)
        b.outcome({Kind.ACTIVITY_NO_PROGRESS, Kind.BEHIND_PACE}, metrics=[metric(flat)], status=OutcomeStatus.AT_RISK,
                  updates=[18, 11, 4], closed=[9, 2])  # fmt: skip
        # busy and moving: nothing to say
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.01, seed=seed))], updates=[18, 11, 4],
                  closed=[9, 2])  # fmt: skip


def dates_and_owners(b: Builder) -> None:
    for seed in SEEDS:
        readings = path([50, 40, 30, 25, 22], on_pace(), noise=0.01, seed=seed)
        b.outcome({Kind.STALE}, metrics=[metric(readings)], updated_days_ago=22)
        # ten quiet days, but two check-in rounds of its channel went by without a word on it; one round is fine
        recent = path([50, 40, 30, 20, 10], on_pace(), noise=0.01, seed=seed)
        b.outcome({Kind.STALE}, metrics=[metric(recent)], updated_days_ago=10, rounds=2)
        b.outcome(set(), metrics=[metric(recent)], updated_days_ago=10, rounds=1)
        near = path(EVERY_5, on_pace(age=60, left=5), noise=0.01, seed=seed)
        b.outcome({Kind.DUE_SOON}, metrics=[metric(near)], status=OutcomeStatus.AT_RISK, left=5)
        done_ish = path(EVERY_5, lambda d: min(0.97, (60 - d) / 57), noise=0.005, seed=seed)
        b.outcome({Kind.PAST_DUE}, metrics=[metric(done_ish)], age=63, left=-3)
        b.outcome({Kind.OWNER_GONE}, metrics=[metric(path(EVERY_5, on_pace(), noise=0.01, seed=seed))],
                  active=False)  # fmt: skip
        silent = metric(path([50, 42, 38], lambda d: 0.1), number=2, kind=MetricKind.LEADING, name="demos")
        b.outcome({Kind.SILENT_METRIC}, metrics=[metric(path(EVERY_5, on_pace(), noise=0.01, seed=seed)), silent])


def team(labelled: Labelled) -> None:
    b = Builder(labelled)
    b.count = 500
    # one person owns six outcomes, each healthy
    busy = labelled.person(1)
    for _ in range(6):
        b.outcome(set(), metrics=[metric(path(EVERY_5, on_pace(), noise=0.01))], owner=busy)
    labelled.expected.add((Kind.TOO_MANY_OUTCOMES, "@1"))
    # a decider holding six open decisions, none late yet; another with one late by four days
    hub, late = labelled.person(2), labelled.person(3)
    for n in range(6):
        labelled.decisions.append(DecisionView(n + 1, f"D-{n + 1}", "Which?", hub, NOW + timedelta(days=n + 1), True))
    labelled.decisions.append(DecisionView(10, "D-10", "When?", late, NOW - timedelta(days=4), True))
    labelled.decisions.append(DecisionView(11, "D-11", "Who?", late, NOW - timedelta(days=9), False))  # decided
    labelled.expected |= {(Kind.BOTTLENECK, "@2"), (Kind.DECISION_OVERDUE, "D-10")}
    # a person named in three blockers this fortnight; another in one
    named, once = labelled.person(4), labelled.person(5)
    labelled.blockers += [Blocker("O-1", NOW - timedelta(days=d), (named,)) for d in (2, 6, 12)]
    labelled.blockers.append(Blocker("O-2", NOW - timedelta(days=3), (once,)))
    labelled.expected.add((Kind.BOTTLENECK, "@4"))
    # overdue action items: four of five on one person
    holder, other = labelled.person(6), labelled.person(7)
    for n, owner in enumerate((holder, holder, holder, holder, other)):
        labelled.actions.append(ActionView(n + 1, f"A-{n + 1}", owner, TODAY - timedelta(days=2), True))
    labelled.actions.append(ActionView(9, "A-9", other, TODAY + timedelta(days=3), True))
    labelled.expected.add((Kind.BOTTLENECK, "@6"))
    # a weekly series flagged twice this month, another flagged once
    organiser = labelled.person(8)
    for n, (series, flagged) in enumerate(((1, True), (1, True), (1, False), (2, True), (2, False))):
        labelled.meetings.append(MeetingView(n + 1, f"M-{n + 1}", "Weekly sync", organiser, series,
                                             NOW - timedelta(days=7 * (n % 3) + 1), flagged))  # fmt: skip
    labelled.expected.add((Kind.MEETING_NOT_READY, "M-1"))


def playbooks(labelled: Labelled) -> None:
    """Reviewed within the interval, just past it, long past it, and a yearly one halfway through its year."""
    owner = labelled.person(9)
    for n, (days_ago, every, overdue) in enumerate(((30, 90, False), (91, 90, True), (200, 90, True),
                                                    (180, 365, False), (8, 7, True)), start=1):  # fmt: skip
        labelled.playbooks.append(PlaybookView(f"PB-{n}", "Onboarding", owner, NOW - timedelta(days=days_ago), every))
        if overdue:
            labelled.expected.add((Kind.PLAYBOOK_UNREVIEWED, f"PB-{n}"))


def labelled_set() -> Labelled:
    labelled = Labelled()
    b = Builder(labelled)
    quiet_outcomes(b)
    pace_and_status(b)
    activity(b)
    dates_and_owners(b)
    team(labelled)
    playbooks(labelled)
    return labelled
