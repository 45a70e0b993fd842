"""The issue 9 probes, measured again: an oversized unsigned body, slow profile lookups for a crowd of new
people, a stalled PostgreSQL, and a burst of identical /progress on one outcome.

    python -m bench.probe [--only edge crowd stall burst]

Each probe runs `followthrough serve` in its own process (memory read from /proc) against a Slack Web API
stand-in served from this process, so the stand-in can be made slow. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bench.progress import CHANNEL, SECRET, TEAM, TOKEN, admin, clean_env, free_port, seed, stop, user_id, wait_ready
from bot.asgi_server import serve_asgi
from bot.database import Database
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.devtools.stall import StallingProxy
from bot.devtools.standin import SlackStandin
from models import Metric, MetricReading, ProgressUpdate

PROBE_DB = "ft_bench_probe"
PEOPLE = 20


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_standin(people: int) -> SlackStandin:
    standin = SlackStandin(team_id=TEAM, team_name="Probe")
    for n in range(people):
        standin.add_user(user_id(n), name=f"user{n}", real_name=f"Probe User {n}", tz="Europe/Berlin")
    standin.add_channel(CHANNEL, name="probe", members=[user_id(n) for n in range(people)])
    return standin


async def start_app(standin_url: str, database_url: str, workdir: Path) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"{standin_url}/api",
        DATABASE_URL=database_url,
        SCHEDULER_ENABLED="false",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        "--port",
        str(port),
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    if not await wait_ready(base, "/readyz", lambda: process.returncode is None):
        raise SystemExit("the app did not become ready")
    return process, base


def sender(client: httpx.AsyncClient, standin_url: str) -> SlackSender:
    return SlackSender(client, SECRET, f"{standin_url}/response")


def actor(n: int) -> SlackActor:
    return SlackActor(team_id=TEAM, user_id=user_id(n), user_name=f"user{n}", channel_id=CHANNEL)


async def timed(coro) -> tuple[float, object]:
    started = time.perf_counter()
    result = await coro
    return time.perf_counter() - started, result


async def probe_edge(standin_url: str, workdir: Path) -> None:
    process, base = await start_app(standin_url, f"sqlite+aiosqlite:///{workdir}/edge.db", workdir)
    try:
        before = rss_mb(process.pid)
        huge = b"&".join(b"k%d=v" % i for i in range(3_000_000))  # 32 MB of url-encoded pairs, unsigned
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            took, answer = await timed(
                client.post(
                    "/slack/events", content=huge, headers={"Content-Type": "application/x-www-form-urlencoded"}
                )
            )
            ten = huge[: 10 * 1024 * 1024]
            slow = asyncio.ensure_future(client.post("/slack/events", content=ten))
            await asyncio.sleep(0.05)
            health, _ = await timed(client.get("/healthz"))
            await slow
        print(
            f"edge: {len(huge) / 1e6:.0f} MB unsigned body -> {answer.status_code} in {took * 1000:.0f} ms; "
            f"server memory {before:.0f} -> {rss_mb(process.pid):.0f} MB (peak {rss_mb(process.pid, 'VmHWM'):.0f});"
            f" /healthz during a 10 MB body: {health * 1000:.0f} ms"
        )
    finally:
        await stop(process)


async def probe_crowd(standin: SlackStandin, standin_url: str, workdir: Path) -> None:
    process, base = await start_app(standin_url, f"sqlite+aiosqlite:///{workdir}/crowd.db", workdir)
    try:
        standin.answer_late("users.info", 0.9, times=None)
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            slack = sender(client, standin_url)
            crowd = [timed(slack.command(actor(n), "/followthrough", "help")) for n in range(PEOPLE)]
            ready = asyncio.ensure_future(timed(client.get("/readyz")))
            results = await asyncio.gather(*crowd)
            ready_took, _ = await ready
        standin.reset()
        latencies = sorted(t for t, _ in results)
        late = sum(1 for t in latencies if t > 3)
        p50 = statistics.median(latencies)
        print(
            f"crowd (SQLite, users.info 0.9 s): {PEOPLE} new people at once: p50 {p50:.2f} s,"
            f" max {latencies[-1]:.2f} s, {late} past 3 s; /readyz meanwhile {ready_took:.2f} s"
        )
    finally:
        await stop(process)


async def probe_stall(standin_url: str, workdir: Path, pg_url: str) -> None:
    async with StallingProxy() as proxy:
        proxied = pg_url.replace(":5432/", f":{proxy.port}/")
        process, base = await start_app(standin_url, proxied, workdir)
        try:
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                slack = sender(client, standin_url)
                await slack.command(actor(1), "/followthrough", "help")
                proxy.stall()
                answer_took, answer = await timed(slack.command(actor(1), "/outcome", "list"))
                ready_took, ready = await timed(client.get("/readyz"))
                proxy.resume()
            text = answer.json().get("text", "")[:60] if answer.status_code == 200 else answer.text[:60]
            print(
                f"stall (PostgreSQL frozen): /outcome list answered {answer.status_code} in {answer_took:.2f} s "
                f"({text!r}); /readyz {ready.status_code} in {ready_took:.2f} s"
            )
        finally:
            await stop(process)


async def probe_burst(standin: SlackStandin, standin_url: str, workdir: Path, pg_url: str) -> None:
    await seed(pg_url, 1, 3)
    process, base = await start_app(standin_url, pg_url, workdir)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            slack = sender(client, standin_url)
            for n in range(3):
                await slack.command(actor(n), "/followthrough", "help")
            posts_before = len(standin.calls_to("chat.postMessage"))
            await asyncio.gather(
                *(slack.command(actor(i % 3), "/progress", "O-1 at-risk legal slipped") for i in range(50))
            )
            announced = len(standin.calls_to("chat.postMessage")) - posts_before
            await asyncio.gather(*(slack.command(actor(0), "/progress", f"O-1 {n}") for n in range(1, 101)))
        database = Database.from_url(pg_url)
        async with database.sessions() as session:
            changes = await session.scalar(
                select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.status_after.is_not(None))
            )
            current = await session.scalar(select(Metric.current_value).where(Metric.kind == "lagging"))
            latest = await session.scalar(select(MetricReading.value).order_by(MetricReading.id.desc()).limit(1))
        await database.dispose()
        print(
            f"burst (PostgreSQL): 50 identical at-risk at once -> {changes} status change(s), {announced} "
            f"announcement(s); after 100 values at once the current value is {current:g}, latest reading {latest:g}"
        )
    finally:
        await stop(process)


async def main(only: list[str]) -> None:
    standin = make_standin(PEOPLE)
    async with serve_asgi(standin.app) as base:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            pg_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PROBE_DB}"
            if "edge" in only:
                await probe_edge(base, workdir)
            if "crowd" in only:
                await probe_crowd(standin, base, workdir)
            for name in ("stall", "burst"):
                if name not in only:
                    continue
                await admin(f'DROP DATABASE IF EXISTS "{PROBE_DB}" WITH (FORCE)')
                await admin(f'CREATE DATABASE "{PROBE_DB}"')
                try:
                    if name == "stall":
                        await seed(pg_url, 1, 3)
                        await probe_stall(base, workdir, pg_url)
                    else:
                        await probe_burst(standin, base, workdir, pg_url)
                finally:
                    await admin(f'DROP DATABASE IF EXISTS "{PROBE_DB}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=["edge", "crowd", "stall", "burst"])
    asyncio.run(main(parser.parse_args().only))
