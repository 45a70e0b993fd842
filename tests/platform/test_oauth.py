"""Installing into many workspaces with OAuth, installations kept in the app's own database, tokens encrypted."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.slack_clients import SlackClients
from bot.token_cipher import FERNET_PREFIX, new_key
from bot.web import create_app
from models import Workspace, slack_bots, slack_installations, slack_oauth_states
from tests.conftest import SIGNING_SECRET, make_settings

TOKEN_KEY = new_key()


@pytest.fixture
async def oauth_app(db, standin, standin_server) -> AsyncIterator[tuple[httpx.AsyncClient, SlackSender, object]]:
    _, base_url = standin_server
    settings = make_settings(
        db.engine.url.render_as_string(hide_password=False),
        f"{base_url}/api",
        slack_bot_token=None,
        slack_client_id="1111.2222",
        slack_client_secret="client-secret",
        token_encryption_keys=TOKEN_KEY,
    )
    app = create_app(settings, database=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://ft.example.org") as client:
        yield (
            client,
            SlackSender(client, SIGNING_SECRET, f"{base_url}/response", trigger_id_factory=standin.new_trigger_id),
            app,
        )


async def install(client: httpx.AsyncClient, standin, team_id: str, team_name: str) -> httpx.Response:
    page = await client.get("/slack/install")
    assert page.status_code == 200
    state = re.search(r"state=([\w-]+)", page.text).group(1)
    code = standin.new_oauth_code(team_id, team_name, installer="U0LOCAL")
    return await client.get("/slack/oauth_redirect", params={"code": code, "state": state})


def issued_token(standin, team_id: str) -> str:
    """The bot token Slack (the stand-in) handed over for this workspace's install."""
    [token] = [
        call.response["access_token"]
        for call in standin.calls_to("oauth.v2.access")
        if call.response["team"]["id"] == team_id
    ]
    return token


async def raw_rows(db) -> list[dict]:
    """Every stored installation and bot row, as the database holds it."""
    async with db.engine.connect() as conn:
        installations = (await conn.execute(select(slack_installations))).mappings().all()
        bots = (await conn.execute(select(slack_bots))).mappings().all()
    return [dict(row) for row in [*installations, *bots]]


async def test_install_page_links_to_slack_with_our_scopes_and_a_stored_state(oauth_app, db) -> None:
    client, _, _ = oauth_app
    page = await client.get("/slack/install")

    assert page.status_code == 200
    link = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page.text).group(1)
    assert "client_id=1111.2222" in link and "commands" in link and "chat:write" in link
    async with db.engine.connect() as conn:
        states = (await conn.execute(select(slack_oauth_states.c.state))).scalars().all()
    assert len(states) == 1 and states[0] in link


async def test_installed_workspace_is_served_with_its_own_token(oauth_app, standin, db) -> None:
    client, slack, _ = oauth_app
    done = await install(client, standin, "T0SECOND", "Second Co")
    assert done.status_code == 200

    async with db.engine.connect() as conn:
        [installation] = (await conn.execute(select(slack_installations))).mappings().all()
        bots = (await conn.execute(select(slack_bots))).mappings().all()
    assert installation["team_id"] == "T0SECOND" and installation["user_id"] == "U0LOCAL" and len(bots) == 1

    standin.add_user("U0SECOND", name="sam", real_name="Sam Second", tz="Australia/Sydney", team_id="T0SECOND")
    response = await slack.command(SlackActor(team_id="T0SECOND", user_id="U0SECOND"), "/followthrough", "help")

    assert response.status_code == 200 and "/followthrough help" in response.text
    [lookup] = standin.calls_to("users.info")
    assert lookup.token == issued_token(standin, "T0SECOND")
    async with db.sessions() as session:
        assert (await session.scalars(select(Workspace.team_id))).all() == ["T0SECOND"]


async def test_an_install_leaves_no_token_in_plain_text_in_the_database(oauth_app, standin, db) -> None:
    client, _, _ = oauth_app
    assert (await install(client, standin, "T0SECOND", "Second Co")).status_code == 200
    token = issued_token(standin, "T0SECOND")

    rows = await raw_rows(db)
    assert len(rows) == 2  # the installation and its bot
    assert not [value for row in rows for value in row.values() if isinstance(value, str) and token in value]
    assert all(row["bot_token"].startswith(FERNET_PREFIX) for row in rows)
    assert rows[0]["bot_token"] != rows[1]["bot_token"]  # a fresh IV each time: equal tokens do not show


async def test_the_scheduler_reaches_an_installed_workspace_with_its_token(oauth_app, standin, db) -> None:
    client, _, app = oauth_app
    await install(client, standin, "T0SECOND", "Second Co")
    bolt = app.state.bolt
    clients = SlackClients.like(bolt.client, bolt.installation_store)
    try:
        second = await clients.client_for("T0SECOND")
        assert second is not None and second.token == issued_token(standin, "T0SECOND")
        await second.chat_postMessage(channel="C0GENERAL", text="from the scheduler")
        assert await clients.client_for("T0NOTYET") is None
    finally:
        await clients.close()
    [post] = standin.calls_to("chat.postMessage")
    assert post.token == issued_token(standin, "T0SECOND")


async def test_uninstalling_deletes_the_encrypted_installation(oauth_app, standin, db) -> None:
    client, slack, _ = oauth_app
    await install(client, standin, "T0SECOND", "Second Co")

    response = await slack.event(SlackActor(team_id="T0SECOND", user_id="U0LOCAL"), {"type": "app_uninstalled"})

    assert response.status_code == 200
    assert await raw_rows(db) == []
    async with db.sessions() as session:  # what the request itself wrote is kept
        assert (await session.scalars(select(Workspace.team_id))).all() == ["T0SECOND"]


async def test_a_revoked_bot_token_is_forgotten(oauth_app, standin, db) -> None:
    client, slack, _ = oauth_app
    await install(client, standin, "T0SECOND", "Second Co")

    event = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}
    response = await slack.event(SlackActor(team_id="T0SECOND", user_id="U0LOCAL"), event)

    assert response.status_code == 200
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(slack_bots))).all() == []


async def test_redirect_with_a_forged_state_installs_nothing(oauth_app, standin, db) -> None:
    client, _, _ = oauth_app
    await client.get("/slack/install")
    code = standin.new_oauth_code("T0EVIL", "Evil", installer="U0EVIL")
    response = await client.get("/slack/oauth_redirect", params={"code": code, "state": "forged"})

    assert response.status_code == 400
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(slack_installations))).all() == []


async def test_workspace_that_never_installed_is_not_served(oauth_app, standin, db) -> None:
    _, slack, _ = oauth_app
    response = await slack.command(SlackActor(team_id="T0NOTYET", user_id="U0NOBODY"), "/followthrough", "help")

    assert "/followthrough help" not in response.text
    # The person is told why, privately, and nothing else reaches Slack.
    [told] = standin.calls
    assert told.method == "response_url" and "not installed" in told.args["text"]
    async with db.sessions() as session:
        assert (await session.scalars(select(Workspace))).all() == []
