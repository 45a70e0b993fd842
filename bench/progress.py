"""Throughput and latency of `/progress O-n value note`: the app on PostgreSQL and on SQLite against a bare Bolt app.

    python -m bench.progress [--concurrency 16] [--seconds 10] [--warmup 2] [--idle 3] [--outcomes 100] [--users 50]
                             [--only bare|postgres|sqlite ...] [--profile FILE]

Each target is a real server in its own process: `followthrough serve` (python -m bot.cli serve) on a scratch
PostgreSQL database (ft_bench_progress, created and dropped here; FT_BENCH_POSTGRES is the admin DSN) and on a
temporary SQLite file, and bench/bare_app.py, whose `/progress` listener only acks. All reach the same Slack Web
API stand-in, itself in another process. This process seeds outcomes O-1..O-n through services.outcomes, then
sends signed slash commands (bot.devtools.slack_payloads) from `--concurrency` workers, each with a keep-alive httpx
connection: a warm-up first (each user at least once, since a person's first request fetches their profile with
users.info), then the measured window. Afterwards it checks that every 200 stored exactly one progress update and
one reading. Targets run one after another, so they never share the cores. Both servers run with uvicorn's
defaults (`followthrough serve` has no switch for its access log), their stdout, where that log goes, discarded.
The figure to trust on a shared machine is the server's CPU per request, read from /proc/<pid>/stat of the server
process (req/s and latency move with whatever else runs); it is also given net of the server's idle CPU (the
scheduler inside `serve`), measured for `--idle` seconds between warm-up and window. The aim (issue 17): at most
1.0 ms of CPU per /progress on PostgreSQL, and p99 within 3x the bare app's. Prints figures, and where the CPU
went; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import multiprocessing
import os
import random
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import func, select

from bot import migrate
from bot.database import Database
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.settings import Settings
from models import MetricReading, ProgressUpdate
from services import outcomes, people
from services.outcomes import OutcomeForm

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore tries `import sniffio` on every request; a failed import is not cached and searches sys.path
    # each time, which was a fifth of this load generator's CPU. A None entry makes it fail at once.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = os.environ.get("FT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "ft_bench_progress"
TARGETS = ("bare", "postgres", "sqlite")
TEAM = "T0BENCH"
CHANNEL = "C0BENCH"
TOKEN = "xoxb-bench"
SECRET = "bench-signing-secret"
AIM_CPU_MS, AIM_P99 = 1.0, 3.0  # on PostgreSQL: server CPU per request, and p99 within 3x the bare app's (issue 17)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# `serve` under cProfile. uvicorn re-raises the SIGTERM it caught once it has shut down, which would end the process
# before `python -m cProfile` writes anything; a handler that exits instead lets the stats be written.
PROFILED = """
import cProfile, signal, sys
from bot.cli import main
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
profile = cProfile.Profile()
try:
    profile.runcall(main, sys.argv[2:])
except SystemExit:
    pass
finally:
    profile.dump_stats(sys.argv[1])
