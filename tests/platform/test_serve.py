"""`followthrough serve` as a real process: migrates, listens, answers Slack's signed requests only."""

from __future__ import annotations

import httpx

from bot.devtools.slack_payloads import SlackActor, SlackSender
from tests.conftest import SIGNING_SECRET
from tests.support.processes import clean_env, free_port, running


async def test_served_app_answers_signed_requests_and_refuses_unsigned(tmp_path, standin, standin_server) -> None:
    _, standin_url = standin_server
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{standin_url}/api",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/ft.db",
    )
    async with running(["serve", "--port", str(port)], tmp_path, env, port) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            slack = SlackSender(client, SIGNING_SECRET, f"{standin_url}/response")
            signed = await slack.command(SlackActor(), "/followthrough", "help")
            unsigned = await slack.command(SlackActor(), "/followthrough", "help", secret="wrong")

    assert signed.status_code == 200 and "/followthrough help" in signed.text
    assert unsigned.status_code == 401
    assert [c.method for c in standin.calls] == ["auth.test", "users.info"]  # only the signed one did anything


async def test_local_mode_serves_its_own_slack_stand_in(tmp_path) -> None:
    port = free_port()
    async with running(["serve", "--port", str(port)], tmp_path, clean_env(), port) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            users = (await client.get("/_local/slack/users")).json()["users"]
            secret = (tmp_path / "data" / "local-signing-secret").read_text().strip()
            slack = SlackSender(client, secret, f"{base}/_local/slack/response")
            answer = await slack.command(SlackActor(), "/followthrough", "help")

    assert (tmp_path / "data" / "followthrough.db").exists()  # SQLite by default, under ./data
    assert {"you", "alex", "priya"} <= {u["name"] for u in users}
    assert answer.status_code == 200 and "/followthrough help" in answer.text
