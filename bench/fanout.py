"""Fan-out benchmark: one check-in round for many participants in many workspaces, through the real outbox
sender, against the Slack stand-in (in its own process, over HTTP) with Slack-like rate limits.

    python -m bench.fanout                       # SQLite in a temporary directory
    python -m bench.fanout --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/ft_bench

The model. Each workspace is an OAuth install with its own bot token; the stand-in keys its buckets by
token, as Slack keys limits by workspace. One round in a workspace is one thread post in the team channel
plus one DM per participant, every DM its own conversation, so Slack's per-channel limit (1 message per
second, small bursts) never binds and the workspace-wide chat.postMessage limit does: `--rate` messages per
second after a burst of `--burst`. The floor is the time the slowest workspace needs at exactly that
rate: (messages - burst) / rate. Workspaces run in parallel, so the floor does not grow with their number.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime

import httpx
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import event, func, select, update

from bot import migrate
from bot.clock import SystemClock
from bot.database import Database
from bot.installation_store import EncryptedInstallationStore
from bot.metrics import Metrics
from bot.slack_clients import SlackClients
from bot.token_cipher import TokenCipher, new_key
from models import Delivery, DeliveryState
from scheduler.sender import Sender
from services import outbox, people
from services.attention.policy import Urgency

CLIENT_ID = "1111.2222"
CIPHER = TokenCipher([new_key()])  # as in production, the store keeps the tokens encrypted


def team(n: int) -> str:
    return f"T{n:05d}"


def participant(ws: int, n: int) -> str:
    return f"U{ws:03d}{n:05d}"


def serve_standin(port: int, workspaces: int, participants: int, rate: float, burst: int) -> None:
    """The stand-in's process: every participant known, one team channel per workspace, rate limits on."""
    import uvicorn

    from bot.devtools.standin import SlackStandin

    standin = SlackStandin(team_id="T00000", team_name="Bench")
    for ws in range(workspaces):
        for n in range(participants):
            standin.add_user(participant(ws, n), name=f"p{ws}-{n}", tz="Europe/Berlin")
        standin.add_channel(f"C{ws:05d}", name=f"team-{ws}", members=[participant(ws, 0)])
    if rate > 0:  # --rate 0: Slack never limits, so the sender's own cost is what bounds it
        standin.rate_limit(
            "chat.postMessage", per_channel_per_second=1, burst=3, per_workspace_per_second=rate, workspace_burst=burst
        )
    uvicorn.run(standin.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def ask(user: str, round_no: int) -> dict:
    text = f"Time for this week's check-in (round {round_no}). It takes a minute."
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "checkin.answer",
                    "value": f"{round_no}:{user}",
                    "text": {"type": "plain_text", "text": "Answer"},
                }
            ],
        },
    ]
    return {"channel": user, "text": text, "blocks": blocks}


async def wait_for_standin(base: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"{base}/feed", params={"after": 10**12})).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the stand-in did not start")


async def prepare(database: Database, args: argparse.Namespace) -> int:
    """Installs, workspaces and one enqueued round per workspace; returns how many deliveries."""
    await migrate.upgrade(database.engine)
    store = EncryptedInstallationStore(CLIENT_ID, database.engine, CIPHER)
    now = datetime.now(UTC)
    total = 0
    for ws in range(args.workspaces):
        await store.async_save(
            Installation(
                app_id="A0BENCH",
                team_id=team(ws),
                user_id=participant(ws, 0),
                bot_token=f"xoxb-bench-{team(ws)}",
                bot_id="B0BOT",
                bot_user_id="U0BOT",
            )
        )
        async with database.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id=team(ws))
            common = {"workspace_id": workspace.id, "not_before": now, "owner": participant(ws, 0)}
            await outbox.enqueue(
                session,
                key="checkin:1:thread",
                kind="checkin.thread",
                method="chat.postMessage",
                args={"channel": f"C{ws:05d}", "text": "Check-in, round 1: answers in this thread."},
                **common,
            )
            for n in range(args.participants):
                user = participant(ws, n)
                await outbox.enqueue(
                    session,
                    key=f"checkin:1:ask:{user}",
                    kind="checkin.ask",
                    method="chat.postMessage",
                    args=ask(user, 1),
                    urgency=Urgency.URGENT,  # not held for working hours: the bench runs at any hour
                    **common,
                )
            total += args.participants + 1
    if not args.attention:  # as if the attention policy had let every DM through already (a retry, say)
        async with database.sessions.begin() as session:
            await session.execute(update(Delivery).values(cleared_at=now))
    return total


