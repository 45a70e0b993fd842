"""Many people logging progress on one outcome at the same moment: no change is lost, each is announced once."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from models import Metric, MetricReading, Outcome, OutcomeStatus, ProgressUpdate
from tests.support.outcomes import define


async def test_fifty_identical_at_risk_at_once_are_one_change_and_one_announcement(harness) -> None:
    await define(harness)
    people = [harness.actor(u) for u in ("U0LOCAL", "U0ALEX", "U0PRIYA")]
    for person in people:  # known people, so the burst is about the outcome, not about first visits
        await harness.slack.command(person, "/followthrough", "help")

    answers = await asyncio.gather(
        *(harness.slack.command(people[i % 3], "/progress", "O-1 at-risk legal review slipped") for i in range(50))
    )

    assert {a.status_code for a in answers} == {200}
    changes = [u for u in await harness.rows(ProgressUpdate) if u.status_after is not None]
    assert [(c.status_before, c.status_after) for c in changes] == [(OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK)]
    assert len(harness.standin.calls_to("chat.postMessage")) == 1
    # Each person's line is stored once: their repeats within minutes are refused, not logged again.
    assert len(await harness.rows(ProgressUpdate)) == 3
    assert sum("not stored twice" in a.json()["text"] for a in answers) == 47


async def test_two_different_changes_at_once_are_recorded_as_a_chain(harness) -> None:
    await define(harness)
    alex, priya = harness.actor("U0ALEX"), harness.actor("U0PRIYA")
    await asyncio.gather(
        harness.slack.command(alex, "/progress", "O-1 at-risk waiting on legal"),
        harness.slack.command(priya, "/progress", "O-1 off-track pilot lost"),
    )

    changes = sorted((u for u in await harness.rows(ProgressUpdate) if u.status_after is not None), key=lambda u: u.id)
    assert changes[0].status_before is OutcomeStatus.ON_TRACK
    assert changes[1].status_before is changes[0].status_after  # the second saw the first
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is changes[1].status_after


async def test_the_current_value_is_the_latest_reading_after_a_burst(harness) -> None:
    await define(harness)
    await asyncio.gather(*(harness.slack.command(harness.me, "/progress", f"O-1 {n}") for n in range(1, 41)))

    async with harness.db.sessions() as session:
        lagging = (await session.scalars(select(Metric).where(Metric.kind == "lagging"))).one()
        readings = (await session.scalars(select(MetricReading).order_by(MetricReading.id))).all()
    assert len(readings) == 40
    assert lagging.current_value == readings[-1].value
