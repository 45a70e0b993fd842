"""The decisions log, a decision's page, the people page and the meetings page in headless Chromium: reached from
the menu, searched with the form, each saved as a screenshot under test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.async_api import expect

from bot.clock import MovableClock
from tests.support.checkins import setup_values
from tests.support.decisions import ask, decide, install_clock
from tests.support.meetings import at_now, schedule
from tests.support.outcomes import define, opened_view
from tests.web.test_sign_in import sign_in_link

pytest_plugins = ["tests.support.browser"]


async def test_the_decisions_people_and_meetings_pages_in_the_browser(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    await ask(harness, question="Which vendor do we sign with?", outcome="O-1")
    await ask(harness, question="Do we move the launch?", decider="U0LOCAL", consulted=[])
    await decide(harness, harness.actor("U0PRIYA"), rationale="Cheaper, same quality.")
    at_now(harness)
    await schedule(harness, title="Pricing review")
    install_clock(harness, MovableClock(datetime.now(UTC)))
    await harness.slack.command(harness.me, "/checkin", "")
    await harness.slack.view_submission(harness.me, opened_view(harness), setup_values())
    await harness.slack.command(harness.me, "/checkin", "now")
    page = await browser.page()
    await page.goto(await sign_in_link(harness))

    await page.get_by_role("link", name="Decisions").click()
    await page.wait_for_url("**/web/decisions")
    await expect(page.locator("li.decision")).to_have_count(2)
    await browser.screenshot(page, "dashboard-decisions")
    await page.get_by_label("Text").fill("vendor")
    await page.get_by_role("button", name="Search").click()
    await page.wait_for_url("**/web/decisions?q=vendor*")
    await expect(page.locator("li.decision")).to_have_count(1)
    await expect(page.locator("li.decision")).to_contain_text("Cheaper, same quality.")
    await page.get_by_role("link", name="D-1").first.click()
    await page.wait_for_url("**/web/decisions/D-1")
    await expect(page.locator("ol.timeline")).to_contain_text("asked for the decision")
    await browser.screenshot(page, "dashboard-decision")

    await page.get_by_role("link", name="People").click()
    await page.wait_for_url("**/web/people")
    await expect(page.locator("tr.person").first).to_be_visible()
    await browser.screenshot(page, "dashboard-people")

    await page.get_by_role("link", name="Meetings").click()
    await page.wait_for_url("**/web/meetings")
    await expect(page.locator("main")).to_contain_text("One-off meetings")
    await expect(page.locator("section.cadence")).to_contain_text("#general")  # named: the overview asked Slack
    await expect(page.locator("figure.chart svg")).to_be_visible()
    await browser.screenshot(page, "dashboard-meetings")
