"""`followthrough serve` as a real process: migrates, listens, answers Slack's signed requests only."""

from __future__ import annotations

import asyncio
import socket
import sys

import httpx
import pytest

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


async def test_the_stand_ins_traffic_stays_out_of_the_access_log(tmp_path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    async with running(["serve", "--port", str(port)], tmp_path, clean_env(), port, log=log) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(5):  # what a shell does twice a second
                await client.get("/_local/slack/feed", params={"after": 0})
            secret = (tmp_path / "data" / "local-signing-secret").read_text().strip()
            slack = SlackSender(client, secret, f"{base}/_local/slack/response")
            await slack.command(SlackActor(), "/followthrough", "help")  # the app calls its stand-in: users.info
            await client.get("/healthz")
            await asyncio.sleep(0.3)  # the log is written as requests finish
    printed = log.read_text()

    assert '"GET /healthz HTTP/1.1" 200' in printed and '"POST /slack/events HTTP/1.1" 200' in printed
    assert "/_local/slack" not in printed


@pytest.mark.parametrize(
    ("args", "retry"),
    [
        (["serve", "--port"], "followthrough serve --port"),
        (["scheduler", "--metrics-port"], "followthrough scheduler --metrics-port"),
    ],
)
async def test_a_busy_port_is_one_line_and_a_failed_exit(tmp_path, args: list[str], retry: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, str(port), cwd=tmp_path, env=clean_env(),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(done.communicate(), 30)
    printed = (out + err).decode().strip()

    assert done.returncode == 1
    assert printed == (
        f"Port {port} on 127.0.0.1 is already in use, perhaps by another `followthrough` process. Stop that one, "
        f"or choose another port: `{retry} {port + 1}` (or set {args[-1] if args[0] == 'scheduler' else 'PORT'})."
    )  # nothing else: no traceback, no "ready", no migrations run


async def test_slow_clients_get_a_deadline_and_a_connection_limit(tmp_path, standin, standin_server) -> None:
    # HTTP mode against the test's own stand-in: in local mode the app's calls to its own stand-in count too.
    _, standin_url = standin_server
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=f"{standin_url}/api",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/ft.db",
        SCHEDULER_ENABLED="false",
        MAX_CONNECTIONS="3",
        BODY_TIMEOUT_SECONDS="3",
    )
    async with running(["serve", "--port", str(port)], tmp_path, env, port):
        held, refused = [], b""
        for _ in range(6):  # each promises a body and sends a trickle of it, until one is turned away
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
            await writer.drain()
            try:
                refused = await asyncio.wait_for(reader.readline(), 0.3)
                writer.close()
                break
            except TimeoutError:
                held.append((reader, writer))
        answers = [await asyncio.wait_for(reader.readline(), 5) for reader, _ in held]
        for _, writer in held:
            writer.close()

    assert b" 503 " in refused and 1 <= len(held) < 4  # past the limit, turned away at once
    assert all(b" 408 " in line for line in answers)  # each slow body cut off at its deadline
