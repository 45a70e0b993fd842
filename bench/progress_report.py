"""What bench/progress.py saw and how it prints it: each phase's latencies and answers, each target's result with
its CPU gauges, the tables of one round, and, over several rounds, the spread and the medians the aim is judged on."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass, field

from bench.gauges import Gauges

AIM_CPU_MS, AIM_P99 = 1.0, 3.0  # on PostgreSQL: server CPU per request, and p99 within 3x the bare app's (issue 17)


@dataclass
class Window:
    """What one phase saw."""

    latencies: list[float] = field(default_factory=list)  # seconds, every completed request
    errors: int = 0  # non-200 answers and transport errors
    ok: int = 0  # 200 answers
    confirmed: int = 0  # 200 answers that say the update was logged
    elapsed: float = 0.0
    samples: list[str] = field(default_factory=list)  # the first few errors, to print


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass
class Result:
    target: str
    measured: Window
    total_ok: int  # warm-up included: every one of these should have stored a row
    total_confirmed: int
    before: Gauges
    after: Gauges
    stored: tuple[int, int] | None = None  # progress updates, readings
    idle_cores: float = 0.0  # the server's CPU with no requests, in cores, measured before the load

    @property
    def rps(self) -> float:
        return len(self.measured.latencies) / self.measured.elapsed

    @property
    def p50(self) -> float:
        return percentile(self.measured.latencies, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.measured.latencies, 0.99)

    def cpu(self, gauge: str) -> float | None:
        """Cores busy on average during the measured window (1.0 = one core all the time)."""
        if gauge == "others":  # whatever else kept the machine busy: it skews every figure here
            machine = self.cpu("machine") or 0.0
            return machine - sum(self.cpu(g) or 0.0 for g in ("server", "standin", "load", "postgres"))
        before, after = getattr(self.before, gauge), getattr(self.after, gauge)
        if before is None:
            return None
        if isinstance(before, dict):  # per process: one that started in the window counts from its start
            used = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
            return used / self.measured.elapsed
        return (after - before) / self.measured.elapsed

    @property
    def server_ms_per_request(self) -> float:
        """CPU the server process spent per answered request: what the generator's speed cannot distort."""
        return (self.after.server - self.before.server) * 1000 / max(1, len(self.measured.latencies))

    @property
    def net_ms_per_request(self) -> float:
        """The same, less what the server burns with no request at all (the scheduler inside `serve`): at a few
        dozen requests a second on a loaded machine, that background would otherwise read as request cost."""
        background = self.idle_cores * self.measured.elapsed * 1000
        return max(0.0, self.server_ms_per_request - background / max(1, len(self.measured.latencies)))

    @property
    def late_wakeups(self) -> tuple[int, int] | None:
        """The server's loop wake-ups during the window that came over 50 ms and over 100 ms late: a stall there is
        a stall for every request in flight."""
        before, after = self.before.lag, self.after.lag
        if before is None or after is None:
            return None

        def over(bound: str) -> int:
            return (after["+Inf"] - after[bound]) - (before["+Inf"] - before[bound])

        return over("0.05"), over("0.1")

    @property
    def new_connections(self) -> int | None:
        if self.before.pg_sessions is None or self.after.pg_sessions is None:
            return None
        return self.after.pg_sessions - self.before.pg_sessions

    @property
    def stored_once(self) -> bool | None:
        if self.stored is None:
            return None
        return self.stored == (self.total_ok, self.total_ok) and self.total_confirmed == self.total_ok


def table(results: list[Result]) -> str:
    bare = next((r for r in results if r.target == "bare"), None)
    head = (
        f"{'target':<9} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'rps/bare':>8} "
        f"{'p99/bare':>8}  stored once"
    )
    lines = [head, "-" * 100]
    for r in results:
        rps_ratio = f"{r.rps / bare.rps:.2f}" if bare else "-"
        p99_ratio = f"{r.p99 / bare.p99:.2f}" if bare else "-"
        stored = "-"
        if r.stored is not None:
            once = "yes" if r.stored_once else "NO"
            stored = f"{once}: {r.total_ok} OKs, {r.stored[0]} updates, {r.stored[1]} readings"
        lines.append(
            f"{r.target:<9} {len(r.measured.latencies):>8} {r.measured.errors:>6} {r.rps:>6.0f} "
            f"{r.p50 * 1000:>7.1f} {r.p99 * 1000:>7.1f} {rps_ratio:>8} {p99_ratio:>8}  {stored}"
        )
    return "\n".join(lines)


