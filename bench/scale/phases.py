"""The measured phases, each through the app's public entry points: the scheduler's registered jobs (run once
each, as a tick would), the digest as the check-in job posts it, signed requests through the ASGI app, and the
outbox sender's loop."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import datetime

import asyncpg
import httpx
from slack_sdk.oauth.installation_store import Installation

from bench.scale.gauges import Gauges
from bench.scale.seed import BIG_TEAM, HOME_PERSON, SEND_CHANNEL, TEAM_CHANNEL, Spec, team_id, user_id
from bot.clock import Clock
from bot.database import Database
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.installation_store import EncryptedInstallationStore
from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack_clients import SlackClients
from bot.token_cipher import TokenCipher, new_key
from bot.web import create_app
from scheduler import features
from scheduler.runner import Runner
from scheduler.sender import Sender

CLIENT_ID = "1111.2222"
SECRET = "bench-signing-secret"
REQUEST_RUNS = 5  # measured requests of each kind, after one unmeasured (it warms caches, fetches a profile)


def serve_standin(port: int, people: int, round_people: int) -> None:
    """The Slack stand-in's process (spawned, hence here in an importable module): the big workspace's people
    and channels, no rate limits."""
    import uvicorn

    from bot.devtools.standin import SlackStandin

    standin = SlackStandin(team_id=BIG_TEAM, team_name="Bench at scale")
    for n in range(1, people + 1):
        standin.add_user(user_id(n), name=f"person{n}", real_name=f"Person {n}", tz="Europe/Berlin")
    standin.add_channel(TEAM_CHANNEL, name="team", members=[user_id(n) for n in range(1, round_people + 1)])
    standin.add_channel(SEND_CHANNEL, name="bench", members=[user_id(1)])
    uvicorn.run(standin.app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def install(database: Database, spec: Spec) -> EncryptedInstallationStore:
    """OAuth installs for the first `spec.installed` workspaces, stored as the app stores them (encrypted)."""
    store = EncryptedInstallationStore(CLIENT_ID, database.engine, TokenCipher([new_key()]))
    for workspace in range(1, spec.installed + 1):
        team = team_id(workspace)
        await store.async_save(
            Installation(app_id="A0BENCH", team_id=team, user_id=user_id(HOME_PERSON), bot_token=f"xoxb-bench-{team}",
                         bot_id="B0BOT", bot_user_id="U0BOT")
        )  # fmt: skip
    return store


def runner_for(database: Database, store: EncryptedInstallationStore, standin: str, clock: Clock) -> Runner:
    clients = SlackClients(base_url=f"{standin}/api/", installation_store=store)
    runner = Runner(database=database, clients=clients, metrics=Metrics(), clock=clock, settle_when_warm=True)
    features.register(runner)
    return runner


def _errors(runner: Runner, name: str) -> int:
    runs = getattr(runner.metrics, "job_runs", {})
    return runs.get((name, "error"), 0)


async def _job(runner: Runner, name: str) -> str:
    """Runs one job as the scheduler would; the note says if it failed (the runner logs why)."""
    errors = _errors(runner, name)
    await runner.run_job(name)
    return "FAILED (see the log above)" if _errors(runner, name) > errors else ""


async def ticks(runner: Runner, gauges: Gauges, admin: asyncpg.Connection, now: datetime) -> None:
    """Every registered job once, as the first tick after a start runs them; then the digest of the 500."""
    due = await admin.fetchval(
        "SELECT count(*) FROM decision WHERE status = 'open' AND next_ping_at <= $1", now
    )  # fmt: skip
    events_before = await admin.fetchval("SELECT count(*) FROM decision_event")
    for name in list(runner.jobs):
        deciding = "decision" in name
        async with gauges.measure(f"tick: {name}", count=due if deciding else 1,
                                  unit="due decisions" if deciding else "") as figure:  # fmt: skip
            figure.note = await _job(runner, name)
        if deciding:
            pings = await admin.fetchval("SELECT count(*) FROM decision_event") - events_before
            figure.note = figure.note or f"{pings} timeline events recorded"
    checkins = next((name for name in runner.jobs if "checkin" in name), None)
    if checkins is None:
        print("no check-in job is registered: the digest is not measured")
        return
    await admin.execute("UPDATE checkin_round SET digest_at = $1 WHERE id = 2", now)
    async with gauges.measure(f"digest: 500-person round ({checkins} job)") as figure:
        figure.note = await _job(runner, checkins)
    queued = await admin.fetchval("SELECT count(*) FROM delivery WHERE kind = 'checkin.digest'")
    figure.note = figure.note or ("digest queued" if queued else "NO DIGEST QUEUED")


async def fresh_scrape(app, web: httpx.AsyncClient) -> httpx.Response:
    """A scrape that counts the outbox itself, as the first in every cache period does (the exporter reuses its
    counts for a while; the app publishes it as app.state.exporter). Without that exporter, a plain scrape."""
    exporter = getattr(app.state, "exporter", None)
    if exporter is not None and hasattr(exporter, "ttl"):
        exporter.ttl = 0.0
    try:
        return await web.get("/metrics")
    finally:
        if exporter is not None and hasattr(exporter, "ttl"):
            exporter.ttl = 15.0


async def requests(database: Database, gauges: Gauges, spec: Spec, standin: str, clock: Clock) -> None:
    """The Home tab, `/outcome list all` and `/metrics`, through the real app, signed like Slack signs."""
    settings = Settings(
        _env_file=None,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=f"{standin}/api",
        database_url=database.engine.url.render_as_string(hide_password=False),
        auto_migrate=False,
        scheduler_enabled=False,
    )
    app = create_app(settings, database=database, clock=clock)
    me = SlackActor(team_id=BIG_TEAM, user_id=user_id(HOME_PERSON), user_name="person1", channel_id=TEAM_CHANNEL,
                    channel_name="team")  # fmt: skip
    home = {"type": "app_home_opened", "user": me.user_id, "channel": "D0HOME", "tab": "home"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120) as web:
        slack = SlackSender(web, SECRET, f"{standin}/response")
        kinds = [
            (
                f"Home tab ({spec.home_outcomes} outcomes, {spec.home_decisions} decisions)",
                lambda: slack.event(me, home),
            ),
            (f"/outcome list all ({spec.big_outcomes} outcomes)", lambda: slack.command(me, "/outcome", "list all")),
            ("/metrics, outbox counts cached", lambda: web.get("/metrics")),
            ("/metrics, outbox counted afresh", lambda: fresh_scrape(app, web)),
        ]
        for name, send in kinds:
            answer = await send()  # unmeasured: the person's first request also asks Slack for their profile
            walls = []
            async with gauges.measure(name, count=REQUEST_RUNS, unit="requests") as figure:
                for _ in range(REQUEST_RUNS):
                    started = time.perf_counter()
                    answer = await send()
                    walls.append(time.perf_counter() - started)
                    if answer.status_code != 200:
                        figure.note = f"HTTP {answer.status_code}: {answer.text[:80]}"
            size = f", {len(answer.content)} B answered" if answer.content else ""
            figure.note = figure.note or f"median {statistics.median(walls) * 1000:.1f} ms{size}"


def sender_of(runner: Runner) -> Sender:
    """The runner's own sender (configured as `serve` configures it), else one built the same way."""
    found = getattr(runner, "sender", None)
    if found is not None:
        return found
    return Sender(sessions=runner.context.sessions, clients=runner.clients, clock=runner.clock, metrics=runner.metrics)


