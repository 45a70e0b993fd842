"""Seeing the noise: `/followthrough noise` (admins) and /metrics show, for the four weeks up to now, how many DMs
the bot started per person per day, how many waited first, and which kinds people answer; the kinds mostly
ignored are named as candidates to turn off. Four weeks of DMs for three people in three zones (see
tests/support/attention.py, HISTORY), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from bot.clock import MovableClock
from tests.platform.test_metrics import parse, value
from tests.support.attention import followthrough, four_weeks, zones_stored
from tests.support.decisions import install_clock
from tests.support.health import seed

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday


@pytest.fixture
def clock(harness) -> MovableClock:
    clock = MovableClock(NOW)
    install_clock(harness, clock)
    return clock


def history(now: datetime, *, strangers: bool = True):
    async def build(session, workspace, people) -> None:
        await zones_stored(session, people)
        await four_weeks(session, workspace, now, strangers=strangers)

    return build


async def test_admins_see_dms_per_person_day_held_or_not_and_which_kinds_go_unanswered(harness, clock) -> None:
    await seed(harness, history(NOW))

    said = await followthrough(harness, "noise")

    # 22 person-days (each person's own calendar days): ten with 1 DM, six with 2, three with 3, then 4, 5 and 8.
    assert "*DMs per person per day*: median 2, 95th percentile 5, most 8, over 22 person-days." in said
    assert "7 waited first" in said and "43 went at once" in said
    assert "`checkin.ask`: 2 of 21 answered (10%)" in said
    assert "`decision.nudge`: 12 of 14 answered (86%)" in said
    assert "`action.nudge`: 5 of 7 answered (71%)" in said  # the two inside the round-up count as their kind
    assert "`meeting.read`: 0 of 6 answered (0%)" in said
    assert "attention.your_day" not in said  # the round-up is how the rest arrive, not a nudge to turn off
    candidates = said.split("*Candidates to turn off*")[1]
    assert "`checkin.ask`" in candidates  # answered 10% of the time, out of 21
    assert "meeting.read" not in candidates  # never answered, but 6 are too few to judge
    assert "decision.nudge" not in candidates
    assert said.index("`checkin.ask`: 2") < said.index("`decision.nudge`") < said.index("`action.nudge`")


async def test_days_are_each_persons_own_not_utc(harness, clock) -> None:
    """Priya's first DM of each day goes at 05:00 her time, 23:30 UTC the evening before. Counted by UTC days,
    her busiest day would read 7 and a ninth day would appear; counted by hers, it is 8, as she lived it."""
    await seed(harness, history(NOW))

    assert "most 8, over 22 person-days" in await followthrough(harness, "noise")


async def test_a_workspace_with_no_dms_is_told_so(harness, clock) -> None:
    said = await followthrough(harness, "noise")

    assert "No DMs from me in the last 4 weeks." in said and "None yet" in said


async def test_metrics_show_the_same_figures(harness) -> None:
    now = datetime.now(UTC)  # /metrics reads the system clock
    await seed(harness, history(now, strangers=False))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app), base_url="http://ft.test") as http:
        samples = parse((await http.get("/metrics")).text)

    assert value(samples, "followthrough_dms_per_person_day", stat="median") == 2
    assert value(samples, "followthrough_dms_per_person_day", stat="p95") == 5
    assert value(samples, "followthrough_dms_per_person_day", stat="max") == 8
    assert value(samples, "followthrough_dms_total", state="held") == 7
    assert value(samples, "followthrough_dms_total", state="sent") == 43
    assert value(samples, "followthrough_dm_response_rate", kind="checkin.ask") == pytest.approx(2 / 21, abs=1e-4)
    assert value(samples, "followthrough_dm_response_rate", kind="decision.nudge") == pytest.approx(12 / 14, abs=1e-4)
    assert value(samples, "followthrough_dm_response_rate", kind="meeting.read") == 0
    assert value(samples, "followthrough_dm_response_sent", kind="action.nudge") == 7