"""


def user_id(n: int) -> str:
    return f"U{n:04d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# the stand-in's process ---------------------------------------------------------------------------------------
def serve_standin(port: int, users: int) -> None:
    import uvicorn

    from bot.devtools.standin import SlackStandin

    standin = SlackStandin(team_id=TEAM, team_name="Bench")
    for n in range(users):
        standin.add_user(user_id(n), name=f"user{n}", real_name=f"Bench User {n}", tz="Europe/Berlin")
    standin.add_channel(CHANNEL, name="bench", members=[user_id(n) for n in range(users)])
    uvicorn.run(standin.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# databases ----------------------------------------------------------------------------------------------------
async def admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_url() -> str:
    server = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{server}/{BENCH_DB}"


async def seed(url: str, count: int, users: int) -> None:
    """Migrates and defines O-1..O-count (owners spread over the users), as the /outcome form would."""
    database = Database.from_url(url)
    try:
        await migrate.upgrade(database.engine)
        async with database.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id=TEAM)
            author = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id(0))
            for n in range(count):
                form = OutcomeForm(
                    title=f"Bench outcome {n + 1}",
                    definition_of_done="The number reaches its target and stays there for a month.",
                    due=(date.today() + timedelta(days=90)).isoformat(),
                    lagging_name="Activation",
                    unit="%",
                    baseline="0",
                    target="1000",
                    leading="Demos booked: 2 -> 10",
                    owner_user_id=user_id(n % users),
                )
                await outcomes.create_outcome(
                    session, workspace=workspace, author=author, form=form, channel_id=CHANNEL, today=date.today()
                )
    finally:
        await database.dispose()


async def stored_rows(url: str) -> tuple[int, int]:
    database = Database.from_url(url)
    try:
        async with database.sessions() as session:
            updates = await session.scalar(select(func.count()).select_from(ProgressUpdate))
            readings = await session.scalar(select(func.count()).select_from(MetricReading))
        return int(updates or 0), int(readings or 0)
    finally:
        await database.dispose()


# processes ----------------------------------------------------------------------------------------------------
def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus anything the app would read as a setting, plus `extra`."""
    settings = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in settings}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _ticks(stat: Path, children: bool = False) -> int:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    # utime, stime; with `children`, also cutime, cstime: the CPU of exited children this process reaped
    return sum(int(f) for f in fields[11 : 15 if children else 13])


def cpu_seconds(pid: int) -> float:
    return _ticks(Path(f"/proc/{pid}/stat")) / CLOCK_TICKS


POSTGRES_HELPERS = ("walwriter", "background writer", "checkpointer")


def postgres_cpu() -> dict[int, float]:
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
            elif f" {BENCH_DB} " in title or any(helper in title for helper in POSTGRES_HELPERS):
                found[int(entry.name)] = cpu_seconds(int(entry.name))
        except OSError:  # ended meanwhile
            continue
    return found


