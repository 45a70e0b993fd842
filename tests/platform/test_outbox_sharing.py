"""How senders on several replicas share the outbox, in one process: a 429 one sender is given holds back
the others too, each sender claims only its share of the workspaces, and the shares rebalance as senders join
and die (PostgreSQL advisory locks)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text

from scheduler.partitions import PARTITIONS, AdvisoryPartitions, AllWorkspaces, partitions_for
from services import people
from services.delivery import Share
from tests.support.outbox import delivery, dm, make_sender, texts

pytest_plugins = ["tests.support.outbox_fixtures"]
postgresql_only = pytest.mark.parametrize("migrated", ["postgresql"], indirect=True)


async def test_a_429_given_to_one_sender_holds_that_workspace_back_on_every_sender(
    db, workspace, clock, clients, standin
) -> None:
    told, other = make_sender(db, clients, clock, name="replica-1"), make_sender(db, clients, clock, name="replica-2")
    async with db.sessions.begin() as session:
        elsewhere = await people.ensure_workspace(session, team_id="T0SECOND")
    await dm(db, workspace, clock, "first", "U0ALEX", "first")
    standin.fail("chat.postMessage", status=429, retry_after=30, times=1)
    assert (await told.run_once())["ratelimited"] == 1

    await dm(db, workspace, clock, "second", "U0PRIYA", "second")
    await dm(db, elsewhere, clock, "theirs", "U0PRIYA", "theirs")
    done = await other.run_once()  # knows nothing of the 429 in its own memory

    assert (done.claimed, done["sent"]) == (1, 1)  # only the other workspace's message
    assert texts(standin, "U0PRIYA") == ["theirs"]
    assert await other.seconds_to_next() == other.config.idle_poll  # 30 s away: it looks again in a second
    clock.advance(timedelta(seconds=30))
    while (await other.run_once()).claimed:
        pass
    assert texts(standin, "U0ALEX") == ["first"] and texts(standin, "U0PRIYA") == ["theirs", "second"]
    assert (await delivery(db, "first")).attempts == 1


async def test_a_sender_claims_only_the_workspaces_of_its_share(db, workspace, clock, clients, standin) -> None:
    async with db.sessions.begin() as session:
        elsewhere = await people.ensure_workspace(session, team_id="T0SECOND")
    await dm(db, workspace, clock, "mine", "U0ALEX", "mine")
    await dm(db, elsewhere, clock, "theirs", "U0PRIYA", "theirs")
    sender = make_sender(db, clients, clock)
    sender.share = Share(PARTITIONS, frozenset({workspace.id % PARTITIONS}))

    assert (await sender.run_once()).claimed == 1
    assert await sender.seconds_to_next() == sender.config.idle_poll  # the other one is not its to wait for
    sender.share = Share(PARTITIONS, frozenset())
    assert (await sender.run_once()).claimed == 0
    sender.share = None  # every workspace (SQLite, one process)
    assert (await sender.run_once())["sent"] == 1
    assert texts(standin, "U0ALEX") == ["mine"] and texts(standin, "U0PRIYA") == ["theirs"]


async def test_sqlite_serves_every_workspace_from_one_process(db) -> None:
    partitions = partitions_for(db.engine)
    expected = AllWorkspaces if db.engine.dialect.name == "sqlite" else AdvisoryPartitions
    assert isinstance(partitions, expected)
    await partitions.release()


@postgresql_only
async def test_partitions_rebalance_when_a_sender_joins_and_when_one_dies(db) -> None:
    first, second, third = (AdvisoryPartitions(db.engine) for _ in range(3))
    try:
        assert len((await first.refresh()).mine) == PARTITIONS  # alone: everything
        assert len((await second.refresh()).mine) == 0  # all taken; the first sheds at its next look
        assert len((await first.refresh()).mine) == PARTITIONS // 2
        assert len((await second.refresh()).mine) == PARTITIONS // 2
        assert (await first.refresh()).mine.isdisjoint((await second.refresh()).mine)

        await third.refresh()
        for partitions in (first, second, third, first, second, third):
            await partitions.refresh()
        shares = [len(p.mine) for p in (first, second, third)]
        # Nobody holds more than its fair share, ceil(16 / 3), and every partition is served.
        assert max(shares) == 6 and sum(shares) == len(first.mine | second.mine | third.mine) == PARTITIONS

        async with db.engine.connect() as conn:  # the third's host dies: its connection, and its locks, go
            gone = third.backend_pid
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": gone})
            alive = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            for _ in range(100):  # the signal is sent at once; the server process ends a moment later
                if not await conn.scalar(alive, {"pid": gone}):
                    break
                await asyncio.sleep(0.05)
        await first.refresh()
        await second.refresh()
        assert len(first.mine) + len(second.mine) == PARTITIONS
        assert (await third.refresh()).mine == frozenset()  # it notices, and serves nothing until it is back
    finally:
        for partitions in (first, second, third):
            await partitions.release()
