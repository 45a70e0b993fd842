"""`/progress` in process: the real app (bot.web.create_app) driven by raw ASGI calls one after another, no HTTP
server and no load generator sharing the cores, so its CPU per request moves less than bench.progress's (on a
shared machine still by up to a third from one minute to the next: compare two changes by `--profile`'s call count).

    python -m bench.progress_inproc [--requests 3000] [--database postgres|sqlite] [--bare] [--raw]
                                    [--ack-only] [--profile FILE]

It seeds O-1..O-100 as bench.progress does (into its scratch PostgreSQL database, or a temporary SQLite file),
with the same Slack stand-in in another process, warms every user up (their first request fetches their profile),
freezes the start-up heap as `serve` does, then times `--requests` signed `/progress O-n value note` commands.
`--bare` times bench/bare_app.py instead (Bolt on FastAPI, a listener that only acks), `--raw` bench/raw_app.py
(the same, running the app's /progress statements with raw asyncpg: the floor); `--ack-only` keeps the app's
middleware (the session, the dedupe row, the actor) but answers without the handler. `--profile` writes cProfile
stats, timed by CPU rather than wall clock, to FILE, and prints the Python function calls a request (the same
every run: a figure to compare two changes by on a machine whose speed moves). CPU is given in user and system
time too. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing
import os
import pstats
import random
import tempfile
import time

from bench import progress as bp
from bot.devtools.slack_payloads import form_body, signed_headers
from bot.heap import settle_heap

Headers = list[tuple[bytes, bytes]]
FORM = "application/x-www-form-urlencoded"


def signed(n: int, user: str, rng: random.Random) -> tuple[bytes, Headers]:
    fields = {"token": "t", "team_id": bp.TEAM, "team_domain": "bench", "channel_id": bp.CHANNEL,
              "channel_name": "bench", "user_id": user, "user_name": user.lower(), "command": "/progress",
              "text": f"O-{rng.randint(1, 100)} {rng.randint(0, 1000)} bench note {n}", "api_app_id": "A0BENCH",
              "is_enterprise_install": "false", "response_url": f"http://127.0.0.1:9/r/{n}",
              "trigger_id": f"{n}.1.bench"}  # fmt: skip
    body = form_body(fields)
    headers = [(k.lower().encode(), v.encode()) for k, v in signed_headers(bp.SECRET, body, FORM).items()]
    return body, [*headers, (b"content-length", str(len(body)).encode()), (b"host", b"bench")]


async def call(app, body: bytes, headers: Headers) -> tuple[int, bytes]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/slack/events", "raw_path": b"/slack/events", "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
    given = False
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never hangs up
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def build(args: argparse.Namespace, url: str, standin: str):
    settings = {"SLACK_BOT_TOKEN": bp.TOKEN, "SLACK_SIGNING_SECRET": bp.SECRET, "DATABASE_URL": url,
                "SLACK_API_URL": f"{standin}/api/", "SCHEDULER_ENABLED": "false", "AUTO_MIGRATE": "false"}  # fmt: skip
    os.environ.update(settings)
    if args.bare:
        from bench.bare_app import create_app as bare

        return bare()
    if args.raw:
        import asyncpg

        from bench.raw_app import create_app as raw

        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        return raw(await asyncpg.create_pool(dsn, min_size=1, max_size=20))
    from bot.settings import Settings
    from bot.web import create_app

    if args.ack_only:
        import handlers.outcomes.progress as progress_handlers

        async def answer_only(ack, command) -> None:
            await ack(text=f"Logged on {command['text']}")

        progress_handlers.progress_command = answer_only  # registered by name when the app is built
    return create_app(Settings())


async def measure(args: argparse.Namespace, url: str, standin: str) -> None:
    app = await build(args, url, standin)
    rng = random.Random(7)
    users = [bp.user_id(n) for n in range(50)]
    for n in range(250):  # every user's first request (users.info), then steady state
        status, answer = await call(app, *signed(100_000 + n, users[n % 50], rng))
        if status != 200 or not (args.bare or b"Logged" in answer):
            raise SystemExit(f"warm-up request failed: {status} {answer[:200]!r}")
    requests = [signed(n, users[n % 50], rng) for n in range(args.requests)]
    settle_heap()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    cpu, wall, times = time.process_time(), time.perf_counter(), os.times()
    if profile:
        profile.enable()
    logged = 0
    for body, headers in requests:
        status, answer = await call(app, body, headers)
        logged += status == 200 and (args.bare or b"Logged" in answer)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    user, system = (after - before for after, before in zip(os.times()[:2], times[:2], strict=True))
    what = ("bare app" if args.bare else "raw app (the floor)" if args.raw
            else "app, handler skipped" if args.ack_only else "app")  # fmt: skip
    print(f"{what} on {args.database}: {args.requests} requests, {logged} answered as expected, "
          f"CPU {cpu * 1000 / args.requests:.3f} ms a request ({user * 1000 / args.requests:.3f} user, "
          f"{system * 1000 / args.requests:.3f} system), wall {wall * 1000 / args.requests:.3f} ms")  # fmt: skip
    if profile:
        # The same every run, unlike the CPU time (profiled, it is mostly the profiler's): compares two changes
        # where this machine's speed, which moves by a third from one minute to the next, cannot.
        calls = pstats.Stats(profile).total_calls
        print(f"Python function calls: {calls / args.requests:.0f} a request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--bare", action="store_true", help="the bare Bolt app instead of ours")
    parser.add_argument("--ack-only", action="store_true", help="our middleware, no handler")
    parser.add_argument("--raw", action="store_true", help="bench/raw_app.py: the floor (PostgreSQL only)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile stats (CPU time) of the timed requests")
    args = parser.parse_args()
    if args.raw and args.database != "postgres":
        parser.error("--raw runs raw asyncpg: PostgreSQL only")
    port = bp.free_port()
    standin_process = multiprocessing.get_context("spawn").Process(
        target=bp.serve_standin, args=(port, 50), daemon=True
    )
    standin_process.start()
    standin = f"http://127.0.0.1:{port}"
    try:
        if not asyncio.run(bp.wait_ready(standin, "/users", standin_process.is_alive)):
            raise bp.not_ready(standin, None)
        with tempfile.TemporaryDirectory(prefix="ft-bench-inproc-") as workdir:
            if args.database == "postgres":
                asyncio.run(bp.admin(f'DROP DATABASE IF EXISTS "{bp.BENCH_DB}" WITH (FORCE)'))
                asyncio.run(bp.admin(f'CREATE DATABASE "{bp.BENCH_DB}"'))
                url = bp.postgres_url(bp.BENCH_DB)
            else:
                url = f"sqlite+aiosqlite:///{workdir}/bench.db"
            try:
                asyncio.run(bp.seed(url, 100, 50))
                from bot.cli import run_fast

                run_fast(_ran(measure(args, url, standin)))
            finally:
                if args.database == "postgres":
                    asyncio.run(bp.admin(f'DROP DATABASE IF EXISTS "{bp.BENCH_DB}" WITH (FORCE)'))
    finally:
        standin_process.terminate()
        standin_process.join(10)


async def _ran(work) -> int:
    await work
    return 0


if __name__ == "__main__":
    main()