async def finished(database: Database) -> int:
    async with database.sessions() as session:
        open_states = (DeliveryState.PENDING, DeliveryState.SENDING)
        return await session.scalar(select(func.count()).where(Delivery.state.in_(open_states)))


async def bench(args: argparse.Namespace, base: str) -> None:
    database = Database.from_url(args.database_url)
    try:
        started = time.perf_counter()
        total = await prepare(database, args)
        enqueue_seconds = time.perf_counter() - started

        store = EncryptedInstallationStore(CLIENT_ID, database.engine, CIPHER)
        clients = SlackClients(base_url=f"{base}/api/", installation_store=store)
        metrics = Metrics()
        sender = Sender(sessions=database.sessions, clients=clients, clock=SystemClock(), metrics=metrics)
        stop = asyncio.Event()
        statements = Counter()
        event.listen(database.engine.sync_engine, "before_cursor_execute", lambda *_: statements.update(["all"]))
        started, cpu = time.perf_counter(), time.process_time()
        task = asyncio.create_task(sender.run(stop))
        while await finished(database):
            statements["polls"] += 1  # the bench's own look at the outbox, not the sender's
            if task.done():
                await task  # surfaces the sender's crash
            await asyncio.sleep(0.05)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        stop.set()
        await task
        await clients.close()

        async with httpx.AsyncClient(timeout=60) as http:
            feed = (await http.get(f"{base}/feed")).json()["items"]
        posted = Counter(item["channel"] for item in feed if item["kind"] == "message")
        async with database.sessions() as session:
            states = Counter((await session.scalars(select(Delivery.state))).all())
    finally:
        await database.dispose()

    expected = {f"C{ws:05d}" for ws in range(args.workspaces)} | {
        f"D{participant(ws, n)}" for ws in range(args.workspaces) for n in range(args.participants)
    }
    duplicates = sum(n - 1 for n in posted.values() if n > 1)
    losses = len(expected - set(posted)) + sum(n for s, n in states.items() if s != DeliveryState.SENT)
    per_workspace = args.participants + 1
    floor = max(0.0, (per_workspace - args.burst) / args.rate) if args.rate > 0 else 0.0
    print(f"database            {args.database_url.split(':', 1)[0]}")
    print(f"workspaces          {args.workspaces} x {per_workspace} messages = {total} deliveries")
    if args.rate > 0:
        print(f"rate limit          {args.rate}/s per workspace after a burst of {args.burst}; 1/s per channel")
    else:
        print("rate limit          none (an unlimited stand-in)")
    print(f"attention policy    {'asked for every DM' if args.attention else 'already passed (DMs pre-cleared)'}")
    print(f"enqueue             {enqueue_seconds:.1f} s")
    print(f"time to deliver all {elapsed:.2f} s")
    print(f"floor (the limits)  {floor:.2f} s")
    print(f"ratio               {elapsed / floor:.3f}" if floor else "ratio               n/a (no floor)")
    print(f"throughput          {total / elapsed:.0f} messages/s")
    print(f"sender CPU          {cpu * 1000 / total:.2f} ms per message (this process: the sender and its driver)")
    print(f"statements          {(statements['all'] - statements['polls']) / total:.2f} per message")
    print(f"429s answered       {metrics.slack_errors[('chat.postMessage', 'ratelimited')]}")
    print(f"duplicates          {duplicates}")
    print(f"losses              {losses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspaces", type=int, default=25)
    parser.add_argument("--participants", type=int, default=200, help="per workspace")
    parser.add_argument("--rate", type=float, default=5.0, help="chat.postMessage/s per workspace (0: no limit)")
    parser.add_argument("--burst", type=int, default=10, help="the workspace bucket's burst")
    parser.add_argument("--port", type=int, default=38111)
    parser.add_argument(
        "--attention",
        action="store_true",
        help="each DM also passes the attention policy (a transaction, and a dnd.info call unless urgent)",
    )
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        args.database_url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        context = multiprocessing.get_context("spawn")
        standin = context.Process(
            target=serve_standin,
            args=(args.port, args.workspaces, args.participants, args.rate, args.burst),
            daemon=True,
        )
        standin.start()
        try:
            base = f"http://127.0.0.1:{args.port}"
            asyncio.run(_run(args, base))
        finally:
            standin.terminate()
            standin.join(10)


async def _run(args: argparse.Namespace, base: str) -> None:
    await wait_for_standin(base)
    await bench(args, base)


if __name__ == "__main__":
    main()
