"""The dashboard in a real browser: headless Chromium opens the link `/followthrough dashboard` gave, reads the
overview, filters it with the form, signs out with the header's button; a used or expired link is refused. Each page
is saved as a screenshot under test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from bot.clock import MovableClock
from models import WebSession
from tests.support.decisions import install_clock
from tests.support.outcomes import define
from tests.web.test_sign_in import sign_in_link

pytest_plugins = ["tests.support.browser"]


async def test_a_person_signs_in_filters_by_owner_and_signs_out_in_the_browser(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    await define(harness, harness.actor("U0PRIYA"), title="Fewer support tickets")
    page = await browser.page()

    await page.goto(await sign_in_link(harness))
    assert page.url.endswith("/web/")
    outcomes = page.locator("li.outcome")
    await expect(outcomes).to_have_count(2)
    await expect(page.locator("main")).to_contain_text("Faster onboarding")
    await expect(page.locator("main")).to_contain_text("Fewer support tickets")
    await expect(page.locator("header")).to_contain_text("Dana Scully")  # who is signed in
    await browser.screenshot(page, "dashboard-overview")

    await page.get_by_label("Owner").select_option("U0ALEX")
    await page.get_by_role("button", name="Filter").click()
    await page.wait_for_url("**/web/?owner=U0ALEX*")
    await expect(outcomes).to_have_count(1)
    await expect(outcomes).to_contain_text("Faster onboarding")
    await expect(page.get_by_label("Owner")).to_have_value("U0ALEX")
    await browser.screenshot(page, "dashboard-overview-owner-filter")

    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/web/signed-out")
    await expect(page.get_by_role("heading", name="Signed out")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    await browser.screenshot(page, "dashboard-signed-out")

    answer = await page.goto("/web/")
    assert answer.status == 401
    await expect(page.get_by_role("heading", name="Sign in first")).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text("Faster onboarding")
    await browser.screenshot(page, "dashboard-sign-in-first")
    [ended] = await harness.rows(WebSession)
    assert ended.ended_at is not None


async def test_the_same_link_opened_a_second_time_is_refused(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    link = await sign_in_link(harness)
    first, second = await browser.page(), await browser.page()  # the link forwarded to someone else's browser

    await first.goto(link)
    await expect(first.locator("li.outcome")).to_have_count(1)
    answer = await second.goto(link)

    assert answer.status == 410
    await expect(second.get_by_role("heading", name="This link can't sign you in")).to_be_visible()
    await expect(second.locator("main")).to_contain_text("used already")
    await expect(second.locator("main")).not_to_contain_text("Faster onboarding")
    await browser.screenshot(second, "dashboard-link-used-twice")
    assert (await second.goto("/web/")).status == 401


async def test_an_expired_link_is_refused_in_the_browser(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    install_clock(harness, MovableClock(datetime.now(UTC) - timedelta(minutes=11)))
    page = await browser.page()

    answer = await page.goto(await sign_in_link(harness))

    assert answer.status == 410
    await expect(page.get_by_role("heading", name="This link can't sign you in")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("more than ten minutes old")
    await browser.screenshot(page, "dashboard-link-expired")
    assert (await page.goto("/web/")).status == 401
    assert await harness.rows(WebSession) == []


async def test_an_outcome_chart_renders_and_a_finding_is_snoozed_in_the_browser(harness, browser) -> None:
    from tests.support.health import seed
    from tests.web.test_pages import falling_outcome

    await seed(harness, falling_outcome)
    page = await browser.page()
    await page.goto(await sign_in_link(harness))

    await page.get_by_role("link", name="O-1").first.click()  # from the overview to the outcome's page
    await page.wait_for_url("**/web/outcomes/O-1")
    chart = page.locator("svg").first
    await expect(chart).to_be_visible()
    for series in ("readings", "planned path", "trend"):
        await expect(chart.locator(f'[aria-label^="{series}"]').first).to_be_attached()
    box = await chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100  # drawn, not an empty element
    await browser.screenshot(page, "dashboard-outcome")

    await page.goto("/web/health")
    await expect(page.locator("main")).to_contain_text("Recommended: Ask for a recovery plan")
    await browser.screenshot(page, "dashboard-health")
    await page.get_by_role("button", name="Snooze").first.click()
    await page.wait_for_url("**/web/health?snoozed=1")
    await expect(page.locator("main")).to_contain_text("Snoozed")
    await browser.screenshot(page, "dashboard-health-snoozed")
