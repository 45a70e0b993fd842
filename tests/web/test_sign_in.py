"""The web dashboard's door: `/followthrough dashboard` gives a private link that signs in once, within ten
minutes; the session sees only its own workspace; signing out needs the page's own form."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from bot.clock import MovableClock
from models import Outcome, Person, WebSession, Workspace
from tests.support.decisions import install_clock
from tests.support.outcomes import define


def new_browser(harness) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app), base_url="http://followthrough.test")


@pytest.fixture
async def browser(harness):
    async with new_browser(harness) as client:
        yield client


async def sign_in_link(harness, actor=None) -> str:
    answer = (await harness.slack.command(actor or harness.me, "/followthrough", "dashboard")).json()
    assert answer.get("response_type", "ephemeral") == "ephemeral"  # a key: nobody else sees it
    [link] = re.findall(r"(?:https?://[^/\s]+)?(/web/sign-in/[\w-]+)", answer["text"])
    return link


async def another_workspaces_outcome(harness) -> None:
    async with harness.db.sessions.begin() as session:
        other = Workspace(team_id="T0ELSE", name="Elsewhere")
        session.add(other)
        await session.flush()
        owner = Person(workspace_id=other.id, slack_user_id="U0ELSE", display_name="Someone else")
        session.add(owner)
        await session.flush()
        session.add(Outcome(workspace_id=other.id, number=1, title="Elsewhere's secret plan", definition_of_done="x",
                            owner_id=owner.id, due_date=date(2027, 1, 1)))  # fmt: skip


async def test_a_link_signs_in_once_and_the_overview_shows_this_workspace_only(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    await another_workspaces_outcome(harness)
    link = await sign_in_link(harness)

    opened = await browser.get(link)
    assert opened.status_code == 303 and opened.headers["location"] == "/web/"
    cookie = opened.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/web" in cookie
    page = await browser.get("/web/")
    assert page.status_code == 200
    assert "O-1" in page.text and "Faster onboarding" in page.text and "no update yet" in page.text
    assert "secret plan" not in page.text
    assert page.headers["cache-control"] == "no-store"

    async with new_browser(harness) as someone_else:  # the same link, forwarded or clicked twice
        again = await someone_else.get(link)
        assert again.status_code == 410 and "used already" in again.text
        assert (await someone_else.get("/web/")).status_code == 401


async def test_filters_by_owner_and_status(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    await define(harness, harness.actor("U0PRIYA"), title="Fewer support tickets")
    await browser.get(await sign_in_link(harness))

    alex = (await browser.get("/web/", params={"owner": "U0ALEX"})).text
    at_risk = (await browser.get("/web/", params={"status": "at_risk"})).text

    assert "Faster onboarding" in alex and "Fewer support tickets" not in alex
    assert "No outcomes match" in at_risk


async def test_an_expired_link_and_a_made_up_one_are_refused(harness, browser) -> None:
    install_clock(harness, MovableClock(datetime.now(UTC) - timedelta(minutes=11)))
    expired = await sign_in_link(harness)

    assert (await browser.get(expired)).status_code == 410
    assert (await browser.get("/web/sign-in/not-a-real-token")).status_code == 410
    nobody = await browser.get("/web/")
    assert nobody.status_code == 401 and "/followthrough dashboard" in nobody.text
    assert await harness.rows(WebSession) == []


async def test_signing_out_needs_the_pages_own_form_and_then_the_session_is_over(harness, browser) -> None:
    await browser.get(await sign_in_link(harness))
    page = (await browser.get("/web/")).text
    [csrf] = re.findall(r'name="csrf" value="([0-9a-f]+)"', page)

    forged = await browser.post("/web/sign-out", data={"csrf": "0" * 64})
    assert forged.status_code == 403
    assert (await browser.get("/web/")).status_code == 200  # still signed in

    out = await browser.post("/web/sign-out", data={"csrf": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/web/signed-out"
    assert (await browser.get("/web/")).status_code == 401
    [ended] = await harness.rows(WebSession)
    assert ended.ended_at is not None
