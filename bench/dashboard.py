"""Server time of the dashboard's pages for one large workspace, and the queries each page makes.

    python -m bench.dashboard [--outcomes 1000] [--readings 50000] [--runs 20] [--only postgres|sqlite ...]

Seeds one workspace (and a second one of the same size that must not be read) the way bench/health.py does:
`--outcomes` open outcomes with a lagging and a leading metric each and `--readings` readings over them. Then it
signs in through services.web.signin and requests the overview and an outcome page `--runs` times each through
the app's own routes in-process (no network), timing each request and counting the SQL statements it ran.
Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import event, select

from bench.health import NOW, admin, seed_workspace
from bot import migrate
from bot.clock import MovableClock
from bot.database import Database
from bot.heap import settle_heap
from handlers.web import add_web_routes
from models import Person
from services.web import signin

PAGES = ("/web/", "/web/outcomes/O-1")


async def measure(url: str, args: argparse.Namespace, label: str) -> None:
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        async with database.sessions.begin() as session:
            seeded = argparse.Namespace(outcomes=args.outcomes, readings=args.readings, decisions=0)
            workspace_id = await seed_workspace(session, "TBIG", seeded, random.Random(7))
            await seed_workspace(session, "TOTHER", seeded, random.Random(8))
            person = await session.scalar(select(Person).where(Person.workspace_id == workspace_id).limit(1))
            token = await signin.redeem(session, token=await signin.issue_link(session, person=person, now=NOW),
                                        now=NOW)  # fmt: skip
        app = FastAPI()
        add_web_routes(app, database, MovableClock(NOW))
        settle_heap()  # as the app does once it has started
        statements = [0]
        event.listen(
            database.engine.sync_engine,
            "before_cursor_execute",
            lambda *a: statements.__setitem__(0, statements[0] + 1),
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", cookies={"ft_session": token}
        ) as web:
            for page in PAGES:
                times, counts = [], []
                for _ in range(args.runs + 2):
                    statements[0] = 0
                    started = time.perf_counter()
                    answer = await web.get(page)
                    times.append(time.perf_counter() - started)
                    counts.append(statements[0])
                    assert answer.status_code == 200, (page, answer.status_code)
                times = sorted(times[2:])  # the first two warm caches (templates, chart renderer)
                p95 = times[max(0, round(0.95 * len(times)) - 1)]
                print(f"{label:<9} {page:<20} {args.outcomes} outcomes, {args.readings} readings: median "
                      f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                      f"{max(counts)} statements per request")  # fmt: skip
    finally:
        await database.dispose()


async def main(args: argparse.Namespace) -> None:
    if "postgres" in args.only:
        await admin("DROP DATABASE IF EXISTS ft_bench_dashboard")
        await admin("CREATE DATABASE ft_bench_dashboard")
        try:
            await measure("postgresql+asyncpg://postgres@127.0.0.1:5432/ft_bench_dashboard", args, "postgres")
        finally:
            await admin("DROP DATABASE IF EXISTS ft_bench_dashboard")
    if "sqlite" in args.only:
        with tempfile.TemporaryDirectory() as scratch:
            await measure(f"sqlite+aiosqlite:///{Path(scratch) / 'dashboard.db'}", args, "sqlite")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outcomes", type=int, default=1000)
    parser.add_argument("--readings", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", nargs="+", default=["postgres", "sqlite"], choices=["postgres", "sqlite"])
    asyncio.run(main(parser.parse_args()))
