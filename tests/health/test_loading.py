"""The detectors on stored histories: the snapshot reads one workspace only, and what it finds in the database
is what a person would expect of those numbers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from models import Audience, Cadence, OutcomeStatus, ProgressSource, ProgressUpdate, Round, ZoneMode
from services import health
from services.blockers import CLEARED
from services.health import Kind
from services.health.loading import snapshot
from tests.support.health import action_with, decision_with, outcome_with, workspace_with

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def test_a_falling_metric_marked_on_track_is_found_and_another_workspace_is_not_read(db) -> None:
    async with db.sessions.begin() as session:
        ours, (ana, ben) = await workspace_with(session, "T0OURS", ["U0ANA", "U0BEN"])
        theirs, (cy,) = await workspace_with(session, "T0THEIRS", ["U0CY"])
        await outcome_with(session, ours, ana, 1, now=NOW, values=[(20, 50), (15, 46), (10, 41), (5, 37), (1, 33)])
        await outcome_with(session, ours, ben, 2, now=NOW, values=[(d, (60 - d) / 90.5 * 100) for d in (30, 20, 10, 1)])
        await outcome_with(session, theirs, cy, 1, now=NOW, values=[(10, 50), (5, 40), (1, 30)])
        await decision_with(session, ours, ben, 1, deadline=NOW - timedelta(days=5))
        await decision_with(session, theirs, cy, 1, deadline=NOW - timedelta(days=5))
        await action_with(session, ours, ana, 1, now=NOW, due_in=-3)
    async with db.sessions() as session:
        data = await snapshot(session, workspace_id=ours.id, now=NOW)
    assert [o.ref for o in data.outcomes] == ["O-1", "O-2"]
    assert [r.value for r in data.outcomes[0].metrics[0].readings] == [50, 46, 41, 37, 33]
    assert [d.ref for d in data.decisions] == ["D-1"] and [a.ref for a in data.actions] == ["A-1"]
    found = health.findings(data, NOW)
    subjects = {(f.kind, f.subject) for f in found}
    assert (Kind.CONTRADICTED, "O-1") in subjects and (Kind.BEHIND_PACE, "O-1") in subjects
    assert (Kind.DECISION_OVERDUE, "D-1") in subjects
    assert not any(f.subject == "O-2" for f in found), "an outcome on its straight path says nothing"
    contradicted = next(f for f in found if f.kind is Kind.CONTRADICTED)
    assert contradicted.owner_id == ana.id and contradicted.recommendation.label == "Mark at risk"
    assert "moved" in contradicted.evidence and "away from target" in contradicted.evidence
    behind = next(f for f in found if f.kind is Kind.BEHIND_PACE)
    assert behind.evidence.startswith("signups: expected 66% of the way by today, at 33%")


async def test_blockers_that_mention_one_person_again_and_again_make_them_the_bottleneck(db) -> None:
    async with db.sessions.begin() as session:
        ours, (ana, ben, cy) = await workspace_with(session, "T0OURS", ["U0ANA", "U0BEN", "U0CY"])
        for n in range(3):
            await outcome_with(session, ours, ana, n + 1, now=NOW, values=[(3 + n, 60)],
                               blocker="Waiting on <@U0CY> for the contract")  # fmt: skip
        await outcome_with(session, ours, ben, 9, now=NOW, values=[(2, 60)], blocker="Waiting on <@U0BEN>")
    async with db.sessions() as session:
        found = health.findings(await snapshot(session, workspace_id=ours.id, now=NOW), NOW)
    [bottleneck] = [f for f in found if f.kind is Kind.BOTTLENECK]
    assert bottleneck.subject == f"@{cy.id}" and bottleneck.owner_id == cy.id
    assert bottleneck.evidence == "u0cy is named in 3 blockers in 21 days."
    assert bottleneck.recommendation.label == "Delegate some"


async def test_blockers_cleared_since_or_whose_outcome_is_back_on_track_make_nobody_a_bottleneck(db) -> None:
    async with db.sessions.begin() as session:
        ours, (ana, cy) = await workspace_with(session, "T0OURS", ["U0ANA", "U0CY"])
        outcomes = [await outcome_with(session, ours, ana, n + 1, now=NOW, values=[(5 + n, 60)],
                                       blocker="Waiting on <@U0CY> for the contract") for n in range(3)]  # fmt: skip
        later = NOW - timedelta(days=2)
        for outcome, clearing in zip(outcomes[:2], ({"blocker": CLEARED}, {"status_after": OutcomeStatus.ON_TRACK,
                                                    "status_before": OutcomeStatus.AT_RISK}), strict=True):  # fmt: skip
            session.add(ProgressUpdate(workspace_id=ours.id, outcome_id=outcome.id, author_id=ana.id,
                                       source=ProgressSource.COMMAND, created_at=later, **clearing))  # fmt: skip
    async with db.sessions() as session:
        data = await snapshot(session, workspace_id=ours.id, now=NOW)
    assert [b.outcome_ref for b in data.blockers] == ["O-3"]  # the one nobody cleared
    assert not [f for f in health.findings(data, NOW) if f.kind is Kind.BOTTLENECK]  # one blocker is no pattern


async def test_an_outcome_quiet_through_two_check_in_rounds_of_its_channel_is_stale_before_two_weeks(db) -> None:
    async with db.sessions.begin() as session:
        ours, (ana,) = await workspace_with(session, "T0OURS", ["U0ANA"])
        # on its straight path, last updated 8 days ago; its channel's weekly check-in has met twice since
        await outcome_with(session, ours, ana, 1, now=NOW, values=[(d, (60 - d) / 90.5 * 100) for d in (40, 24, 8)],
                           channel="C0TEAM")  # fmt: skip
        await outcome_with(session, ours, ana, 2, now=NOW, values=[(d, (60 - d) / 90.5 * 100) for d in (40, 24, 8)],
                           channel="C0QUIET")  # fmt: skip
        cadence = Cadence(workspace_id=ours.id, channel_id="C0TEAM", owner_id=ana.id, audience=Audience.CHANNEL,
                          interval_weeks=1, weekdays=[0], local_time=time(9), zone_mode=ZoneMode.TEAM,
                          timezone="UTC", starts_on=NOW.date(), questions=["What moved?"],
                          digest_after_minutes=60)  # fmt: skip
        session.add(cadence)
        await session.flush()
        for days in (14, 7, 0):
            opened = NOW - timedelta(days=days, hours=1)
            session.add(Round(workspace_id=ours.id, cadence_id=cadence.id, channel_id="C0TEAM", occurs_on=opened.date(),
                              opened_at=opened, questions=["What moved?"], ask_blocker=True, ask_confidence=True,
                              digest_at=opened + timedelta(hours=1)))  # fmt: skip
    async with db.sessions() as session:
        found = health.findings(await snapshot(session, workspace_id=ours.id, now=NOW), NOW)
    [stale] = [f for f in found if f.kind is Kind.STALE]
    assert (
        stale.subject == "O-1" and stale.evidence == "No update for 8 days, through 2 check-in rounds in its channel."
    )
