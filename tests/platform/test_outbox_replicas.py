"""Senders on every replica: three sender processes on one PostgreSQL database share the workspaces (advisory
lock partitions), send each message once, take over a killed one's partitions within the lease, and honour
each workspace's Slack rate limit together (holds shared through the database)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select

from bot.installation_store import EncryptedInstallationStore
from bot.token_cipher import TokenCipher, new_key
from models import Delivery, DeliveryState
from scheduler.partitions import LIVE, MEMBERS, PARTITIONS, PARTS
from services import outbox, people
from tests.support.processes import ROOT, clean_env
from tests.support.sender_process import CLIENT_ID

postgresql_only = pytest.mark.parametrize("migrated", ["postgresql"], indirect=True)

WORKSPACES, MESSAGES, LEASE = 6, 40, 24.0
RATE, BURST = 8.0, 4  # chat.postMessage per second per workspace, after a burst


def token(ws: int) -> str:
    return f"xoxb-replicas-{ws}"


async def seed(db, standin, key: str) -> None:
    store = EncryptedInstallationStore(CLIENT_ID, db.engine, TokenCipher([key]))
    now = datetime.now(UTC)
    for ws in range(WORKSPACES):
        team = f"T0WS{ws}"
        await store.async_save(
            Installation(app_id="A0LOCAL", team_id=team, user_id="U0LOCAL", bot_token=token(ws), bot_user_id="U0BOT")
        )
        standin.add_channel(f"C0WS{ws}", name=f"team-{ws}", members=["U0LOCAL"])
        async with db.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id=team)
            for n in range(MESSAGES):
                await outbox.enqueue(
                    session,
                    workspace_id=workspace.id,
                    key=f"replicas:{ws}:{n}",
                    kind="test.post",
                    method="chat.postMessage",
                    args={"channel": f"C0WS{ws}", "text": f"workspace {ws}, message {n}"},
                    not_before=now,
                )


async def locks(db) -> tuple[int, int]:
    """(live senders, partitions held)."""
    async with db.engine.connect() as conn:
        live = await conn.scalar(LIVE, {"ns": MEMBERS})
        held = await conn.scalar(LIVE, {"ns": PARTS})
    return live, held


async def sent(db) -> int:
    async with db.sessions() as session:
        return await session.scalar(select(func.count()).where(Delivery.state == DeliveryState.SENT))


async def until(check, seconds: float) -> float:
    """Poll `check` (real time: these are real processes) until it holds; the seconds it took."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < seconds, "timed out"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@postgresql_only
async def test_three_sender_processes_send_each_message_once_and_share_the_rate_limit(
    db, standin, standin_server
) -> None:
    _, base_url = standin_server
    key = new_key()
    await seed(db, standin, key)
    standin.rate_limit("chat.postMessage", per_workspace_per_second=RATE, workspace_burst=BURST)
    url = db.engine.url.render_as_string(hide_password=False)
    args = ["-m", "tests.support.sender_process", url, f"{base_url}/api/", key, str(LEASE)]
    senders = [await asyncio.create_subprocess_exec(sys.executable, *args, cwd=ROOT, env=clean_env()) for _ in range(3)]
    try:
        await until(lambda: _settled(db, live=3), 120)  # started (slowly on a busy machine), 16 shared
        await until(lambda: _more_than(db, 30), 60)
        killed_at = time.time()  # the stand-in's clock
        senders[0].send_signal(signal.SIGKILL)  # mid-round, some of its calls perhaps in flight
        await senders[0].wait()

        taken_over = await until(lambda: _settled(db, live=2), LEASE)
        await until(lambda: _more_than(db, WORKSPACES * MESSAGES - 1), 120)
    finally:
        for process in senders:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in senders:
            await asyncio.wait_for(process.wait(), 30)

    assert taken_over < LEASE
    posts = standin.calls_to("chat.postMessage")
    assert Counter(c.args["text"] for c in posts) == Counter(
        {f"workspace {ws}, message {n}": 1 for ws in range(WORKSPACES) for n in range(MESSAGES)}
    )
    _assert_holds_honoured(standin, killed_at)


def _assert_holds_honoured(standin, killed_at: float) -> None:
    """After Slack answers 429 for a workspace, no sender calls it again before Retry-After (at least 1 s): only
    the calls already on their way (under half a second) reach the stand-in in that second. Not for a 429 answered
    in the second before the kill: the killed sender may have died before recording it, and what it never wrote
    down no other sender can honour (its partitions are taken over at once)."""
    calls = [c for c in standin.calls if c.method == "chat.postMessage"]
    limited = [c for c in calls if c.status == 429]
    assert limited, "the round never reached the workspaces' limit"
    for refused in (c for c in limited if not killed_at - 1.0 <= c.at <= killed_at):
        early = [c for c in calls if c.token == refused.token and refused.at + 0.5 <= c.at < refused.at + 1.0]
        assert early == [], f"{len(early)} calls for {refused.token} inside a Retry-After"
    per_workspace = Counter(c.token for c in calls if c.ok)
    assert per_workspace == Counter({token(ws): MESSAGES for ws in range(WORKSPACES)})


async def _settled(db, *, live: int) -> bool:
    return await locks(db) == (live, PARTITIONS)


async def _more_than(db, count: int) -> bool:
    return await sent(db) > count
