"""Time to compute every execution-health finding for one large workspace.

    python -m bench.health [--outcomes 1000] [--readings 10000] [--decisions 500] [--runs 5]
                           [--only postgres|sqlite ...]

Seeds a scratch PostgreSQL database (ft_bench_health, created and dropped here; FT_BENCH_POSTGRES is the admin
DSN) and a temporary SQLite file with one workspace of `--outcomes` open outcomes (a lagging and a leading metric
each, `--readings` readings spread over them, a fifth of them falling), `--decisions` open decisions and as many
overdue action items, plus a second workspace of the same size that must not be read. Then it times
`services.health.loading.snapshot` and `services.health.findings` together, `--runs` times, and prints the
median and worst, with how many findings of each kind were made. Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

from bench.scratch import admin, postgres_url
from bot import migrate
from bot.database import Database
from models import (
    Action,
    Decision,
    Direction,
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressSource,
    ProgressUpdate,
    Workspace,
)
from models.base import new_token
from services import health
from services.health.loading import snapshot

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PEOPLE = 60


async def _rows(session, model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(await session.scalars(insert(model).returning(model.id), rows))


async def seed_workspace(session, team: str, args: argparse.Namespace, rng: random.Random) -> int:
    [workspace_id] = await _rows(session, Workspace, [{"team_id": team, "name": team, "timezone": "UTC"}])
    people = await _rows(session, Person, [
        {"workspace_id": workspace_id, "slack_user_id": f"U{team}{n:04d}", "display_name": f"person {n}"}
        for n in range(PEOPLE)])  # fmt: skip
    outcomes = await _rows(session, Outcome, [
        {"workspace_id": workspace_id, "number": n + 1, "title": f"Outcome {n + 1}", "definition_of_done": "Done",
         "owner_id": people[n % PEOPLE], "due_date": (NOW + timedelta(days=rng.randint(5, 90))).date(),
         "status": OutcomeStatus.ON_TRACK, "created_at": NOW - timedelta(days=rng.randint(20, 120)),
         "last_progress_at": NOW - timedelta(days=1)}
        for n in range(args.outcomes)])  # fmt: skip
    metrics = await _rows(session, Metric, [
        {"workspace_id": workspace_id, "outcome_id": o, "kind": kind, "name": kind.value, "slug": kind.value,
         "baseline": 0.0, "target": 100.0, "direction": Direction.UP, "position": p}
        for o in outcomes for p, kind in enumerate((MetricKind.LAGGING, MetricKind.LEADING))])  # fmt: skip
    per_metric = max(1, args.readings // len(metrics))
    updates = await _rows(session, ProgressUpdate, [
        {"workspace_id": workspace_id, "outcome_id": outcomes[i // 2], "author_id": people[0],
         "source": ProgressSource.COMMAND, "created_at": NOW - timedelta(days=3 * r + 1)}
        for i in range(len(metrics)) for r in range(per_metric)])  # fmt: skip
    readings, u = [], 0
    for i, metric in enumerate(metrics):
        falling = i % 10 < 2
        for r in range(per_metric):
            value = 50 - 3 * (per_metric - r) if falling else 10 + 4 * (per_metric - r) + rng.uniform(-3, 3)
            readings.append(
                {
                    "workspace_id": workspace_id,
                    "metric_id": metric,
                    "update_id": updates[u],
                    "author_id": people[0],
                    "value": value,
                    "recorded_at": NOW - timedelta(days=3 * r + 1),
                }
            )
            u += 1
    await _rows(session, MetricReading, readings)
    # Each metric's latest reading is kept on its row, as logging progress does (the overview's pace reads it).
    latest = {r["metric_id"]: r for r in readings if r["recorded_at"] == NOW - timedelta(days=1)}
    await session.execute(update(Metric), [{"id": m, "current_value": r["value"], "current_at": r["recorded_at"]}
                                           for m, r in latest.items()])  # fmt: skip
    await _rows(session, Decision, [
        {"workspace_id": workspace_id, "number": n + 1, "token": new_token(), "question": f"Question {n + 1}?",
         "decider_id": people[n % 7], "deadline": NOW + timedelta(days=rng.randint(-10, 10)), "options": [],
         "context": ""} for n in range(args.decisions)])  # fmt: skip
    await _rows(session, Action, [
        {"workspace_id": workspace_id, "number": n + 1, "what": f"Task {n + 1}", "owner_id": people[n % 11],
         "due_on": (NOW - timedelta(days=rng.randint(1, 20))).date()} for n in range(args.decisions)])  # fmt: skip
    return workspace_id


async def measure(url: str, args: argparse.Namespace, label: str) -> None:
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        async with database.sessions.begin() as session:
            rng = random.Random(7)
            workspace_id = await seed_workspace(session, "TBIG", args, rng)
            await seed_workspace(session, "TOTHER", args, rng)
        async with database.sessions() as session:
            stored = len(list(await session.scalars(select(MetricReading.id).where(
                MetricReading.workspace_id == workspace_id))))  # fmt: skip
        times, found = [], []
        for _ in range(args.runs):
            async with database.sessions() as session:
                started = time.perf_counter()
                found = health.findings(await snapshot(session, workspace_id=workspace_id, now=NOW), NOW)
                times.append(time.perf_counter() - started)
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(Counter(f.kind.value for f in found).items()))
        print(f"{label:<10} {args.outcomes} outcomes, {stored} readings, {args.decisions} decisions: "
              f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms over {args.runs} "
              f"runs; {len(found)} findings ({kinds})")  # fmt: skip
    finally:
        await database.dispose()


async def main(args: argparse.Namespace) -> None:
    if "postgres" in args.only:
        await admin("DROP DATABASE IF EXISTS ft_bench_health")
        await admin("CREATE DATABASE ft_bench_health")
        try:
            await measure(postgres_url("ft_bench_health"), args, "postgres")
        finally:
            await admin("DROP DATABASE IF EXISTS ft_bench_health")
    if "sqlite" in args.only:
        with tempfile.TemporaryDirectory() as scratch:
            await measure(f"sqlite+aiosqlite:///{Path(scratch) / 'health.db'}", args, "sqlite")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outcomes", type=int, default=1000)
    parser.add_argument("--readings", type=int, default=10000)
    parser.add_argument("--decisions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="+", default=["postgres", "sqlite"], choices=["postgres", "sqlite"])
    asyncio.run(main(parser.parse_args()))