async def sender(
    runner: Runner, gauges: Gauges, admin: asyncpg.Connection, spec: Spec, count: int, now: datetime, standin: str
) -> None:
    """`count` channel posts spread over the installed workspaces, all due now, sent by the runner's sender
    to the stand-in (no rate limit) until every one is recorded as sent. What the ticks queued is cancelled
    first: DMs to people the stand-in does not know would measure its refusals, not the sender."""
    queued = await admin.execute(
        "UPDATE delivery SET state = 'cancelled' WHERE state IN ('pending', 'sending') AND key NOT LIKE 'history:%'"
    )
    print(f"sender: {queued.split()[-1]} deliveries the ticks queued were cancelled before it ran")
    await admin.execute(
        f"""INSERT INTO delivery (workspace_id, key, kind, method, args, target, state, attempts, due_at,
                                  next_attempt_at, created_at)
            SELECT 1 + i % {spec.installed}, 'bench:send:' || md5(i::text), 'bench.post', 'chat.postMessage',
                   json_build_object('channel', '{SEND_CHANNEL}', 'text', 'Bench message ' || i), '{SEND_CHANNEL}',
                   'pending', 0, $1, $1, $1
            FROM generate_series(1, {count}) i""",
        now,
    )
    left_sql = "SELECT count(*) FROM delivery WHERE key LIKE 'bench:send:%' AND state <> 'sent'"
    stop = asyncio.Event()
    async with gauges.measure("sender: channel posts, stand-in unlimited", count=count, unit="messages") as figure:
        task = asyncio.create_task(sender_of(runner).run(stop), name="bench-sender")
        left = count
        while left and not task.done():
            await asyncio.sleep(0.05)
            left = await admin.fetchval(left_sql)
        stop.set()
        await task
    async with httpx.AsyncClient(timeout=60) as http:  # what Slack received: each message once?
        posted = (await http.get(f"{standin}/messages", params={"channel": SEND_CHANNEL})).json()["messages"]
    texts = [m.get("text", "") for m in posted if m.get("text", "").startswith("Bench message ")]
    duplicates, losses = len(texts) - len(set(texts)), count - len(set(texts))
    ceiling = count / figure.cpu if figure.cpu else 0.0  # what one core would carry at this CPU per message
    figure.note = (
        f"{(count - left) / figure.wall:.0f} messages/s ({ceiling:.0f}/s if it had a core to itself), "
        f"{duplicates} duplicates, {losses} losses"
    )
    figure.note += f", {left} NOT RECORDED AS SENT" if left else ""
    states = await admin.fetch("SELECT state, count(*) FROM delivery WHERE key LIKE 'bench:send:%' GROUP BY state")
    if left:
        print("sender: bench messages by state:", {row[0]: row[1] for row in states})
