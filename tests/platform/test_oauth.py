"""Installing into many workspaces with OAuth, installations kept in the app's own database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.web import create_app
from models import Workspace, slack_bots, slack_installations, slack_oauth_states
from tests.conftest import SIGNING_SECRET, make_settings


@pytest.fixture
async def oauth_app(db, standin, standin_server) -> AsyncIterator[tuple[httpx.AsyncClient, SlackSender]]:
    _, base_url = standin_server
    settings = make_settings(
        db.engine.url.render_as_string(hide_password=False),
        f"{base_url}/api",
        slack_bot_token=None,
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        public_url="https://ft.example.org",
    )
    app = create_app(settings, database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://ft.example.org") as client:
        yield (
            client,
            SlackSender(client, SIGNING_SECRET, f"{base_url}/response", trigger_id_factory=standin.new_trigger_id),
        )


async def install(client: httpx.AsyncClient, standin, team_id: str, team_name: str) -> httpx.Response:
    page = await client.get("/slack/install")
    assert page.status_code == 200
    state = re.search(r"state=([\w-]+)", page.text).group(1)
    code = standin.new_oauth_code(team_id, team_name, installer="U0LOCAL")
    return await client.get("/slack/oauth_redirect", params={"code": code, "state": state})


async def test_install_page_links_to_slack_with_our_scopes_and_a_stored_state(oauth_app, db) -> None:
    client, _ = oauth_app
    page = await client.get("/slack/install")

    assert page.status_code == 200
    link = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page.text).group(1)
    assert "client_id=1111.2222" in link and "commands" in link and "chat:write" in link
    async with db.engine.connect() as conn:
        states = (await conn.execute(select(slack_oauth_states.c.state))).scalars().all()
    assert len(states) == 1 and states[0] in link


async def test_installed_workspace_is_served_with_its_own_token(oauth_app, standin, db) -> None:
    client, slack = oauth_app
    done = await install(client, standin, "T0SECOND", "Second Co")
    assert done.status_code == 200

    async with db.engine.connect() as conn:
        [installation] = (await conn.execute(select(slack_installations))).mappings().all()
        bots = (await conn.execute(select(slack_bots))).mappings().all()
    assert installation["team_id"] == "T0SECOND" and installation["bot_token"].startswith("xoxb-T0SECOND-")
    assert installation["user_id"] == "U0LOCAL" and len(bots) == 1

    standin.add_user("U0SECOND", name="sam", real_name="Sam Second", tz="Australia/Sydney", team_id="T0SECOND")
    response = await slack.command(SlackActor(team_id="T0SECOND", user_id="U0SECOND"), "/followthrough", "help")

    assert response.status_code == 200 and "/followthrough help" in response.text
    [lookup] = standin.calls_to("users.info")
    assert lookup.token == installation["bot_token"]
    async with db.sessions() as session:
        assert (await session.scalars(select(Workspace.team_id))).all() == ["T0SECOND"]


async def test_redirect_with_a_forged_state_installs_nothing(oauth_app, standin, db) -> None:
    client, _ = oauth_app
    await client.get("/slack/install")
    code = standin.new_oauth_code("T0EVIL", "Evil", installer="U0EVIL")
    response = await client.get("/slack/oauth_redirect", params={"code": code, "state": "forged"})

    assert response.status_code == 400
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(slack_installations))).all() == []


async def test_workspace_that_never_installed_is_not_served(oauth_app, standin, db) -> None:
    _, slack = oauth_app
    response = await slack.command(SlackActor(team_id="T0NOTYET", user_id="U0NOBODY"), "/followthrough", "help")

    assert "/followthrough help" not in response.text
    # The person is told why, privately, and nothing else reaches Slack.
    [told] = standin.calls
    assert told.method == "response_url" and "not installed" in told.args["text"]
    async with db.sessions() as session:
        assert (await session.scalars(select(Workspace))).all() == []
