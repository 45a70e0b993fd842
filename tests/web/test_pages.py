"""The dashboard's outcome and health pages: an outcome's charts are SVG drawn on the server with each series
named, another workspace's outcome is not found, the health page lists the findings with what they recommend,
and snoozing one needs the page's own form. Through the real app, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.clock import MovableClock
from models import HealthFinding, Person
from services.web.outcome_page import trend_line
from tests.support.decisions import install_clock
from tests.support.health import outcome_with, seed
from tests.support.outcomes import define
from tests.web.test_sign_in import another_workspaces_outcome, browser, new_browser, sign_in_link

__all__ = ["browser"]  # the fixture

FALLING = [(30, 40.0), (20, 35.0), (10, 30.0)]


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, re.DOTALL)


async def test_an_outcome_page_charts_readings_against_the_plan_and_the_trend(harness, browser) -> None:
    await define(harness, title="Faster onboarding", leading="Demos booked: 2 -> 10")
    clock = MovableClock(datetime.now(UTC))
    install_clock(harness, clock)
    for typed in ("O-1 24 first cohort", "O-1 26 at-risk slower than hoped", "O-1 31 demos-booked=5"):
        clock.advance(timedelta(days=7))
        await harness.slack.command(harness.me, "/progress", typed)
    install_clock(harness, MovableClock(datetime.now(UTC)))  # the sign-in link is read at the real time
    await browser.get(await sign_in_link(harness))

    overview = (await browser.get("/web/")).text
    assert 'href="/web/outcomes/O-1"' in overview
    page = await browser.get("/web/outcomes/o-1")

    assert page.status_code == 200, page.text
    text = page.text
    assert "Faster onboarding" in text and "first report on day one" in text  # title, definition of done
    assert "<script" not in text
    activation, demos = svgs(text)
    for series in ("readings", "planned path", "trend"):
        assert f'aria-label="{series}' in activation, series
        assert f">{series}</text>" in activation  # the legend says which line is which
    assert "readings: 31%" in activation
    assert "status: on track → at risk" in activation  # the status change, marked
    assert 'aria-label="readings: 5' in demos
    assert "slower than hoped" in text and "on track → at risk" in text  # the latest updates beside
    assert "Activation 31%" in text


async def test_an_outcome_page_without_readings_still_shows_the_planned_path(harness, browser) -> None:
    await define(harness, title="Quiet one")
    await browser.get(await sign_in_link(harness))

    text = (await browser.get("/web/outcomes/O-1")).text

    [chart, _] = svgs(text)
    assert 'aria-label="planned path"' in chart and "no readings yet" in text
    assert 'aria-label="trend' not in chart  # nothing to draw a trend from


async def test_another_workspaces_outcome_and_a_made_up_ref_are_not_found(harness, browser) -> None:
    await another_workspaces_outcome(harness)  # its O-1
    await browser.get(await sign_in_link(harness))

    for ref in ("O-1", "O-999", "nonsense"):
        page = await browser.get(f"/web/outcomes/{ref}")
        assert page.status_code == 404 and "secret plan" not in page.text

    async with new_browser(harness) as nobody:
        assert (await nobody.get("/web/outcomes/O-1")).status_code == 401
        assert (await nobody.get("/web/health")).status_code == 401


async def falling_outcome(session, workspace, people) -> None:
    await outcome_with(session, workspace, people["U0LOCAL"], 1, now=datetime.now(UTC), values=FALLING,
                       channel="C0GENERAL")  # fmt: skip


async def test_the_health_page_lists_findings_with_their_recommended_action(harness, browser) -> None:
    await seed(harness, falling_outcome)
    await browser.get(await sign_in_link(harness))

    page = await browser.get("/web/health")

    assert page.status_code == 200
    text = page.text
    assert "Behind pace" in text and 'href="/web/outcomes/O-1"' in text
    assert "Recommended: Ask for a recovery plan" in text
    assert "https://slack.com/app_redirect?team=T0LOCAL&amp;channel=C0GENERAL" in text
    count = re.search(r"(\d+) open findings?", (await browser.get("/web/")).text)
    assert count is not None and int(count[1]) >= 1


async def test_snoozing_needs_the_pages_form_and_then_the_finding_stays_quiet(harness, browser) -> None:
    await seed(harness, falling_outcome)
    await browser.get(await sign_in_link(harness))
    page = (await browser.get("/web/health")).text
    [csrf] = set(re.findall(r'name="csrf" value="([0-9a-f]+)"', page))
    key = next(k for k in re.findall(r'name="key" value="([^"]+)"', page) if k.startswith("behind_pace"))

    forged = await browser.post("/web/health/snooze", data={"key": key})
    assert forged.status_code == 403
    assert all(f.snoozed_until is None for f in await harness.rows(HealthFinding))

    done = await browser.post("/web/health/snooze", data={"key": key, "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/web/health?snoozed=1"
    [snoozed] = [f for f in await harness.rows(HealthFinding) if f.key == key]
    assert snoozed.snoozed_until is not None and snoozed.acted == "snooze"
    after = (await browser.get("/web/health?snoozed=1")).text
    assert "Snoozed" in after and f'value="{key}"' not in after


async def test_only_the_person_a_finding_is_on_or_an_admin_may_snooze_it(harness, browser) -> None:
    await seed(harness, falling_outcome)
    await browser.get(await sign_in_link(harness, harness.actor("U0ALEX")))
    [alex] = await harness.rows(Person, Person.slack_user_id == "U0ALEX")
    assert not alex.is_admin
    page = (await browser.get("/web/health")).text
    [csrf] = set(re.findall(r'name="csrf" value="([0-9a-f]+)"', page))
    assert "Snooze a week" not in page  # the falling outcome is U0LOCAL's

    [finding] = [f for f in await harness.rows(HealthFinding) if f.kind == "behind_pace"]
    refused = await browser.post("/web/health/snooze", data={"key": finding.key, "csrf": csrf})

    assert refused.status_code == 403
    assert all(f.snoozed_until is None for f in await harness.rows(HealthFinding))


def test_the_trend_needs_readings_more_than_a_day_apart() -> None:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    due = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    same_day = [(start, 20.0), (start + timedelta(minutes=5), 30.0)]
    weekly = [(start, 20.0), (start + timedelta(days=7), 22.0), (start + timedelta(days=14), 24.0)]

    assert trend_line(same_day, due) == []
    [(first, at_first), (last, at_due)] = trend_line(weekly, due)
    assert (first, last) == (start, due)
    assert at_first == 20.0 and round(at_due, 1) == round(20 + 2 / 7 * (due - start).total_seconds() / 86400, 1)
