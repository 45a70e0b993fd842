"""DMs per person per day, and when they arrive, for a month of a 30-person team in three zones.

    python -m bench.attention [--no-attention | --with-only] [--database-url URL] [--max-step MINUTES] [--grain MINUTES]
                              [--weeks N] [--per-zone N] [--seed N]

Plans four weeks of a team (bench/attention/plan.py: outcomes, two check-ins each, decisions with deadlines on
the built-in escalation path, action items with due dates, meetings with pre-reads, and people answering some
of it), sets it up through the services, and runs every scheduler job and the real outbox sender on a movable
clock against the Slack stand-in served in-process (bench/attention/sim.py). Then it counts what the stand-in
was asked to post (bench/attention/figures.py).

`--no-attention` runs the same month with the sender's attention step replaced by one that lets every DM go
when due: what main did before issue 14 (no working hours, budget, focus, DND or "your day" round-ups).
By default it runs both, the "before" first; `--with-only` runs only the run with the policy. SQLite in a
temporary file by default; `--database-url` names a PostgreSQL database to connect to
(postgresql+asyncpg://postgres@127.0.0.1:5432/test): each run creates a scratch database beside it
(ft_bench_attention_*) and drops it afterwards, leaving the named one untouched.
Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg

from bench.attention import plan as planning
from bench.attention.figures import figures, report
from bench.attention.sim import Simulation
from bot import migrate
from bot.asgi_server import serve_asgi
from bot.clock import MovableClock
from bot.database import Database
from bot.devtools.standin import SlackStandin


async def admin(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1), timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def scratch(url: str | None, folder: str, n: int) -> AsyncIterator[Database]:
    """A new, migrated database: a SQLite file in `folder`, or one made beside the PostgreSQL database `url`."""
    name = f"ft_bench_attention_{uuid.uuid4().hex[:8]}"
    if url:
        await admin(url, f'CREATE DATABASE "{name}"')
    database = Database.from_url(f"{url.rsplit('/', 1)[0]}/{name}" if url else f"sqlite+aiosqlite:///{folder}/{n}.db")
    try:
        await migrate.upgrade(database.engine)
        yield database
    finally:
        await database.dispose()
        if url:
            await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(database: Database, plan: planning.Plan, args: argparse.Namespace, *, attention: bool) -> str:
    clock = MovableClock(planning.START)
    standin = SlackStandin(team_id="T0BENCH", team_name="Bench", clock=lambda: clock.now().timestamp())
    started = time.perf_counter()
    async with serve_asgi(standin.app) as base_url:
        sim = Simulation(database, standin, base_url, plan, clock=clock, attention=attention,
                         max_step=timedelta(minutes=args.max_step), grain=timedelta(minutes=args.grain))  # fmt: skip
        try:
            await sim.run(planning.START)
        finally:
            await sim.close()
    wall = time.perf_counter() - started
    found = await figures(database, standin, plan)
    label = "with attention (issue 14)" if attention else "--no-attention (what main did before issue 14)"
    extra = (f"{database.engine.dialect.name}, {len(plan.people)} people, {plan.counts}, {sim.stops} clock stops, "
             f"refused acts {sim.world.refused or 0}, sender spinning {sim.spinning}")  # fmt: skip
    return report(label, found, wall, extra)


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    plan = planning.make(seed=args.seed, per_zone=args.per_zone, weeks=args.weeks)
    # Without the policy, then with it, unless told one of them.
    modes = [False] if args.no_attention else [True] if args.with_only else [False, True]
    with tempfile.TemporaryDirectory() as folder:
        for n, attention in enumerate(modes):
            async with scratch(args.database_url, folder, n) as database:
                print(await run(database, plan, args, attention=attention), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--no-attention", action="store_true", help="every DM goes when due (before issue 14)")
    mode.add_argument("--with-only", action="store_true", help="only the run with the attention policy")
    parser.add_argument("--database-url", help="an empty PostgreSQL database; SQLite in a temporary file if not given")
    parser.add_argument("--max-step", type=float, default=60, help="longest clock step, in simulated minutes")
    parser.add_argument("--grain", type=float, default=5, help="clock stops are rounded up to this many minutes")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--weeks", type=int, default=planning.WEEKS)
    parser.add_argument("--per-zone", type=int, default=10, help="people in each of the three zones")
    asyncio.run(main(parser.parse_args()))
