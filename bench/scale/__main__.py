"""A large deployment, seeded, then measured: scheduler ticks, the 500-person digest, the Home tab, long lists,
/metrics, the outbox sender, and the longest event-loop stall.

    python -m bench.scale [--small] [--messages 10000] [--keep]

Seeds (bench/scale/seed.py) a throwaway PostgreSQL database, ft_bench_scale (or $FT_BENCH_SCALE_DB), created and
dropped here (FT_BENCH_POSTGRES is the admin DSN, by default the one the tests use), with 1,000 workspaces, 50,000
people, 25,000 outcomes with two metrics each, 500,000 progress updates carrying 1,000,000 readings, 5,000 check-in
cadences, 40,000 decisions and 200,000 outbox rows; `--small` seeds about 1/20 of that history around the same
measured scenarios. Then, in this one process and on one event loop (as `followthrough serve` runs them): every
registered scheduler job once, the check-in job with the 500-person digest due, signed Slack requests through the
ASGI app (Home tab, `/outcome list all`) and GET /metrics, and the runner's outbox sender delivering `--messages`
channel posts to the Slack stand-in (its own process, no rate limit).

Each line gives wall time, this process's CPU time (time.process_time), the CPU of the database's backends
(from /proc), and the longest event-loop stall while it ran (a task that naps 5 ms and notes how late it
wakes). Figures, not a test: other work on the machine skews the wall times; the CPU times hold better.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import socket
import sys
import time
from datetime import UTC, datetime

import asyncpg
import httpx

from bench.scale import phases
from bench.scale.gauges import Gauges, StallMonitor, table
from bench.scale.seed import BIG_TEAM, Spec, seed
from bench.scale.stalls import StallStacks
from bot import migrate
from bot.clock import MovableClock
from bot.database import Database
from bot.heap import settle_heap

ADMIN = os.environ.get("FT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
DB_NAME = os.environ.get("FT_BENCH_SCALE_DB", "ft_bench_scale")  # another name lets two runs share a server
TEMPLATE = "ft_bench_scale_seeded"  # --reuse: the seeded database (_small or _full), kept and copied for each run
# Every run happens at this instant (a Wednesday, 11:00 in the seeded zone): what is due, what the attention
# policy lets through and what the weekly health post does then (not due: it goes out on Mondays) stay the same.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_ready(base: str, alive) -> bool:
    """Whether the stand-in at `base` answers before its process dies (or a minute passes)."""
    async with httpx.AsyncClient(base_url=base, timeout=2) as http:
        for _ in range(600):
            try:
                if (await http.get("/users")).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            if not alive():
                return False
            await asyncio.sleep(0.1)
    return False


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def urls(name: str) -> tuple[str, str]:
    """(asyncpg DSN, SQLAlchemy URL) of a bench database."""
    dsn = f"{ADMIN.rsplit('/', 1)[0]}/{name}"
    return dsn, dsn.replace("postgresql://", "postgresql+asyncpg://", 1)


async def seed_into(name: str, spec: Spec) -> None:
    dsn, url = urls(name)
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        started, cpu = time.perf_counter(), time.process_time()
        counts = await seed(dsn, spec, NOW)
        print(f"seeded {name} in {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU here): "
              + ", ".join(f"{n:,} {t}" for t, n in counts.items()))  # fmt: skip
    finally:
        await database.dispose()


async def measure(args: argparse.Namespace, spec: Spec, standin: str) -> None:
    dsn, url = urls(DB_NAME)
    database = Database.from_url(url)
    try:
        store = await phases.install(database, spec)
        print(f"plus {spec.installed} OAuth installs; the Slack stand-in knows the {spec.big_people} people of "
              f"{BIG_TEAM}\n")  # fmt: skip

        monitor = StallMonitor()
        if args.stall_stacks:
            monitor.stacks = StallStacks()
            monitor.stacks.start()
        gauges = Gauges(DB_NAME, monitor, args.standin_pid)
        monitor.start()
        conn = await asyncpg.connect(dsn, timeout=10)
        try:
            clock = MovableClock(NOW)
            runner = phases.runner_for(database, store, standin, clock)
            settle_heap()  # as `serve` does once started: what start-up built is out of the collector's way
            await phases.ticks(runner, gauges, conn, NOW)
            await phases.requests(database, gauges, spec, standin, clock)
            await phases.sender(runner, gauges, conn, spec, args.messages, NOW, standin)
            await runner.clients.close()
        finally:
            await conn.close()
            await monitor.stop()
        print(table(gauges.figures))
        if monitor.stacks is not None:
            monitor.stacks.stop()
            print(monitor.stacks.report())
        print(f"\nlongest event-loop stall in the whole run: {monitor.worst * 1000:.1f} ms, during {monitor.worst_in}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times and stalls "
              "stretch with it; CPU times much less)")  # fmt: skip
    finally:
        await database.dispose()


async def exists(name: str) -> bool:
    conn = await asyncpg.connect(ADMIN, timeout=10)
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()


async def run(args: argparse.Namespace, spec: Spec, standin: str) -> None:
    await admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    template = f"{TEMPLATE}_{'small' if args.small else 'full'}"
    if args.reuse:
        if not await exists(template):
            await admin(f'CREATE DATABASE "{template}"')
            await seed_into(template, spec)
        else:
            print(f"copying {template}, seeded by an earlier --reuse run")
        await admin(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{template}"')
    else:
        await admin(f'CREATE DATABASE "{DB_NAME}"')
        await seed_into(DB_NAME, spec)
    try:
        await measure(args, spec, standin)
    finally:
        if not args.keep:
            await admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="about 1/20 of the history (a quick run)")
    parser.add_argument("--messages", type=int, help="outbox messages the sender delivers (5000; 1000 --small)")
    parser.add_argument("--stall-stacks", action="store_true", help="show where the loop was held past 30 ms")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"seed once into {TEMPLATE}_small/_full, kept, and copy it on later --reuse runs",
    )
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} afterwards")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, also through a pipe or a file
    spec = Spec().small() if args.small else Spec()
    args.messages = args.messages or (1_000 if args.small else 5_000)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    port = free_port()
    standin_process = multiprocessing.get_context("spawn").Process(
        target=phases.serve_standin, args=(port, spec.big_people, spec.round_people), daemon=True
    )
    standin_process.start()
    standin = f"http://127.0.0.1:{port}"
    args.standin_pid = standin_process.pid
    print(f"bench.scale: {'small (1/20 of the history)' if args.small else 'full'} deployment, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")  # fmt: skip
    try:
        if not asyncio.run(wait_ready(standin, standin_process.is_alive)):
            raise SystemExit("the Slack stand-in did not start")
        asyncio.run(run(args, spec, standin))
    finally:
        standin_process.terminate()
        standin_process.join(10)


if __name__ == "__main__":
    main()
