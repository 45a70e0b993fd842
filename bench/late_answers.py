"""Late answers: how many posts reach Slack when some of its answers arrive after the sender's timeout.

    python -m bench.late_answers [--backend sqlite|postgresql] [--dms 20] [--late 6] [--timeout 1] [--delay 1.5]

One round as a check-in sends it: a thread post in the team channel, one reply under it, and a DM to each of
`--dms` people, 2 + dms deliveries in all, through the real sender to the Slack stand-in over HTTP. The stand-in
answers the first chat.postMessage of `--late` of them (the reply among them, the rest DMs) only after
`--delay` seconds, past the client's `--timeout`: Slack has posted the message, the sender hears nothing back.
The clock is the system's; the retry policy's base is 1 s instead of 10 s so the run takes seconds. Prints
"N deliveries, M posts": M counts the messages people see (the stand-in's stored messages), which is N when
nothing was posted twice. PostgreSQL: a scratch database, created and dropped here (FT_BENCH_POSTGRES is the
admin DSN). Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta

from bench.scratch import admin, postgres_url
from bot import migrate
from bot.asgi_server import serve_asgi
from bot.clock import SystemClock
from bot.database import Database
from bot.devtools.standin import SlackStandin
from bot.metrics import Metrics
from bot.slack_clients import SlackClients
from scheduler.sender import Sender, SenderConfig
from services import outbox, people
from services.delivery import RetryPolicy

CHANNEL = "C0TEAM"
TOKEN = "xoxb-bench-late"


def person(n: int) -> str:
    return f"U0P{n:04d}"


def late_first_answers(standin: SlackStandin, args: argparse.Namespace) -> None:
    """The first post of the reply and of `late - 1` DMs is answered after the client has given up."""
    args.late = min(args.late, args.dms + 1)
    chosen = {person(n) for n in range(max(0, args.late - 1))}
    seen: set[str] = set()

    def first_of_chosen(call: dict) -> bool:
        target = "reply" if call.get("thread_ts") else str(call.get("channel"))
        if target in seen or (target != "reply" and target not in chosen):
            return False
        seen.add(target)
        return True

    if args.late:
        standin.answer_late("chat.postMessage", args.delay, times=None, when=first_of_chosen)


async def enqueue_round(database: Database, args: argparse.Namespace) -> int:
    now = SystemClock().now()
    async with database.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        common = {"workspace_id": workspace.id, "method": "chat.postMessage", "not_before": now}
        thread = {"channel": CHANNEL, "text": "Check-in, round 1: answers in this thread."}
        await outbox.enqueue(session, key="checkin:1:thread", kind="checkin.thread", args=thread, **common)
        reply = {"text": "Reminder: the round closes at 17:00."}
        parent = "checkin:1:thread"
        await outbox.enqueue(
            session, key="checkin:1:reminder", kind="checkin.reminder", args=reply, thread_of=parent, **common
        )
        for n in range(args.dms):
            ask = {"channel": person(n), "text": "Time for this week's check-in. It takes a minute."}
            await outbox.enqueue(session, key=f"checkin:1:ask:{person(n)}", kind="checkin.ask", args=ask, **common)
    return args.dms + 2


async def deliver(database: Database, base_url: str, args: argparse.Namespace) -> tuple[Metrics, float]:
    clients = SlackClients(base_url=f"{base_url}/api/", token=TOKEN, timeout=args.timeout)
    metrics = Metrics()
    config = SenderConfig(per_workspace=32, retry=RetryPolicy(base=timedelta(seconds=1)))
    sender = Sender(sessions=database.sessions, clients=clients, clock=SystemClock(), metrics=metrics, config=config)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(sender.run(stop))
    try:
        while await unfinished(database):
            if task.done():
                await task  # surfaces the sender's crash
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task
        await clients.close()
    return metrics, time.perf_counter() - started


async def unfinished(database: Database) -> int:
    async with database.sessions() as session:
        backlog = await outbox.backlog(session, now=SystemClock().now())
    return backlog.by_state["pending"] + backlog.by_state["sending"]


def report(standin: SlackStandin, deliveries: int, metrics: Metrics, elapsed: float, args: argparse.Namespace) -> None:
    conversations = [CHANNEL, *(person(n) for n in range(args.dms))]
    top = {c: len(standin.messages(c)) for c in conversations}
    parents = standin.messages(CHANNEL)
    replies = sum(len(standin.messages(CHANNEL, thread_ts=p["ts"])) for p in parents)
    posts = sum(top.values()) + replies
    calls = Counter(c.method for c in standin.calls)
    print(f"database              {args.backend}")
    print(f"late first answers    {args.late} (answered after {args.delay} s; client timeout {args.timeout} s)")
    print(f"{deliveries} deliveries, {posts} posts")
    print(f"duplicates            {posts - deliveries}")
    print(f"chat.postMessage      {calls['chat.postMessage']} calls")
    looks = calls["conversations.history"] + calls["conversations.replies"]
    print(f"read-back calls       {looks} history/replies, {calls['conversations.open']} conversations.open")
    print(f"read-backs            {dict(sorted((k, v) for k, v in metrics.readbacks.items() if v))}")
    print(f"sender outcomes       {dict(sorted((k, v) for k, v in metrics.deliveries.items() if v))}")
    print(f"time to deliver all   {elapsed:.1f} s")


async def scratch_database(backend: str, tmp: str) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp}/late.db", None
    name = f"ft_bench_late_{uuid.uuid4().hex[:8]}"
    await admin(f'CREATE DATABASE "{name}"')
    return postgres_url(name), name


async def drop(name: str) -> None:
    await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(args: argparse.Namespace) -> None:
    standin = SlackStandin(team_id="T0LOCAL", team_name="Bench")
    for n in range(args.dms):
        standin.add_user(person(n), name=f"p{n}", tz="Europe/Berlin")
    standin.add_channel(CHANNEL, name="team", members=[person(0)])
    late_first_answers(standin, args)
    with tempfile.TemporaryDirectory() as tmp:
        url, scratch = await scratch_database(args.backend, tmp)
        database = Database.from_url(url)
        try:
            await migrate.upgrade(database.engine)
            deliveries = await enqueue_round(database, args)
            async with serve_asgi(standin.app) as base_url:
                metrics, elapsed = await deliver(database, base_url, args)
        finally:
            await database.dispose()
            if scratch:
                await drop(scratch)
    report(standin, deliveries, metrics, elapsed, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--dms", type=int, default=20)
    parser.add_argument("--late", type=int, default=6, help="deliveries whose first answer comes late")
    parser.add_argument("--timeout", type=float, default=1.0, help="the Slack client's timeout, seconds")
    parser.add_argument("--delay", type=float, default=1.5, help="how late those answers come, seconds")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
