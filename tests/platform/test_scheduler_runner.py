"""The scheduler runner: jobs run while leading, the sender runs alongside, and both stop cleanly; wired into
`followthrough serve` (SCHEDULER_ENABLED) and `followthrough scheduler`."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from bot.database import Database
from bot.heap import AFTER_FULL_PASSES
from bot.slack_clients import SlackClients
from bot.web import create_app
from models import Delivery, DeliveryState, SlackEvent
from scheduler import housekeeping
from scheduler.runner import JobContext, Runner
from tests.conftest import make_settings
from tests.support.outbox import TOKEN, dm
from tests.support.processes import clean_env, free_port, running

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture
async def runner(db, clock, standin, standin_server) -> AsyncIterator[Runner]:
    _, base_url = standin_server
    made = Runner(database=db, clients=SlackClients(base_url=f"{base_url}/api/", token=TOKEN), clock=clock)
    yield made
    await made.stop()


async def test_a_registered_job_runs_as_soon_as_the_runner_leads(runner, clock) -> None:
    seen: list[datetime] = []
    ran = asyncio.Event()

    async def what_is_due(ctx: JobContext) -> None:
        seen.append(ctx.now())
        ran.set()

    runner.register_job("checkins.due", what_is_due, seconds=60)
    await runner.start()

    assert runner.leading and runner.sender_running
    await asyncio.wait_for(ran.wait(), 5)
    assert seen == [clock.now()]
    assert runner.metrics.job_runs[("checkins.due", "ok")] == 1
    with pytest.raises(ValueError, match="already"):
        runner.register_job("checkins.due", what_is_due, seconds=60)


async def test_a_failing_job_is_counted_and_the_next_run_still_happens(runner) -> None:
    calls = 0

    async def flaky(ctx: JobContext) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database hiccup")

    runner.register_job("flaky", flaky, seconds=60)
    await runner.run_job("flaky")
    await runner.run_job("flaky")

    assert runner.metrics.job_runs == {("flaky", "error"): 1, ("flaky", "ok"): 1}


async def test_a_serving_runner_settles_the_heap_once_every_job_has_run(db, clock, standin_server) -> None:
    """What the first round of jobs built and keeps (caches, compiled statements), and what outlives the next few
    full collections, leaves the collector's full passes: each walked it again, about 50 ms on the event loop in a
    large deployment. Frozen objects are the ones the collector no longer lists."""
    _, base_url = standin_server
    clients = SlackClients(base_url=f"{base_url}/api/", token=TOKEN)
    serving = Runner(database=db, clients=clients, clock=clock, settle_when_warm=True)
    plain = Runner(database=db, clients=clients, clock=clock)
    kept: list[dict] = []

    def watched(obj: object) -> bool:
        return any(o is obj for o in gc.get_objects())

    async def builds_a_cache(ctx: JobContext) -> None:
        kept.append({"compiled": [object()]})

    async def nothing(ctx: JobContext) -> None:
        return None

    for made in (serving, plain):
        made.register_job("a", builds_a_cache, seconds=60)
        made.register_job("b", nothing, seconds=60)
    gc.disable()  # only the collections the test makes: an automatic one would settle at its own moment
    try:
        await serving.run_job("a")
        await plain.run_job("a")
        await plain.run_job("b")
        assert all(watched(cache) for cache in kept)  # not yet warm, or not a serving process
        await serving.run_job("b")
        assert not any(watched(cache) for cache in kept)  # settled, once every job has run
        await serving.run_job("a")
        assert watched(kept[-1])  # the first round only

        # What outlives each of the next few full collections is settled too, and then no more.
        settled = []
        for _ in range(AFTER_FULL_PASSES + 1):
            kept.append({"client": [object()]})
            gc.collect()
            await asyncio.sleep(0)  # the settling happens on the loop's next turn, not inside the collector
            settled.append(not watched(kept[-1]))
        assert settled == [True] * AFTER_FULL_PASSES + [False]
    finally:
        gc.enable()
        gc.unfreeze()  # the test process's heap as it was


async def test_stop_ends_leadership_the_sender_and_the_jobs(runner) -> None:
    await runner.start()
    assert runner.leading

    await runner.stop()

    assert not runner.leading and not runner.sender_running and not runner.scheduler.running


async def test_the_sender_loop_delivers_what_becomes_due(db, workspace, standin, standin_server) -> None:
    _, base_url = standin_server
    clients = SlackClients(base_url=f"{base_url}/api/", token=TOKEN)
    runner = Runner(database=db, clients=clients)  # the system clock: the loop waits for real
    now = MovableClock(datetime.now(UTC))
    await dm(db, workspace, now, "soon", "U0ALEX", "due in a moment", after=0.3)
    await runner.start()
    try:
        for _ in range(100):  # bounded: the background loop wakes when the delivery comes due
            if standin.messages("U0ALEX"):
                break
            await asyncio.sleep(0.02)
    finally:
        await runner.stop()
    assert [m["text"] for m in standin.messages("U0ALEX")] == ["due in a moment"]
    assert runner.metrics.deliveries["sent"] == 1


async def test_housekeeping_forgets_old_event_ids_and_purges_old_deliveries(db, workspace, clients, clock) -> None:
    now = clock.now()
    async with db.sessions.begin() as session:
        session.add(SlackEvent(event_id="Ev_old", team_id="T0LOCAL", received_at=now - timedelta(hours=25)))
        session.add(SlackEvent(event_id="Ev_new", team_id="T0LOCAL", received_at=now - timedelta(hours=23)))
    await dm(db, workspace, clock, "ancient", "U0ALEX")
    async with db.sessions.begin() as session:
        ancient = (await session.scalars(select(Delivery))).one()
        ancient.state, ancient.created_at = DeliveryState.SENT, now - timedelta(days=91)

    await housekeeping.clean_up(JobContext(sessions=db.sessions, clock=clock, clients=clients))

    async with db.sessions() as session:
        assert (await session.scalars(select(SlackEvent.event_id))).all() == ["Ev_new"]
        assert (await session.scalars(select(Delivery))).all() == []


async def scrape(app) -> str:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ft.test") as client:
        return (await client.get("/metrics")).text


@pytest.mark.parametrize("enabled", [True, False])
async def test_serve_runs_the_scheduler_unless_disabled(db: Database, standin, standin_server, enabled) -> None:
    _, base_url = standin_server
    url = db.engine.url.render_as_string(hide_password=False)
    app = create_app(make_settings(url, f"{base_url}/api", scheduler_enabled=enabled), database=db)

    async with app.router.lifespan_context(app):
        during = await scrape(app)
    after = await scrape(app)

    assert f"followthrough_scheduler_leader {int(enabled)}" in during.splitlines()
    assert "followthrough_scheduler_leader 0" in after.splitlines()


async def test_followthrough_scheduler_runs_on_its_own_with_health_and_metrics(
    tmp_path, standin, standin_server
) -> None:
    _, standin_url = standin_server
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="unused-by-the-scheduler",
        SLACK_API_URL=f"{standin_url}/api",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/ft.db",
    )
    async with running(["scheduler", "--metrics-port", str(port)], tmp_path, env, port) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            health = (await client.get("/healthz")).json()
            metrics = (await client.get("/metrics")).text

    assert health == {"status": "alive", "scheduler": "leader"}
    assert "followthrough_scheduler_leader 1" in metrics.splitlines()
