"""One active scheduler per deployment: PostgreSQL advisory lock, takeover when the leader's connection dies."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from bot.clock import MovableClock
from bot.database import Database
from bot.slack_clients import SlackClients
from models import Delivery, DeliveryState
from scheduler.leader import AdvisoryLockLeader, SingleProcessLeader, leader_for
from scheduler.runner import Runner
from tests.support.outbox import TOKEN, dm

pytest_plugins = ["tests.support.outbox_fixtures"]
postgresql_only = pytest.mark.parametrize("migrated", ["postgresql"], indirect=True)


async def terminate(db: Database, backend_pid: int) -> None:
    """What a crashed host or a cut network does to the leader's lock connection."""
    async with db.engine.connect() as conn:
        assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend_pid})


@postgresql_only
async def test_only_one_becomes_leader_and_another_takes_over_when_its_connection_dies(db) -> None:
    first, second = AdvisoryLockLeader(db.engine), AdvisoryLockLeader(db.engine)
    try:
        assert await first.acquire() is True
        assert await second.acquire() is False
        assert await first.check() is True and await second.check() is False

        await terminate(db, first.backend_pid)

        assert await first.check() is False  # the old leader notices and steps down ...
        assert await second.acquire() is True  # ... and the lock was free for the other at once
        assert await first.acquire() is False
    finally:
        await first.release()
        await second.release()


@postgresql_only
async def test_a_released_lock_can_be_taken_by_the_next_one(db) -> None:
    first, second = AdvisoryLockLeader(db.engine), AdvisoryLockLeader(db.engine)
    try:
        assert await first.acquire()
        await first.release()
        assert await second.acquire()
    finally:
        await second.release()


async def test_sqlite_is_one_process_and_always_leads(db) -> None:
    leader = leader_for(db.engine)
    expected = SingleProcessLeader if db.engine.dialect.name == "sqlite" else AdvisoryLockLeader
    assert isinstance(leader, expected)
    if isinstance(leader, SingleProcessLeader):
        assert await leader.acquire() and await leader.check()


@pytest.fixture
async def two_replicas(db, standin, standin_server) -> AsyncIterator[tuple[Runner, Runner]]:
    """Two scheduler processes of one deployment (each with its own clients and lock connection)."""
    _, base_url = standin_server
    replicas = [Runner(database=db, clients=SlackClients(base_url=f"{base_url}/api/", token=TOKEN)) for _ in range(2)]
    yield replicas[0], replicas[1]
    for replica in replicas:
        await replica.stop()


async def delivered(db: Database, count: int) -> None:
    """Wait (bounded) until `count` deliveries are sent by the replicas running in the background."""
    for _ in range(200):
        async with db.sessions() as session:
            sent = await session.scalar(select(func.count()).where(Delivery.state == DeliveryState.SENT))
        if sent >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"only {sent} of {count} deliveries were sent")


@postgresql_only
async def test_two_scheduler_processes_deliver_each_message_once_also_across_a_takeover(
    db,
    workspace,
    standin,
    two_replicas,
) -> None:
    clock = MovableClock(datetime.now(UTC))  # the replicas run on the system clock
    first, second = two_replicas
    await first.start()
    await second.start()
    assert (first.leading, second.leading) == (True, False)
    for n in range(10):
        await dm(db, workspace, clock, f"round:1:ask:{n}", "U0ALEX", f"round 1, message {n}")
    await delivered(db, 10)

    await terminate(db, first.leader.backend_pid)
    assert await first.step() is False  # its next check finds the lock connection gone
    assert await second.step() is True
    assert first.sender_running and second.sender_running  # every replica sends; only the jobs move
    for n in range(10):
        await dm(db, workspace, clock, f"round:2:ask:{n}", "U0ALEX", f"round 2, message {n}")
    await delivered(db, 20)

    texts = Counter(m["text"] for m in standin.messages("U0ALEX"))
    assert len(texts) == 20 and set(texts.values()) == {1}
    assert first.metrics.leading is False and second.metrics.leading is True
