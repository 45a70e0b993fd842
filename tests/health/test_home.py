"""The Home tab's "Needs attention" (a person's own findings, most severe first, at most five, with their buttons),
redrawn after a press there; and the job that keeps the stored findings current every 15 minutes, each workspace
on its own. Through the real app and the job as the scheduler runs it, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import MovableClock
from models import HealthFinding, HealthSettings, Outcome
from scheduler import features
from scheduler import health as jobs
from scheduler.runner import JobContext
from tests.support.decisions import install_clock, private_answers
from tests.support.health import (
    START,
    button,
    outcome_with,
    press,
    seed,
    stored,
    workspace_with,
)
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]
FALLING = [(30, 40.0), (20, 35.0), (10, 30.0)]


@pytest.fixture
def job(harness, clock: MovableClock, clients) -> JobContext:
    clock.set(START)
    install_clock(harness, clock)
    return JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)


async def open_home(harness, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.event(actor, {"type": "app_home_opened", "user": actor.user_id, "tab": "home"})
    assert response.status_code == 200
    view = harness.standin.home(actor.user_id)
    assert view is not None
    return view


async def yours_and_alexs(session, workspace, people) -> None:
    await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=FALLING, channel="C0GENERAL")
    await outcome_with(session, workspace, people["U0ALEX"], 2, now=START, values=[(20, 60.0)])


async def test_needs_attention_shows_your_own_findings_with_their_buttons(harness, job) -> None:
    await seed(harness, yours_and_alexs)
    await jobs.refresh_all(job)

    mine = await open_home(harness)
    text = all_text(mine["blocks"])
    assert "Needs attention" in text and "Status and numbers disagree" in text and "O-2" not in text
    assert text.index("Needs attention") < text.index("My action items")  # first on the page
    assert {b["text"]["text"] for b in mine["blocks"] if b["type"] == "actions" for b in b["elements"]} >= {
        "Mark at risk", "Log progress", "Snooze a week"
    }  # fmt: skip
    alexs = all_text((await open_home(harness, harness.actor("U0ALEX")))["blocks"])
    assert "No update for 20 days." in alexs and "Status and numbers disagree" not in alexs


async def test_at_most_five_most_severe_first_and_nothing_when_there_are_none(harness, job) -> None:
    async def many(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=FALLING)
        for number in range(2, 8):
            await outcome_with(session, workspace, people["U0LOCAL"], number, now=START, values=[(20, 60.0)])

    await seed(harness, many)
    await jobs.refresh_all(job)

    view = await open_home(harness)
    findings = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and "\n_" in b["text"]["text"]]
    assert len(findings) == 5
    assert findings[0].startswith("🔴") and findings[-1].startswith("🟠")
    assert "Needs attention" not in all_text((await open_home(harness, harness.actor("U0PRIYA")))["blocks"])


async def test_a_press_on_the_home_tab_redraws_it(harness, job) -> None:
    await seed(harness, yours_and_alexs)
    await jobs.refresh_all(job)
    view = await open_home(harness)

    await press(harness, harness.me, button(view["blocks"], "Mark at risk"), home=True)
    redrawn = await open_home(harness)  # what the press published, read back

    assert len(harness.standin.calls_to("views.publish")) == 3  # opened, redrawn after the press, opened again
    assert "Status and numbers disagree" not in all_text(redrawn["blocks"])
    assert [o.status for o in await harness.rows(Outcome, Outcome.number == 1)] == ["at_risk"]
    assert private_answers(harness) == []  # the Home tab itself shows what changed
    await press(harness, harness.me, button(redrawn["blocks"], "Snooze a week"), home=True)
    assert "Behind pace" not in all_text(harness.standin.home("U0LOCAL")["blocks"])


async def test_the_job_refreshes_every_workspace_and_twice_stores_once(harness, job) -> None:
    await seed(harness, yours_and_alexs)
    async with harness.db.sessions.begin() as session:
        other, [olga] = await workspace_with(session, "T0OTHER", ["U0OTHER"])
        await outcome_with(session, other, olga, 1, now=START, values=[(20, 60.0)])

    assert await jobs.refresh_all(job) == 2
    first = [(f.workspace_id, f.key, f.first_seen_at) for f in await stored(harness)]
    job.clock.set(START + timedelta(minutes=15))
    assert await jobs.refresh_all(job) == 2

    again = await stored(harness)
    assert [(f.workspace_id, f.key, f.first_seen_at) for f in again] == first
    assert {f.last_seen_at for f in again} == {START + timedelta(minutes=15)}
    assert {f.workspace_id for f in again if f.subject == "O-1" and f.kind == "stale"} == {other.id}
    assert jobs.JOB_NAME == "health.refresh" and jobs.JOB_SECONDS == 900 and jobs in features.FEATURES


async def test_one_broken_workspace_does_not_stop_the_others(harness, job) -> None:
    async def broken(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=[(20, 60.0)])
        session.add(HealthSettings(workspace_id=workspace.id, thresholds={"stale_days": "a fortnight"}))

    await seed(harness, broken)
    async with harness.db.sessions.begin() as session:
        other, [olga] = await workspace_with(session, "T0OTHER", ["U0OTHER"])
        await outcome_with(session, other, olga, 1, now=START, values=[(20, 60.0)])

    assert await jobs.refresh_all(job) == 1

    assert [(f.workspace_id, f.kind) for f in await stored(harness)] == [(other.id, "stale")]


async def test_a_finding_that_clears_and_comes_back_is_the_same_finding_again(harness, job) -> None:
    async def quiet(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0ALEX"], 1, now=START, values=[(20, 60.0)], left=90)

    await seed(harness, quiet)
    await jobs.refresh_all(job)
    await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 62 a little")
    job.clock.set(START + timedelta(hours=1))
    await jobs.refresh_all(job)
    [cleared] = await stored(harness)
    assert cleared.resolved_at == START + timedelta(hours=1)

    job.clock.set(START + timedelta(days=15))
    await jobs.refresh_all(job)

    [back] = await stored(harness, HealthFinding.kind == "stale")
    assert (back.id, back.resolved_at, back.first_seen_at) == (cleared.id, None, START + timedelta(days=15))
    assert "No update for 15 days." in back.evidence