def busy_cores() -> float:
    """CPU-seconds the whole machine has been busy (all cores, iowait counted as idle)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


async def postgres_sessions() -> int:
    """Connections ever opened to the bench database (pg_stat_database.sessions, PostgreSQL 14+)."""
    conn = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
    try:
        # The statistics collector publishes at most twice a second; ask for a fresh snapshot.
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        return int(await conn.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = $1", BENCH_DB) or 0)
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

    @classmethod
    async def read(cls, server_pid: int, standin_pid: int, postgres: bool) -> Gauges:
        return cls(
            server=cpu_seconds(server_pid),
            standin=cpu_seconds(standin_pid),
            load=time.process_time(),
            machine=busy_cores(),
            postgres=postgres_cpu() if postgres else None,
            pg_sessions=await postgres_sessions() if postgres else None,
        )


async def wait_ready(base: str, path: str, alive: Callable[[], bool]) -> bool:
    """Whether `base` answered 200 on `path` before its process died (or a minute passed)."""
    async with httpx.AsyncClient(base_url=base, timeout=2) as http:
        for _ in range(600):
            try:
                if (await http.get(path)).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            if not alive():
                return False
            await asyncio.sleep(0.1)
    return False


def not_ready(base: str, log: Path | None) -> SystemExit:
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    return SystemExit(f"{base} did not become ready\n{tail}")


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


# load ---------------------------------------------------------------------------------------------------------
@dataclass
class Window:
    """What one phase saw."""

    latencies: list[float] = field(default_factory=list)  # seconds, every completed request
    errors: int = 0  # non-200 answers and transport errors
    ok: int = 0  # 200 answers
    confirmed: int = 0  # 200 answers that say the update was logged
    elapsed: float = 0.0
    samples: list[str] = field(default_factory=list)  # the first few errors, to print


@dataclass
class Load:
    """Signed `/progress` commands from `len(senders)` workers, each with its own keep-alive connection."""

    senders: list[SlackSender]
    actors: list[SlackActor]
    outcomes: int
    seq: itertools.count = field(default_factory=itertools.count)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    async def one(self, sender: SlackSender, window: Window, n: int) -> None:
        actor = self.actors[n % len(self.actors)]  # round-robin, so a warm-up meets every user early
        text = f"O-{self.rng.randint(1, self.outcomes)} {self.rng.randint(0, 1000)} bench note {n}"
        started = time.perf_counter()
        try:
            response = await sender.command(actor, "/progress", text)
        except httpx.HTTPError as exc:
            window.latencies.append(time.perf_counter() - started)
            window.errors += 1
            if len(window.samples) < 3:
                window.samples.append(repr(exc))
            return
        window.latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            window.errors += 1
            if len(window.samples) < 3:
                window.samples.append(f"{response.status_code} {response.text[:200]}")
            return
        window.ok += 1
        if response.content and response.json().get("text", "").startswith("Logged on"):
            window.confirmed += 1
        elif response.content and len(window.samples) < 3:
            window.samples.append(f"200 but not logged: {response.text[:200]}")

    async def phase(self, seconds: float, at_least: int = 0) -> Window:
        """Keeps one request per worker in flight for `seconds` (and for at least `at_least` requests)."""
        window = Window()
        started = time.perf_counter()
        deadline = started + seconds
        sent = itertools.count()

        async def worker(sender: SlackSender) -> None:
            while True:
                if next(sent) >= at_least and time.perf_counter() >= deadline:
                    return
                await self.one(sender, window, next(self.seq))

        await asyncio.gather(*(worker(sender) for sender in self.senders))
        window.elapsed = time.perf_counter() - started
        return window


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
    def new_connections(self) -> int | None:
        if self.before.pg_sessions is None or self.after.pg_sessions is None:
            return None
        return self.after.pg_sessions - self.before.pg_sessions

    @property
    def stored_once(self) -> bool | None:
        if self.stored is None:
            return None
        return self.stored == (self.total_ok, self.total_ok) and self.total_confirmed == self.total_ok


async def drive(
    base: str, standin: str, args: argparse.Namespace, server_pid: int, standin_pid: int, postgres: bool
) -> Result:
    actors = [
        SlackActor(team_id=TEAM, user_id=user_id(n), user_name=f"user{n}", channel_id=CHANNEL, channel_name="bench")
        for n in range(args.users)
    ]
    # A pool of one connection per worker: httpcore's pool checks every connection it holds on each request,
    # which with 16 in one pool made this generator, not the server, the bottleneck against the bare app.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        senders = []
        for _ in range(args.concurrency):
            client = await stack.enter_async_context(httpx.AsyncClient(base_url=base, limits=limits, timeout=30))
            senders.append(SlackSender(client, SECRET, f"{standin}/response"))
        load = Load(senders, actors, args.outcomes)
        warm = await load.phase(args.warmup, at_least=args.users)
        idle_from, idle_started = cpu_seconds(server_pid), time.perf_counter()
        await asyncio.sleep(args.idle)  # after the warm-up: start-up work (migrations, first jobs) is over
        idle_cores = (cpu_seconds(server_pid) - idle_from) / (time.perf_counter() - idle_started)
        before = await Gauges.read(server_pid, standin_pid, postgres)
        measured = await load.phase(args.seconds)
        after = await Gauges.read(server_pid, standin_pid, postgres)
    for sample in warm.samples + measured.samples:
        print(f"  {base}: {sample}", file=sys.stderr)
    return Result(
        target="",
        measured=measured,
        total_ok=warm.ok + measured.ok,
        total_confirmed=warm.confirmed + measured.confirmed,
        before=before,
        after=after,
        idle_cores=idle_cores,
    )


async def bench_target(target: str, args: argparse.Namespace, standin: str, standin_pid: int, workdir: Path) -> Result:
    home = workdir / target  # the server's working directory: no stray .env, its log beside it
    home.mkdir()
    port = free_port()
    env = clean_env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=f"{standin}/api")
    url = None
    if target == "bare":
        command = [sys.executable, "-m", "bench.bare_app", "--port", str(port)]
    else:
        url = postgres_url() if target == "postgres" else f"sqlite+aiosqlite:///{home}/followthrough.db"
        await seed(url, args.outcomes, args.users)
        env["DATABASE_URL"] = url
        command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
        if args.profile:
            command[1:3] = ["-c", PROFILED, f"{args.profile}.{target}"]
    log = home / "server.log"
    base = f"http://127.0.0.1:{port}"
    # uvicorn's access log goes to stdout (discarded); everything else to a file, which never fills like a pipe.
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=home, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
        )
    try:
        if not await wait_ready(base, "/readyz", lambda: process.returncode is None):
            raise not_ready(base, log)
        result = await drive(base, standin, args, process.pid, standin_pid, postgres=target == "postgres")
    finally:
        await stop(process)
    result.target = target
    if url is not None:
        result.stored = await stored_rows(url)
    return result


# report -------------------------------------------------------------------------------------------------------
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
        f"{'load':>5} {'stand-in':>8} {'others':>6} {'new pg conns':>12}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        conns = "-" if r.new_connections is None else str(r.new_connections)
        lines.append(
            f"{r.target:<9} {r.server_ms_per_request:>17.2f} {r.net_ms_per_request:>11.2f} {r.idle_cores:>5.2f} "
            f"{cores(r.cpu('server')):>6} "
            f"{cores(r.cpu('postgres')):>8} {cores(r.cpu('load')):>5} {cores(r.cpu('standin')):>8} "
            f"{cores(r.cpu('others')):>6} {conns:>12}"
        )
    return "\n".join(lines)


def verdict(results: list[Result]) -> str | None:
    bare = next((r for r in results if r.target == "bare"), None)
    pg = next((r for r in results if r.target == "postgres"), None)
    if not (bare and pg):
        return None
    cpu, p99 = pg.net_ms_per_request, pg.p99 / bare.p99
    met = cpu <= AIM_CPU_MS and p99 <= AIM_P99 and pg.measured.errors == 0 and pg.stored_once
    return (
        f"aim on PostgreSQL (<= {AIM_CPU_MS:g} ms server CPU per request net of idle, p99 <= {AIM_P99:g}x bare, "
        f"every request stored once): {'met' if met else 'MISSED'} (CPU {cpu:.2f} ms, p99 {p99:.2f}x)"
    )


async def run(args: argparse.Namespace, standin: str, standin_pid: int, workdir: Path) -> list[Result]:
    targets = [t for t in TARGETS if t in (args.only or TARGETS)]
    results = []
    if "postgres" in targets:
        await admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        await admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        for target in targets:
            results.append(await bench_target(target, args, standin, standin_pid, workdir))
    finally:
        if "postgres" in targets:
            await admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window per target (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured warm-up per target (default 2)")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds without requests, to measure idle CPU")
    parser.add_argument("--outcomes", type=int, default=100, help="outcomes O-1..O-n to log progress on")
    parser.add_argument("--users", type=int, default=50, help="people sending the commands (U0000..)")
    parser.add_argument("--only", action="append", choices=TARGETS, help="run only this target (repeatable)")
    parser.add_argument(
        "--profile", metavar="FILE", help="run `serve` under cProfile, its stats written to FILE.<target> at exit"
    )
    args = parser.parse_args()

    port = free_port()
    standin_process = multiprocessing.get_context("spawn").Process(
        target=serve_standin, args=(port, args.users), daemon=True
    )
    standin_process.start()
    standin = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory(prefix="ft-bench-progress-") as workdir:
            if not asyncio.run(wait_ready(standin, "/users", standin_process.is_alive)):
                raise not_ready(standin, None)
            results = asyncio.run(run(args, standin, standin_process.pid, Path(workdir)))
    finally:
        standin_process.terminate()
        standin_process.join(10)

    print(
        f"/progress O-n value note: {args.concurrency} in flight, {args.seconds:g} s measured after a "
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
        "the rest of the machine. new pg conns: connections the app opened during the window."
    )


if __name__ == "__main__":
    main()
