"""Sign in with Slack (OpenID Connect) when the app runs with OAuth credentials, against the stand-in's
`openid.connect.token`: a state pinned to the browser and a nonce go to Slack; the callback refuses a state it did
not issue to this browser and an id_token with another nonce, and otherwise opens a session like a one-time link.
Without OAuth the route is not there. `require_admin` keeps admin-only pages to admins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from bot.web import create_app
from handlers.web.routes import require_admin
from models import Person, WebSession, Workspace
from services.web.signin import Viewer
from tests.conftest import make_settings
from tests.platform.test_oauth import TOKEN_KEY, install

PUBLIC = "https://ft.example.org"


@pytest.fixture
async def browser(db, standin, standin_server) -> AsyncIterator[httpx.AsyncClient]:
    _, base_url = standin_server
    settings = make_settings(
        db.engine.url.render_as_string(hide_password=False), f"{base_url}/api", slack_bot_token=None,
        slack_client_id="1111.2222", slack_client_secret="client-secret", token_encryption_keys=TOKEN_KEY,
        public_url=PUBLIC,
    )  # fmt: skip
    app = create_app(settings, database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as client:
        yield client


async def go_to_slack(browser: httpx.AsyncClient) -> dict[str, str]:
    """Starts signing in; returns the authorize URL's parameters."""
    answer = await browser.get("/web/sign-in/slack")
    assert answer.status_code == 302
    url = urlsplit(answer.headers["location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://slack.com/openid/connect/authorize"
    return {name: values[0] for name, values in parse_qs(url.query).items()}


async def sessions(db) -> list[WebSession]:
    async with db.sessions() as session:
        return list((await session.scalars(select(WebSession))).all())


async def test_signing_in_with_slack_opens_a_session_and_shows_the_overview(browser, standin, db) -> None:
    await install(browser, standin, "T0SECOND", "Second Co")
    first = await browser.get("/web/")
    assert first.status_code == 401 and 'href="/web/sign-in/slack"' in first.text and "Sign in with Slack" in first.text

    asked = await go_to_slack(browser)
    assert asked["response_type"] == "code" and asked["client_id"] == "1111.2222"
    assert set(asked["scope"].replace(",", " ").split()) == {"openid", "profile"}
    assert asked["redirect_uri"] == f"{PUBLIC}/web/sign-in/slack/callback"
    assert len(asked["state"]) > 20 and len(asked["nonce"]) > 20

    code = standin.new_openid_code("T0SECOND", "U0SECOND", nonce=asked["nonce"])
    back = await browser.get("/web/sign-in/slack/callback", params={"code": code, "state": asked["state"]})

    assert back.status_code == 303 and back.headers["location"] == "/web/"
    cookie = back.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("ft_session=")).lower()
    assert "httponly" in session_cookie and "samesite=lax" in session_cookie and "secure" in session_cookie
    assert (await browser.get("/web/")).status_code == 200
    async with db.sessions() as session:
        person = await session.scalar(select(Person).where(Person.slack_user_id == "U0SECOND"))
        workspace = await session.get(Workspace, person.workspace_id)
    assert workspace.team_id == "T0SECOND"
    [opened] = await sessions(db)
    assert opened.person_id == person.id
    [exchange] = standin.calls_to("openid.connect.token")
    assert exchange.args["redirect_uri"] == f"{PUBLIC}/web/sign-in/slack/callback"

    again = await browser.get("/web/sign-in/slack/callback", params={"code": code, "state": asked["state"]})
    assert again.status_code == 400  # the state works once


async def test_a_forged_state_or_one_from_another_browser_is_refused(browser, standin, db) -> None:
    await install(browser, standin, "T0SECOND", "Second Co")
    asked = await go_to_slack(browser)
    code = standin.new_openid_code("T0SECOND", "U0SECOND", nonce=asked["nonce"])

    forged = await browser.get("/web/sign-in/slack/callback", params={"code": code, "state": "forged"})
    assert forged.status_code == 400 and "could not sign you in" in forged.text

    async with httpx.AsyncClient(transport=browser._transport, base_url=PUBLIC) as victim:  # a planted link
        planted = await victim.get("/web/sign-in/slack/callback", params={"code": code, "state": asked["state"]})
    assert planted.status_code == 400
    assert "ft_session" not in forged.headers.get("set-cookie", "") + planted.headers.get("set-cookie", "")
    assert await sessions(db) == []


async def test_an_id_token_with_another_nonce_is_refused(browser, standin, db) -> None:
    await install(browser, standin, "T0SECOND", "Second Co")
    asked = await go_to_slack(browser)
    code = standin.new_openid_code("T0SECOND", "U0SECOND", nonce="replayed-from-elsewhere")

    back = await browser.get("/web/sign-in/slack/callback", params={"code": code, "state": asked["state"]})

    assert back.status_code == 400 and await sessions(db) == []


async def test_a_workspace_without_the_app_cannot_sign_in(browser, standin, db) -> None:
    asked = await go_to_slack(browser)
    code = standin.new_openid_code("T0NOTYET", "U0NOBODY", nonce=asked["nonce"])

    back = await browser.get("/web/sign-in/slack/callback", params={"code": code, "state": asked["state"]})

    assert back.status_code == 403 and "not installed" in back.text
    assert await sessions(db) == []


async def test_without_oauth_there_is_no_sign_in_with_slack(harness) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app), base_url="http://ft.test") as client:
        page = await client.get("/web/")
        assert page.status_code == 401 and "Sign in with Slack" not in page.text
        assert (await client.get("/web/sign-in/slack")).status_code == 404
        assert (await client.get("/web/sign-in/slack/callback", params={"code": "x", "state": "y"})).status_code == 404


def viewer(is_admin: bool) -> Viewer:
    workspace = Workspace(id=1, team_id="T0LOCAL")
    person = Person(id=1, workspace_id=1, slack_user_id="U0LOCAL", is_admin=is_admin)
    return Viewer(workspace=workspace, person=person, session_id=1, csrf="x")


def test_admin_only_pages_turn_away_everyone_but_admins() -> None:
    def sign_in_first(status: int):
        return httpx.Response(status)

    assert require_admin(viewer(is_admin=True), sign_in_first) is None
    refused = require_admin(viewer(is_admin=False), sign_in_first)
    assert refused.status_code == 403 and b"Admins only" in refused.body
    assert require_admin(None, sign_in_first).status_code == 401
