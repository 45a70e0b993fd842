"""Two schedulers never ping twice: the leader lock keeps one active on PostgreSQL, and even two jobs running at
the same moment record (and send) each ping once. The job runs inside `followthrough serve`'s scheduler."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.slack_clients import SlackClients
from models import DecisionEvent, Delivery, DeliveryState
from scheduler import decisions as jobs
from scheduler.runner import JobContext, Runner
from scheduler.service import build_runner
from services import decisions
from tests.support.decisions import (
    DEADLINE,
    FAST_PATH,
    START,
    Scheduler,
    ask,
    define_path,
    fast_path_scheduler,
    install_clock,
    kinds,
)
from tests.support.outbox import TOKEN, make_sender

pytest_plugins = ["tests.support.outbox_fixtures"]
postgresql_only = pytest.mark.parametrize("migrated", ["postgresql"], indirect=True)


@pytest.fixture
async def asked(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)
    await define_path(harness, "Fast", FAST_PATH, default=True)
    await ask(harness, harness.actor("U0ALEX"))


@pytest.fixture
async def scheduler(harness, clock, clients, sender) -> Scheduler:
    return await fast_path_scheduler(harness, clock, clients, sender, START)


async def ask_three(harness) -> list:
    return [await ask(harness, harness.actor("U0ALEX"), question=f"Which vendor for region {n}?") for n in range(3)]


def escalation_texts(harness) -> Counter:
    """Every message of the walk, counted: a duplicate shows up as a count of 2."""
    texts = Counter()
    for user in ("U0PRIYA", "U0ALEX", "U0LOCAL"):
        texts.update(f"{user}: {m['text']}" for m in harness.standin.messages(user) if "D-1" in m["text"])
    texts.update(m["text"] for m in harness.standin.messages("C0GENERAL") if "escalated" in m["text"])
    return texts


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_two_jobs_running_at_the_same_moment_record_and_send_each_ping_once(
    harness, asked, db, clock, standin_server
) -> None:
    _, base_url = standin_server
    clients = [SlackClients(base_url=f"{base_url}/api/", token=TOKEN) for _ in range(2)]
    contexts = [JobContext(sessions=db.sessions, clock=clock, clients=c) for c in clients]
    senders = [make_sender(db, c, clock, name=f"replica-{n}") for n, c in enumerate(clients)]
    try:
        for moment in (DEADLINE, DEADLINE + timedelta(minutes=60)):
            clock.set(moment)
            recorded = await asyncio.gather(*(jobs.walk_due(ctx) for ctx in contexts))
            assert sorted(recorded) == [0, 2 if moment == DEADLINE else 1]  # one of them did it all
            while sum([(await s.run_once()).claimed for s in senders]):
                pass
    finally:
        for c in clients:
            await c.close()

    assert await kinds(harness) == ["created", "nudged:3", "escalated:1", "escalated:2"]
    texts = escalation_texts(harness)
    assert set(texts.values()) == {1} and len(texts) == 5  # deadline nudge, level 1 (DM, note), level 2 (DM, note)


@pytest.fixture
async def two_replicas(db, standin, standin_server, clock) -> AsyncIterator[tuple[Runner, Runner]]:
    """Two scheduler processes of one deployment, each with the decisions job, on the same (movable) clock."""
    _, base_url = standin_server
    replicas = [
        Runner(database=db, clients=SlackClients(base_url=f"{base_url}/api/", token=TOKEN), clock=clock)
        for _ in range(2)
    ]
    for replica in replicas:
        jobs.register(replica)
    yield replicas[0], replicas[1]
    for replica in replicas:
        await replica.stop()


async def settled(db, count: int) -> None:
    """Wait (bounded) until the replicas running in the background have sent `count` walk messages."""
    for _ in range(400):
        async with db.sessions() as session:
            sent = await session.scalar(
                select(func.count()).where(Delivery.state == DeliveryState.SENT, Delivery.key.contains(":r1:"))
            )
        if sent >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"only {sent} of {count} walk messages were sent")


@postgresql_only
@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_two_schedulers_on_postgresql_ping_once(harness, asked, db, clock, two_replicas) -> None:
    first, second = two_replicas
    clock.set(DEADLINE)
    await first.start()
    await second.start()
    assert (first.leading, second.leading) == (True, False)

    # Both try: the follower's run is what a second copy would do if it wrongly thought it led.
    await second.run_job(jobs.JOB_NAME)
    await first.run_job(jobs.JOB_NAME)
    await settled(db, 3)

    texts = escalation_texts(harness)
    assert set(texts.values()) == {1} and len(texts) == 3
    async with db.sessions() as session:
        keys = [e.ping_key for e in await session.scalars(select(DecisionEvent)) if e.ping_key]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 2


async def test_serve_runs_the_decisions_job(harness) -> None:
    runner = build_runner(harness.db, harness.app.state.bolt, harness.app.state.metrics)
    try:
        assert runner.jobs[jobs.JOB_NAME] == (jobs.walk_due, jobs.JOB_SECONDS)
    finally:
        await runner.clients.close()


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_decisions_due_together_each_get_their_own_pings_once(harness, scheduler, caplog) -> None:
    asked = await ask_three(harness)
    caplog.set_level(logging.INFO, logger=jobs.__name__)

    assert await scheduler.at(DEADLINE) == 6  # the deadline nudge and level 1 of each
    assert await scheduler.at(DEADLINE) == 0  # a repeated run sends nothing

    for decision in asked:
        assert await kinds(harness, decision) == ["created", "nudged:3", "escalated:1"]
    dms = Counter(m["text"] for m in harness.standin.messages("U0PRIYA") if "is due now" in m["text"])
    assert sorted(dms.values()) == [1, 1, 1] and all(f"D-{d.number}" in " ".join(dms) for d in asked)
    assert "one by one" not in caplog.text  # walked together, not decision by decision after a failure


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_a_decision_that_cannot_be_walked_does_not_hold_up_those_due_with_it(
    harness, scheduler, monkeypatch
) -> None:
    first, *others = await ask_three(harness)
    queue_ping = jobs.queue_ping

    async def broken_for_the_first(session, decision, *args, **kwargs) -> None:
        if decision.id == first.id:
            raise RuntimeError("a decision the walk cannot handle")
        await queue_ping(session, decision, *args, **kwargs)

    monkeypatch.setattr(jobs, "queue_ping", broken_for_the_first)
    assert await scheduler.at(DEADLINE) == 4
    assert await kinds(harness, first) == ["created"]  # nothing of it recorded, nothing sent
    for decision in others:
        assert await kinds(harness, decision) == ["created", "nudged:3", "escalated:1"]

    monkeypatch.setattr(jobs, "queue_ping", queue_ping)  # mended: the next run catches up
    assert await scheduler.at(timedelta(minutes=1)) == 2
    assert await kinds(harness, first) == ["created", "nudged:3", "escalated:1"]


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_a_group_that_finds_its_pings_recorded_first_sends_nothing_twice(
    harness, scheduler, monkeypatch, caplog
) -> None:
    asked = await ask_three(harness)
    assert await scheduler.at(DEADLINE) == 6
    caplog.set_level(logging.INFO, logger=jobs.__name__)
    walks_for = decisions.walks_for

    async def read_before_the_other_scheduler_recorded(session, group, workspaces):
        walks = await walks_for(session, group, workspaces)
        return {i: replace(walk, fired={}, moved_on=frozenset()) for i, walk in walks.items()}

    monkeypatch.setattr(decisions, "walks_for", read_before_the_other_scheduler_recorded)
    assert await scheduler.at(DEADLINE + timedelta(minutes=60)) == 3  # level 2 of each, from the real timeline

    assert "walked some of decisions" in caplog.text
    for decision in asked:
        assert await kinds(harness, decision) == ["created", "nudged:3", "escalated:1", "escalated:2"]
    dms = Counter(m["text"] for m in harness.standin.messages("U0PRIYA") if "is due now" in m["text"])
    assert sorted(dms.values()) == [1, 1, 1]
