"""services.outbox: what features rely on when they queue a Slack call (both databases)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Delivery, DeliveryState
from services import outbox
from tests.support.outbox import delivery, dm

pytest_plugins = ["tests.support.outbox_fixtures"]


async def test_enqueue_is_idempotent_per_workspace_key(db, workspace, clock) -> None:
    first = await dm(db, workspace, clock, "checkin:1:ask:U0ALEX", "U0ALEX", "first")
    again = await dm(db, workspace, clock, "checkin:1:ask:U0ALEX", "U0ALEX", "second", after=60)

    assert again.id == first.id
    stored = await delivery(db, "checkin:1:ask:U0ALEX")
    assert (stored.args["text"], stored.next_attempt_at) == ("first", clock.now())  # the first write wins
    assert (stored.state, stored.target, stored.attempts) == (DeliveryState.PENDING, "U0ALEX", 0)


async def test_concurrent_enqueues_of_one_key_make_one_row(db, workspace, clock) -> None:
    rows = await asyncio.gather(*(dm(db, workspace, clock, "digest:9", "U0LOCAL") for _ in range(5)))

    assert len({row.id for row in rows}) == 1
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 1


async def test_target_comes_from_the_arguments_or_the_thread(db, workspace, clock) -> None:
    async with db.sessions.begin() as session:
        common = {"workspace_id": workspace.id, "kind": "k", "not_before": clock.now()}
        home = await outbox.enqueue(
            session, key="home", method="views.publish", args={"user_id": "U0ALEX", "view": {}}, **common
        )
        whisper = await outbox.enqueue(
            session, key="eph", method="chat.postEphemeral", args={"channel": "C1", "user": "U0PRIYA"}, **common
        )
        parent = await outbox.enqueue(
            session, key="round", method="chat.postMessage", args={"channel": "C0GENERAL", "text": "x"}, **common
        )
        reply = await outbox.enqueue(
            session, key="reply", method="chat.postMessage", args={"text": "y"}, thread_of="round", **common
        )
    assert (home.target, whisper.target, parent.target, reply.target) == ("U0ALEX", "U0PRIYA", "C0GENERAL", "C0GENERAL")
    assert reply.thread_of == "round"


async def test_bad_enqueues_are_refused_before_anything_is_stored(db, workspace, clock) -> None:
    async with db.sessions.begin() as session:
        common = {"workspace_id": workspace.id, "kind": "k", "method": "chat.postMessage", "not_before": clock.now()}
        with pytest.raises(ValueError, match="enqueue the parent first"):
            await outbox.enqueue(session, key="a", args={"text": "x"}, thread_of="nope", **common)
        with pytest.raises(ValueError, match="no channel or user"):
            await outbox.enqueue(session, key="b", args={"text": "x"}, **common)
        with pytest.raises(ValueError, match="plain JSON"):
            await outbox.enqueue(session, key="c", args={"channel": "C1", "blocks": [object()]}, **common)
        with pytest.raises(ValueError, match="aware"):
            await outbox.enqueue(
                session, key="d", args={"channel": "C1"}, **{**common, "not_before": clock.now().replace(tzinfo=None)}
            )
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0


async def test_cancel_takes_the_prefix_literally_and_spares_what_is_not_pending(db, workspace, clock) -> None:
    for key in ("round:7:ask:U1", "round:7:ask:U2", "round:70:ask:U1", "round_7:ask:U1", "roundX7:ask:U1"):
        await dm(db, workspace, clock, key, "U0ALEX")
    async with db.sessions.begin() as session:
        sent = await outbox.get(session, workspace_id=workspace.id, key="round:7:ask:U2")
        sent.state = DeliveryState.SENT

    async with db.sessions.begin() as session:
        assert await outbox.cancel(session, workspace_id=workspace.id, key_prefix="round:7:") == 1
        assert await outbox.cancel(session, workspace_id=workspace.id, key_prefix="round_") == 1  # `_` is no wildcard
        with pytest.raises(ValueError):
            await outbox.cancel(session, workspace_id=workspace.id, key_prefix="")

    states = {
        key: (await delivery(db, key)).state
        for key in ("round:7:ask:U1", "round:7:ask:U2", "round:70:ask:U1", "round_7:ask:U1", "roundX7:ask:U1")
    }
    assert states == {
        "round:7:ask:U1": "cancelled",
        "round:7:ask:U2": "sent",
        "round:70:ask:U1": "pending",
        "round_7:ask:U1": "cancelled",
        "roundX7:ask:U1": "pending",
    }


async def test_reschedule_moves_only_pending_deliveries(db, workspace, clock) -> None:
    await dm(db, workspace, clock, "a", "U0ALEX")
    await dm(db, workspace, clock, "b", "U0ALEX")
    later = clock.now() + timedelta(hours=2)
    async with db.sessions.begin() as session:
        (await outbox.get(session, workspace_id=workspace.id, key="b")).state = DeliveryState.CANCELLED
        moved = await outbox.reschedule(session, workspace_id=workspace.id, key="a", not_before=later)
        assert await outbox.reschedule(session, workspace_id=workspace.id, key="b", not_before=later) is None
        assert await outbox.reschedule(session, workspace_id=workspace.id, key="zzz", not_before=later) is None
    assert moved is not None
    stored = await delivery(db, "a")
    assert stored.due_at == stored.next_attempt_at == later


async def test_due_lists_pending_deliveries_whose_time_has_come_oldest_first(db, workspace, clock) -> None:
    await dm(db, workspace, clock, "later", "U0ALEX", after=60)
    await dm(db, workspace, clock, "now", "U0ALEX")
    await dm(db, workspace, clock, "earlier", "U0ALEX", after=-30)

    async with db.sessions() as session:
        assert [d.key for d in await outbox.due(session, now=clock.now(), limit=10)] == ["earlier", "now"]
        assert [d.key for d in await outbox.due(session, now=clock.now(), limit=1)] == ["earlier"]
        backlog = await outbox.backlog(session, now=clock.now())
    assert backlog.by_state == {"pending": 3, "sending": 0}  # open work only: a scrape never reads the history
    assert backlog.due == 2 and backlog.oldest_age(clock.now()) == 30


async def test_finished_deliveries_are_purged_after_retention(db, workspace, clock) -> None:
    await dm(db, workspace, clock, "old-sent", "U0ALEX")
    await dm(db, workspace, clock, "old-pending", "U0ALEX")
    async with db.sessions.begin() as session:
        for key in ("old-sent", "old-pending"):
            row = await outbox.get(session, workspace_id=workspace.id, key=key)
            row.created_at = clock.now() - outbox.RETENTION - timedelta(days=1)
        (await outbox.get(session, workspace_id=workspace.id, key="old-sent")).state = DeliveryState.SENT
    async with db.sessions.begin() as session:
        assert await outbox.purge_finished(session, before=clock.now() - outbox.RETENTION) == 1
    assert (await delivery(db, "old-pending")).state == "pending"
