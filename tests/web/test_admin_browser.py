"""The admin page in headless Chromium: reached from the menu by an admin, a token revoked with its button, saved
as a screenshot under test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.async_api import expect

from tests.support.api import new_token
from tests.web.test_sign_in import sign_in_link

pytest_plugins = ["tests.support.browser"]


async def test_an_admin_revokes_a_token_from_the_admin_page_in_the_browser(harness, browser) -> None:
    await new_token(harness, "Priya's BI", harness.actor("U0PRIYA"))
    await new_token(harness, "Finance sheet")
    page = await browser.page()
    await page.goto(await sign_in_link(harness))

    await page.get_by_role("link", name="Admin").click()
    await page.wait_for_url("**/web/admin")
    await expect(page.locator("tr.token")).to_have_count(2)
    await expect(page.locator("tr.session")).to_contain_text("(this browser)")
    await browser.screenshot(page, "dashboard-admin")
    await page.locator("tr.token", has_text="Priya's BI").get_by_role("button", name="Revoke").click()
    await page.wait_for_url("**/web/admin?done=revoked")
    await expect(page.locator("p.done")).to_contain_text("Revoked")
    await expect(page.locator("tr.token")).to_have_count(1)
    await expect(page.locator("tr.token")).to_contain_text("Finance sheet")


async def test_someone_who_is_not_an_admin_has_no_admin_link_in_the_browser(harness, browser) -> None:
    page = await browser.page()
    await page.goto(await sign_in_link(harness, harness.actor("U0PRIYA")))

    await expect(page.locator("nav.site")).to_contain_text("People")
    await expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    answer = await page.goto("/web/admin")
    assert answer.status == 403
    await expect(page.locator("main")).to_contain_text("Admins only")
