"""What each measurement reads: wall time, this process's CPU time, the CPU of the bench database's PostgreSQL
backends, and the longest event-loop stall, seen by a task that asks to wake every few milliseconds."""

from __future__ import annotations

import asyncio
import os
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TICK_SECONDS = 0.005  # the monitor's nap: a stall shorter than this goes unseen


def postgres_cpu(database: str) -> dict[int, float]:
    """CPU-seconds of each live backend serving `database` (each pooled connection is one process)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if f" {database} " not in title:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
        except (OSError, IndexError, ValueError):  # ended meanwhile, or not ours to read
            continue
    return found


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the backends used between two readings; one that started meanwhile counts from its start (one that
    ended meanwhile is lost: the pool keeps its connections, so that is rare)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class StallMonitor:
    """Runs beside everything measured, on the same loop: how late each of its naps ended is how long
    something else held the loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_in = "-"
        self.phase = "-"
        self.phase_worst = 0.0
        self._task: asyncio.Task | None = None
        self.stacks = None  # bench.scale.stalls.StallStacks, with --stall-stacks

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(TICK_SECONDS)
            late = loop.time() - started - TICK_SECONDS
            if self.stacks is not None:
                self.stacks.beat = time.monotonic()
            self.phase_worst = max(self.phase_worst, late)
            if late > self.worst and self.phase != "-":  # the bench's own set-up between phases is not counted
                self.worst, self.worst_in = late, self.phase

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="bench-stall-monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def enter(self, phase: str) -> None:
        self.phase, self.phase_worst = phase, 0.0
        if self.stacks is not None:
            self.stacks.phase = phase


@dataclass
class Figure:
    name: str
    wall: float = 0.0  # seconds
    cpu: float = 0.0  # this process
    db_cpu: float = 0.0  # the bench database's backends
    slack_cpu: float = 0.0  # the Slack stand-in's process
    stall: float = 0.0  # the longest event-loop stall while it ran
    count: int = 1  # what the totals are divided by for the per-item columns (requests, messages, decisions)
    unit: str = ""  # what `count` counts, when it is not one run
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Gauges:
    database: str
    monitor: StallMonitor
    standin_pid: int
    figures: list[Figure] = field(default_factory=list)

    @asynccontextmanager
    async def measure(self, name: str, *, count: int = 1, unit: str = "", keep: bool = True):
        """Times the block; the Figure it yields can be given a count and a note inside it."""
        figure = Figure(name, count=count, unit=unit)
        await asyncio.sleep(TICK_SECONDS * 2)  # let the monitor take a fresh nap, so the stall is this block's
        self.monitor.enter(name)
        db_before, slack_before = postgres_cpu(self.database), process_cpu(self.standin_pid)
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        yield figure
        figure.wall = time.perf_counter() - wall_before
        figure.cpu = time.process_time() - cpu_before
        figure.db_cpu = used(db_before, postgres_cpu(self.database))
        figure.slack_cpu = process_cpu(self.standin_pid) - slack_before
        await asyncio.sleep(TICK_SECONDS * 2)  # a stall at the block's very end is seen when the monitor wakes
        figure.stall = self.monitor.phase_worst
        self.monitor.enter("-")
        if keep:
            self.figures.append(figure)


def table(figures: list[Figure]) -> str:
    head = (
        f"{'what':<44} {'wall ms':>9} {'CPU ms':>9} {'db CPU ms':>9} {'Slack CPU':>9} {'stall ms':>8}  "
        f"{'per item':<34} note"
    )
    lines = [head, "-" * (len(head) + 10)]
    for f in figures:
        per = ""
        if f.count > 1 or f.unit:
            count = max(f.count, 1)
            per = f"{f.count} {f.unit}: {f.wall * 1000 / count:.2f} ms, CPU {f.cpu * 1000 / count:.2f} ms each"
        lines.append(
            f"{f.name:<44} {f.wall * 1000:>9.1f} {f.cpu * 1000:>9.1f} {f.db_cpu * 1000:>9.1f} "
            f"{f.slack_cpu * 1000:>9.0f} "
            f"{f.stall * 1000:>8.1f}  {per:<34} {f.note}"
        )
    return "\n".join(lines)
