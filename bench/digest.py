"""CPU of the scheduler's heavy jobs: one 500-person check-in digest, and the decisions-due walk per decision.

    python -m bench.digest [--people 500] [--outcomes-each 6] [--weeks 12] [--decisions 40] [--outbox 200000] [--runs 5]

Seeds a scratch PostgreSQL database (ft_bench_digest, created and dropped here; FT_BENCH_POSTGRES is the admin
DSN): one workspace of `--people` people, each owning `--outcomes-each` open outcomes with three metrics, a
weekly update with a reading per metric for `--weeks` weeks (the last one inside the round's period, some with a
status change or a blocker), a cadence with last week's round and this week's round inviting everyone (half
answered); and `--decisions` decisions past their deadline on a two-level path, each with its deadline nudge and
first level due. A second workspace of the same size must not be read; an outbox of `--outbox` sent deliveries
and a thousand pending ones.

Then it times, `--runs` times, the digest job's work for the round (`post_digest`: build and queue it) and the
decisions job's work for every due decision (`walk_group`, a group of up to GROUP due decisions at a time, as the
job walks them; the figure is per decision), each in a transaction rolled back afterwards, and
prints the median process CPU (this process: SQLAlchemy, the driver, our code; the server's time is apart) and
wall time, with the SQL statements each issued; then the wall time of /metrics' outbox count and of
housekeeping's purge; and the longest the event loop was held while the digests and walks ran (a wake-up every
5 ms, bot.loop_lag). Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import event, insert, text

from bench.scratch import admin, postgres_url
from bot import migrate
from bot.database import Database
from bot.heap import settle_heap
from bot.loop_lag import LoopLag, watch
from handlers.checkins.messages import post_digest
from models import (
    Cadence,
    Decision,
    Delivery,
    DeliveryState,
    Direction,
    EscalationLevel,
    EscalationPolicy,
    Invite,
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressSource,
    ProgressUpdate,
    Round,
    Workspace,
)
from models.base import new_token
from models.checkin import Audience, ZoneMode
from scheduler.decisions import GROUP, walk_group
from services import checkins, decisions, outbox

DATABASE = "ft_bench_digest"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
KINDS = (MetricKind.LAGGING, MetricKind.LEADING, MetricKind.LEADING)


async def _rows(session, model, rows: list[dict], *, ids: bool = True) -> list[int]:
    if not rows:
        return []
    if not ids:
        await session.execute(insert(model), rows)
        return []
    return list(await session.scalars(insert(model).returning(model.id), rows))


async def _history(session, workspace_id: int, people: list[int], outcomes: list[int], args, rng) -> None:
    """A weekly update per outcome carrying a reading per metric; the latest week falls in the round's period."""
    metrics = await _rows(session, Metric, [
        {"workspace_id": workspace_id, "outcome_id": o, "kind": kind, "name": f"m{p}", "slug": f"m{p}",
         "baseline": 0.0, "target": 100.0, "direction": Direction.UP, "position": p}
        for o in outcomes for p, kind in enumerate(KINDS)])  # fmt: skip
    statuses = list(OutcomeStatus)[:3]
    for week in range(args.weeks, 0, -1):
        at = NOW - timedelta(days=7 * week - 4)  # week 1: three days ago, inside this round's period
        updates = await _rows(session, ProgressUpdate, [
            {"workspace_id": workspace_id, "outcome_id": o, "author_id": people[i % len(people)],
             "source": ProgressSource.COMMAND, "created_at": at, "note": "steady",
             "blocker": "waiting on legal" if rng.random() < 0.02 else None,
             **({"status_before": statuses[0], "status_after": rng.choice(statuses[1:])}
                if rng.random() < 0.05 else {})}
            for i, o in enumerate(outcomes)])  # fmt: skip
        await _rows(session, MetricReading, [
            {"workspace_id": workspace_id, "metric_id": m, "update_id": updates[n // 3],
             "author_id": people[(n // 3) % len(people)], "value": float(args.weeks - week + rng.randint(0, 2)),
             "recorded_at": at}
            for n, m in enumerate(metrics)], ids=False)  # fmt: skip


async def seed_workspace(session, team: str, args: argparse.Namespace, rng: random.Random) -> tuple[int, int]:
    """Returns the workspace id and this week's round id."""
    [workspace_id] = await _rows(session, Workspace, [{"team_id": team, "name": team, "timezone": "UTC"}])
    people = await _rows(session, Person, [
        {"workspace_id": workspace_id, "slack_user_id": f"U{team}{n:04d}", "display_name": f"person {n}",
         "timezone": "Europe/Berlin"} for n in range(args.people)])  # fmt: skip
    count = args.people * args.outcomes_each
    outcomes = await _rows(session, Outcome, [
        {"workspace_id": workspace_id, "number": n + 1, "title": f"Outcome {n + 1}", "definition_of_done": "Done",
         "owner_id": people[n % len(people)], "due_date": (NOW + timedelta(days=rng.randint(5, 90))).date(),
         "status": OutcomeStatus.ON_TRACK, "created_at": NOW - timedelta(days=7 * args.weeks + 7),
         "last_progress_at": NOW - timedelta(days=3 if n % 9 else 20)} for n in range(count)])  # fmt: skip
    await _history(session, workspace_id, people, outcomes, args, rng)
    [cadence] = await _rows(session, Cadence, [
        {"workspace_id": workspace_id, "channel_id": f"C{team}", "owner_id": people[0], "audience": Audience.CHANNEL,
         "interval_weeks": 1, "weekdays": [0], "local_time": clock_time(9), "zone_mode": ZoneMode.TEAM,
         "timezone": "UTC", "starts_on": (NOW - timedelta(days=60)).date(), "questions": ["How is it going?"],
         "digest_after_minutes": 240}])  # fmt: skip
    tokens = [new_token(), new_token()]
    rounds = await _rows(session, Round, [
        {"workspace_id": workspace_id, "token": token, "cadence_id": cadence, "channel_id": f"C{team}",
         "occurs_on": opened.date(), "opened_at": opened, "questions": ["How is it going?"], "ask_blocker": True,
         "ask_confidence": True, "digest_at": opened + timedelta(hours=4)}
        for token, opened in zip(tokens, (NOW - timedelta(days=7), NOW - timedelta(hours=5)), strict=True)
    ])  # fmt: skip
    # The round's thread, sent: the digest is queued as a reply in it.
    await _rows(session, Delivery, [
        {"workspace_id": workspace_id, "key": checkins.delivery_key(tokens[1], checkins.THREAD), "kind": "checkin",
         "method": "chat.postMessage", "args": {"channel": f"C{team}", "text": "Check-in"}, "target": f"C{team}",
         "state": DeliveryState.SENT, "due_at": NOW - timedelta(hours=5), "next_attempt_at": NOW - timedelta(hours=5),
         "slack_channel": f"C{team}", "slack_ts": "1700000000.000200"}], ids=False)  # fmt: skip
    await _rows(session, Invite, [
        {"workspace_id": workspace_id, "round_id": rounds[1], "person_id": p, "ask_at": NOW - timedelta(hours=5),
         **({"answered_at": NOW - timedelta(hours=4, minutes=n % 60), "answers": ["fine"],
             "blocker": "no budget" if n % 25 == 0 else None} if n % 2 == 0 else {})}
        for n, p in enumerate(people)], ids=False)  # fmt: skip
    await _decisions(session, workspace_id, people, args)
    return workspace_id, rounds[1]


async def _decisions(session, workspace_id: int, people: list[int], args) -> None:
    path = {"workspace_id": workspace_id, "name": "path", "name_key": "path"}
    [policy] = await _rows(session, EscalationPolicy, [path])
    await _rows(session, EscalationLevel, [
        {"workspace_id": workspace_id, "policy_id": policy, "position": n, "person_ids": people[1 + 2 * n:3 + 2 * n],
         "wait_minutes": 240} for n in range(2)])  # fmt: skip
    await _rows(session, Decision, [
        {"workspace_id": workspace_id, "number": n + 1, "question": f"Question {n + 1}?", "decider_id": people[n % 50],
         "deadline": NOW - timedelta(minutes=5), "round_started_at": NOW - timedelta(days=3), "policy_id": policy,
         "next_ping_at": NOW - timedelta(minutes=5), "options": [], "channel_id": "CDEC", "card_channel": "CDEC",
         "card_ts": "1700000000.000100"} for n in range(args.decisions)])  # fmt: skip


class Statements:
    """Counts statements; BENCH_SQL=1 prints each one's first line and how long the database took."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, statement, *_args) -> None:
        self.count += 1
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, *_args) -> None:
        if os.environ.get("BENCH_SQL"):
            took = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
            print(f"   {took:7.1f} ms  {' '.join(statement.split())[:160]}")


async def time_digest(database: Database, workspace_id: int, round_id: int) -> tuple[float, float]:
    async with database.sessions() as session:
        round_ = await checkins.load_round(session, workspace_id=workspace_id, round_id=round_id)
        wall, cpu = time.perf_counter(), time.process_time()
        await post_digest(session, round_, now=NOW)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        await session.rollback()
    return cpu, wall


async def time_decisions(database: Database) -> tuple[float, float, int, int]:
    async with database.sessions() as session:
        due = await decisions.due_decision_ids(session, now=NOW)
    wall, cpu, sent = time.perf_counter(), time.process_time(), 0
    workspaces: dict = {}  # as the job's pass keeps them
    for start in range(0, len(due), GROUP):  # the job's unit of work: a group of due decisions
        async with database.sessions() as session:
            group = sorted(due[start : start + GROUP])
            sent += await walk_group(session, decision_ids=group, now=NOW, workspaces=workspaces)
            await session.rollback()  # so the next run finds the same work
    return time.process_time() - cpu, time.perf_counter() - wall, len(due), sent


def _median(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def seed_outbox(session, workspace_id: int, count: int) -> None:
    """`count` finished deliveries over the last 60 days (the history) and a thousand pending ones (open work)."""
    for start in range(0, count + 1000, 20_000):
        await _rows(session, Delivery, [
            {"workspace_id": workspace_id, "key": f"bench:{n}", "kind": "bench", "method": "chat.postMessage",
             "args": {"channel": "C0", "text": "hi"}, "target": "C0",
             "state": DeliveryState.SENT if n < count else DeliveryState.PENDING,
             "due_at": NOW - timedelta(minutes=n % 86_400), "next_attempt_at": NOW - timedelta(minutes=n % 86_400),
             "created_at": NOW - timedelta(minutes=n % 86_400)}
            for n in range(start, min(start + 20_000, count + 1000))], ids=False)  # fmt: skip


async def time_outbox(database: Database, runs: int) -> tuple[float, float]:
    """Median wall ms of /metrics' outbox count, and of housekeeping's purge when nothing is old enough."""
    counts, purges = [], []
    for _ in range(runs):
        async with database.sessions() as session:
            started = time.perf_counter()
            await outbox.backlog(session, now=NOW)
            counts.append(time.perf_counter() - started)
            started = time.perf_counter()
            await outbox.purge_finished(session, before=NOW - timedelta(days=90))
            purges.append(time.perf_counter() - started)
            await session.rollback()
    return _median(counts), _median(purges)


async def measure(url: str, args: argparse.Namespace) -> None:
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            rng = random.Random(7)
            workspace_id, round_id = await seed_workspace(session, "TBIG", args, rng)
            await seed_workspace(session, "TOTHER", args, rng)
            await seed_outbox(session, workspace_id, args.outbox)
        async with database.engine.connect() as conn:  # fresh statistics, as autovacuum would soon have
            await conn.execute(text("ANALYZE"))
        print(f"seeded in {time.perf_counter() - started:.0f} s")
        settle_heap()  # as `serve` does once started: the seeding's leftovers out of the collector's way
        statements, lag = Statements(database.engine), LoopLag()
        watcher = asyncio.create_task(watch(lag, 0.005))
        digest_cpu, digest_wall, digest_sql = [], [], 0
        walk_cpu, walk_wall, walk_sql, due, sent = [], [], 0, 0, 0
        for _ in range(args.runs):
            statements.count = 0
            cpu, wall = await time_digest(database, workspace_id, round_id)
            digest_cpu.append(cpu), digest_wall.append(wall)
            digest_sql = statements.count
            statements.count = 0
            cpu, wall, due, sent = await time_decisions(database)
            walk_cpu.append(cpu / max(due, 1)), walk_wall.append(wall / max(due, 1))
            walk_sql = statements.count
        outcomes = args.people * args.outcomes_each
        print(f"digest of {args.people} people ({outcomes} outcomes, {outcomes * 3} metrics, {args.weeks} weeks): "
              f"CPU {_median(digest_cpu):.0f} ms (worst {max(digest_cpu) * 1000:.0f}), wall {_median(digest_wall):.0f}"
              f" ms, {digest_sql} statements")  # fmt: skip
        print(f"decisions due: {due} decisions, {sent} pings: CPU {_median(walk_cpu):.2f} ms per decision, wall "
              f"{_median(walk_wall):.2f} ms, {walk_sql / max(due, 1):.1f} statements per decision")  # fmt: skip
        watcher.cancel()
        print(f"longest event-loop stall during the digests and walks: {lag.worst * 1000:.0f} ms")
        count, purge = await time_outbox(database, args.runs)
        print(f"outbox of {args.outbox} finished and 1000 pending deliveries: /metrics' count {count:.1f} ms, "
              f"housekeeping's purge (nothing to purge) {purge:.1f} ms (wall, median)")  # fmt: skip
    finally:
        await database.dispose()


async def main(args: argparse.Namespace) -> None:
    await admin(f"DROP DATABASE IF EXISTS {DATABASE}")
    await admin(f"CREATE DATABASE {DATABASE}")
    try:
        await measure(postgres_url(DATABASE), args)
    finally:
        if not args.keep:
            await admin(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--outcomes-each", type=int, default=6)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--decisions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--outbox", type=int, default=200_000, help="finished deliveries in the outbox's history")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to EXPLAIN queries)")
    asyncio.run(main(parser.parse_args()))
