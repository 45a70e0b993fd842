"""Socket Mode: the same app, the same per-request session, over a real WebSocket from the stand-in."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.web import create_app
from models import Person
from tests.conftest import make_settings

COMMAND = {
    "token": "legacy", "team_id": "T0LOCAL", "team_domain": "acme", "channel_id": "C0GENERAL",
    "channel_name": "general", "user_id": "U0LOCAL", "user_name": "you", "command": "/followthrough",
    "text": "help", "api_app_id": "A0LOCAL", "is_enterprise_install": "false",
    "response_url": "http://127.0.0.1:9/response/x", "trigger_id": "1.2.3",
}  # fmt: skip


async def test_slash_command_over_socket_mode(db, standin, standin_server) -> None:
    _, base_url = standin_server
    settings = make_settings(
        db.engine.url.render_as_string(hide_password=False),
        f"{base_url}/api",
        slack_app_token="xapp-1-A0LOCAL-test",
        slack_signing_secret=None,  # Socket Mode needs no signing secret: the WebSocket is authenticated
    )
    app = create_app(settings, database=db)
    async with asyncio.timeout(30), app.router.lifespan_context(app):  # connects to the stand-in's WebSocket
        ack = await standin.socket_mode.push("slash_commands", COMMAND)

    assert "/followthrough help" in str(ack["payload"]["blocks"])
    [opened] = [c for c in standin.calls if c.method == "apps.connections.open"]
    assert opened.token == "xapp-1-A0LOCAL-test"
    async with db.sessions() as session:
        [person] = (await session.scalars(select(Person))).all()
    assert person.slack_user_id == "U0LOCAL" and person.timezone == "America/New_York"
