"""Throughput and latency of `/progress O-n value note`: the app on PostgreSQL and on SQLite against a bare Bolt app.

    python -m bench.progress [--concurrency 16] [--seconds 10] [--warmup 2] [--idle 3] [--outcomes 100] [--users 50]
                             [--only bare|postgres|sqlite ...] [--rounds N] [--profile FILE]

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
1.0 ms of CPU per /progress on PostgreSQL, and p99 within 3x the bare app's. `--rounds N` runs the targets N times
over (each round a fresh database and fresh servers) and judges the aim on the medians, printing every round's
figures too: one run's p99 ratio moves by a third with what the host does in those seconds. Prints figures, and
where the CPU went; not a test.
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
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from bench.gauges import Gauges, cpu_seconds, loop_lag
from bench.progress_db import BENCH_DB, CHANNEL, TEAM, seed, stored_rows, user_id
from bench.progress_report import Result, Window, print_round, summary
from bench.scratch import POSTGRES_ADMIN, admin, postgres_url
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.settings import Settings

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore tries `import sniffio` on every request; a failed import is not cached and searches sys.path
    # each time, which was a fifth of this load generator's CPU. A None entry makes it fail at once.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("bare", "raw", "postgres", "sqlite")
DATABASES = {"raw": BENCH_DB + "_raw", "postgres": BENCH_DB}  # each PostgreSQL target's scratch database
APPS = ("postgres", "sqlite")  # `followthrough serve`, which has /metrics
TOKEN = "xoxb-bench"
SECRET = "bench-signing-secret"
METRICS_TOKEN = "bench-metrics-token"


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


# processes ----------------------------------------------------------------------------------------------------
def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus anything the app would read as a setting, plus `extra`."""
    settings = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k not in settings}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


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


async def drive(
    base: str,
    standin: str,
    args: argparse.Namespace,
    server_pid: int,
    standin_pid: int,
    database: str | None,
    app: bool,
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
        # The loop lag is read before the CPU counters and after them, so rendering /metrics is outside the window.
        lag_before = await loop_lag(base, METRICS_TOKEN) if app else None  # the bare app has no /metrics
        before = replace(await Gauges.read(server_pid, standin_pid, POSTGRES_ADMIN, database), lag=lag_before)
        measured = await load.phase(args.seconds)
        after = await Gauges.read(server_pid, standin_pid, POSTGRES_ADMIN, database)
        after = replace(after, lag=await loop_lag(base, METRICS_TOKEN) if app else None)
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
    env = clean_env(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=f"{standin}/api", METRICS_TOKEN=METRICS_TOKEN
    )
    url, database = None, DATABASES.get(target)
    if target == "bare":
        command = [sys.executable, "-m", "bench.bare_app", "--port", str(port)]
    else:
        url = postgres_url(database) if database else f"sqlite+aiosqlite:///{home}/followthrough.db"
        await seed(url, args.outcomes, args.users)
        env["DATABASE_URL"] = url
        app = "bench.raw_app" if target == "raw" else "bot.cli"
        command = [sys.executable, "-m", app, *(["serve"] if app == "bot.cli" else []), "--port", str(port)]
        if args.profile and app == "bot.cli":
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
        result = await drive(base, standin, args, process.pid, standin_pid, database, app=target in APPS)
    finally:
        await stop(process)
    result.target = target
    if url is not None:
        result.stored = await stored_rows(url)
    return result


async def run(args: argparse.Namespace, standin: str, standin_pid: int, workdir: Path) -> list[Result]:
    targets = [t for t in TARGETS if t in (args.only or TARGETS)]
    scratch = [DATABASES[t] for t in targets if t in DATABASES]
    results = []
    for database in scratch:
        await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin(f'CREATE DATABASE "{database}"')
    try:
        for target in targets:
            results.append(await bench_target(target, args, standin, standin_pid, workdir))
    finally:
        for database in scratch:
            await admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
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
    parser.add_argument(
        "--rounds", type=int, default=1, help="run the targets this many times, and judge the aim on the medians"
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
            rounds = []
            for n in range(args.rounds):
                (Path(workdir) / str(n)).mkdir()
                rounds.append(asyncio.run(run(args, standin, standin_process.pid, Path(workdir) / str(n))))
                label = f"round {n + 1} of {args.rounds}: " if args.rounds > 1 else ""
                print_round(rounds[-1], args, label=label, flush=True)  # a long run shows each round as it ends
    finally:
        standin_process.terminate()
        standin_process.join(10)

    if line := summary(rounds):
        print(f"\n{line}")


if __name__ == "__main__":
    main()
