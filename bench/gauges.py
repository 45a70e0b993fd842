"""CPU counters the benchmarks read before and after a measured window: a process's CPU from /proc/<pid>/stat,
the bench database's PostgreSQL processes, the whole machine, and the connections PostgreSQL has opened."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LAG = "followthrough_event_loop_lag_seconds"  # bot.loop_lag's histogram on /metrics


def _ticks(stat: Path, children: bool = False) -> int:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    # utime, stime; with `children`, also cutime, cstime: the CPU of exited children this process reaped
    return sum(int(f) for f in fields[11 : 15 if children else 13])


def cpu_seconds(pid: int) -> float:
    return _ticks(Path(f"/proc/{pid}/stat")) / CLOCK_TICKS


POSTGRES_HELPERS = ("walwriter", "background writer", "checkpointer")


def postgres_cpu(database: str) -> dict[int, float]:
    """CPU-seconds of each PostgreSQL process working for the bench: its database's backends, the WAL writers, and
    the postmaster with the backends it has reaped (connections the app closed; it forks new ones too).

    Other databases' live backends (a test suite running meanwhile) are left out; they show up in `others`.
    """
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or (entry / "comm").read_text().strip() != "postgres":
                continue
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres:"):  # the postmaster
                found[int(entry.name)] = _ticks(entry / "stat", children=True) / CLOCK_TICKS
            elif f" {database} " in title or any(helper in title for helper in POSTGRES_HELPERS):
                found[int(entry.name)] = cpu_seconds(int(entry.name))
        except OSError:  # ended meanwhile
            continue
    return found


def busy_cores() -> float:
    """CPU-seconds the whole machine has been busy (all cores, iowait counted as idle)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


async def postgres_sessions(admin: str, database: str) -> int:
    """Connections ever opened to the bench database (pg_stat_database.sessions, PostgreSQL 14+)."""
    conn = await asyncpg.connect(admin, timeout=10)
    try:
        # The statistics collector publishes at most twice a second; ask for a fresh snapshot.
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        return int(await conn.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = $1", database) or 0)
    finally:
        await conn.close()


@dataclass(frozen=True)
class Gauges:
    """Counters read just before and just after the measured window."""

    server: float
    standin: float
    load: float
    machine: float
    postgres: dict[int, float] | None
    pg_sessions: int | None
    lag: dict[str, int] | None  # the server's loop-lag histogram: observations at most `le` seconds late, per le

    @classmethod
    async def read(cls, server_pid: int, standin_pid: int, admin: str, database: str | None) -> Gauges:
        """`database`: the PostgreSQL database the server works in, whose backends are counted (None: none). `lag` is
        left for the caller, who reads it outside the CPU counters: rendering /metrics is not the window's work."""
        return cls(
            server=cpu_seconds(server_pid),
            standin=cpu_seconds(standin_pid),
            load=time.process_time(),
            machine=busy_cores(),
            postgres=postgres_cpu(database) if database else None,
            pg_sessions=await postgres_sessions(admin, database) if database else None,
            lag=None,
        )


async def loop_lag(base: str, token: str) -> dict[str, int]:
    """The server's event-loop lag histogram from its /metrics: how many periodic wake-ups came at most `le` seconds
    late, per bucket bound (and "+Inf": all of them)."""
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        response = await http.get("/metrics", headers={"authorization": f"Bearer {token}"})
    response.raise_for_status()
    found = {}
    for line in response.text.splitlines():
        if line.startswith(f"{LAG}_bucket"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            found[bound] = int(float(line.rsplit(" ", 1)[1]))
    return found
