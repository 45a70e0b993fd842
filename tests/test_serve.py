"""`followthrough serve` as a real process: migrates, listens, answers Slack's signed requests only."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot.slack_payloads import SlackActor, SlackSender
from tests.conftest import SIGNING_SECRET

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT", "HOST"))}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


@asynccontextmanager
async def running(args: list[str], cwd: Path, env: dict[str, str], port: int) -> AsyncIterator[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(300):  # up to 30 s on a slow machine; returns as soon as it is ready
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None:
                    raise AssertionError((await process.stderr.read()).decode())
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the app did not become ready")
        yield base
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def test_served_app_answers_signed_requests_and_refuses_unsigned(tmp_path, standin, standin_server) -> None:  # noqa: ANN001
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


async def test_local_mode_serves_its_own_slack_stand_in(tmp_path) -> None:  # noqa: ANN001
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