def cpu_table(results: list[Result]) -> str:
    def cores(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    head = (
        f"{'target':<9} {'server CPU ms/req':>17} {'net of idle':>11} {'idle':>5} {'server':>6} {'postgres':>8} "
        f"{'load':>5} {'stand-in':>8} {'others':>6} {'new pg conns':>12} {'loop late >50/>100 ms':>21}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        conns = "-" if r.new_connections is None else str(r.new_connections)
        late = "-" if r.late_wakeups is None else "{}/{}".format(*r.late_wakeups)
        lines.append(
            f"{r.target:<9} {r.server_ms_per_request:>17.2f} {r.net_ms_per_request:>11.2f} {r.idle_cores:>5.2f} "
            f"{cores(r.cpu('server')):>6} "
            f"{cores(r.cpu('postgres')):>8} {cores(r.cpu('load')):>5} {cores(r.cpu('standin')):>8} "
            f"{cores(r.cpu('others')):>6} {conns:>12} {late:>21}"
        )
    return "\n".join(lines)


def verdict(results: list[Result]) -> str | None:
    bare = next((r for r in results if r.target == "bare"), None)
    pg = next((r for r in results if r.target == "postgres"), None)
    if not (bare and pg):
        return None
    cpu, p99 = pg.net_ms_per_request, pg.p99 / bare.p99
    met = cpu <= AIM_CPU_MS and p99 <= AIM_P99 and pg.measured.errors == 0 and pg.stored_once
    line = (
        f"aim on PostgreSQL (<= {AIM_CPU_MS:g} ms server CPU per request net of idle, p99 <= {AIM_P99:g}x bare, "
        f"every request stored once): {'met' if met else 'MISSED'} (CPU {cpu:.2f} ms, p99 {p99:.2f}x)"
    )
    if raw := next((r for r in results if r.target == "raw"), None):
        line += "\n" + _floor(cpu, raw.net_ms_per_request)
    return line


def _floor(app: float, raw: float) -> str:
    return (
        f"the floor, raw asyncpg running the app's statements in Bolt on FastAPI (bench/raw_app.py): {raw:.2f} ms; "
        f"serve costs {app / raw:.2f}x it, {app - raw:.2f} ms more per request"
    )


def print_round(results: list[Result], args: argparse.Namespace, label: str = "", flush: bool = False) -> None:
    print(
        f"{label}/progress O-n value note: {args.concurrency} in flight, {args.seconds:g} s measured after a "
        f"{args.warmup:g} s warm-up (which also sends each of the {args.users} users' first request, the one that "
        f"calls users.info), {args.outcomes} outcomes, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print(table(results))
    if line := verdict(results):
        print(line)
    print(f"\nCPU in the measured window, in cores busy on average (this machine has {os.cpu_count()}):")
    print(cpu_table(results))
    for r in results:
        if (r.cpu("load") or 0) > 0.9:
            print(
                f"note: the load generator used a whole core against {r.target}, so {r.target}'s req/s is the "
                "generator's limit, not the server's; its server CPU ms/req is what the server needs"
            )
        if (r.cpu("others") or 0) > 0.15:
            print(f"note: other work kept {r.cpu('others'):.2f} cores busy during {r.target}; its figures are skewed")
    print(
        "net of idle: server CPU per request less its idle CPU (idle: cores busy with no requests, measured for "
        f"{args.idle:g} s after the warm-up). postgres: the bench database's backends and the WAL writers. others: "
        "the rest of the machine. new pg conns: connections the app opened during the window. loop late: the "
        "server's 10-a-second loop wake-ups in the window that came over 50 / over 100 ms late (its /metrics).",
        flush=flush,
    )


def summary(rounds: list[list[Result]]) -> str | None:
    """Over several rounds, each a bare run and a PostgreSQL run back to back: every round's two figures, their
    medians, and the aim judged on the medians. One run's p99 ratio moves by a third with whatever else the
    host does in those seconds; a pair measured a minute apart sees the same machine."""
    pairs = [(pg, bare) for results in rounds for pg, bare in [_pair(results)] if pg and bare]
    if len(pairs) < 2:
        return None
    cpus = [pg.net_ms_per_request for pg, _ in pairs]
    ratios = [pg.p99 / bare.p99 for pg, bare in pairs]
    cpu, ratio = statistics.median(cpus), statistics.median(ratios)
    within = sum(r <= AIM_P99 for r in ratios)
    stored = all(pg.stored_once and pg.measured.errors == 0 for pg, _ in pairs)
    met = cpu <= AIM_CPU_MS and ratio <= AIM_P99 and stored
    raws = [r.net_ms_per_request for results in rounds for r in results if r.target == "raw"]
    floor = []
    if len(raws) == len(pairs):
        raw = statistics.median(raws)
        floor = ["  raw asyncpg: " + ", ".join(f"{c:.2f}" for c in raws) + f"; median {raw:.2f}", _floor(cpu, raw)]
    return "\n".join(
        [
            f"over {len(pairs)} rounds (bare, then PostgreSQL, in each):",
            "  server CPU ms/req net of idle: " + ", ".join(f"{c:.2f}" for c in cpus) + f"; median {cpu:.2f}",
            "  p99/bare: " + ", ".join(f"{r:.2f}" for r in ratios) + f"; median {ratio:.2f}, within "
            f"{AIM_P99:g}x in {within} of {len(ratios)}",
            f"aim on the medians (<= {AIM_CPU_MS:g} ms, p99 <= {AIM_P99:g}x bare, every request of every round stored "
            f"once): {'met' if met else 'MISSED'}",
            *floor,
        ]
    )


def _pair(results: list[Result]) -> tuple[Result | None, Result | None]:
    found = {r.target: r for r in results}
    return found.get("postgres"), found.get("bare")
