"""Exactly once across crashes and concurrency: a sender killed mid-round, and senders racing for the same rows."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.clock import MovableClock
from bot.slack_clients import SlackClients
from models import Delivery
from services import delivery as states
from tests.support.outbox import dm, make_sender

pytest_plugins = ["tests.support.outbox_fixtures"]

PEOPLE = [f"U0P{n:03d}" for n in range(12)]


@pytest.fixture
def crowd(standin):
    for user in PEOPLE:
        standin.add_user(user, name=user.lower())
    return PEOPLE


class DyingClients(SlackClients):
    """Clients whose process 'dies' (its sender task is cancelled) at the Slack call after `calls` calls:
    the claim is committed, the call never reaches Slack."""

    def __init__(self, real: SlackClients, calls: int) -> None:
        super().__init__(base_url=real.base_url, token=real.token)
        self.real, self.left, self.victim = real, calls, None

    async def client_for(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient | None:
        client = await self.real.client_for(team_id, enterprise_id)
        outer = self

        class Dying:
            async def api_call(self, method: str, **kw: object):
                if outer.left == 0:
                    outer.victim.cancel()
                    await asyncio.Event().wait()  # the cancellation lands here, before anything is sent
                outer.left -= 1
                return await client.api_call(method, **kw)

        return Dying()  # type: ignore[return-value]


class DyingAfterSlack(SlackClients):
    """Clients whose process dies right after Slack carried out its first call: the message is posted, the
    sender never records it."""

    def __init__(self, real: SlackClients) -> None:
        super().__init__(base_url=real.base_url, token=real.token)
        self.real, self.victim = real, None

    async def client_for(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient | None:
        client = await self.real.client_for(team_id, enterprise_id)
        outer = self

        class Dying:
            async def api_call(self, method: str, **kw: object):
                answer = await client.api_call(method, **kw)
                outer.victim.cancel()
                await asyncio.Event().wait()  # the cancellation lands here, before the answer is recorded
                return answer

        return Dying()  # type: ignore[return-value]


def posts_per_person(standin) -> Counter:
    return Counter(c.args["channel"] for c in standin.calls_to("chat.postMessage"))


@pytest.mark.parametrize("calls_before_death", [0, 5])
async def test_killed_mid_round_and_restarted_delivers_every_message_exactly_once(
    db,
    workspace,
    clock,
    clients,
    standin,
    crowd,
    calls_before_death,
) -> None:
    for user in crowd:
        await dm(db, workspace, clock, f"checkin:1:ask:{user}", user)
    dying = DyingClients(clients, calls_before_death)
    doomed = make_sender(db, dying, clock, concurrency=1, per_workspace=12, name="doomed")  # one call at a time
    dying.victim = asyncio.create_task(doomed.run_once())
    with pytest.raises(asyncio.CancelledError):
        await dying.victim

    async with db.sessions() as session:
        states = Counter((await session.scalars(select(Delivery.state))).all())
    assert (states["sent"], states["sending"]) == (calls_before_death, len(crowd) - calls_before_death)

    restarted = make_sender(db, clients, clock, name="restarted")
    assert (await restarted.run_once()).claimed == 0  # the dead sender's leases still hold
    clock.advance(restarted.config.lease)
    assert (await restarted.run_once()).claimed == 0  # ... until the very end of the lease
    clock.advance(1)
    while (await restarted.run_once()).claimed:
        pass

    assert posts_per_person(standin) == Counter({user: 1 for user in crowd})
    async with db.sessions() as session:
        assert set((await session.scalars(select(Delivery.state))).all()) == {"sent"}


async def test_a_sender_killed_after_slack_posted_is_not_followed_by_a_second_post(
    db, workspace, clients, standin, crowd
) -> None:
    clock = MovableClock(datetime.now(UTC))  # the stand-in stamps messages with the real time
    for user in crowd[:3]:
        await dm(db, workspace, clock, f"checkin:1:ask:{user}", user)
    dying = DyingAfterSlack(clients)
    doomed = make_sender(db, dying, clock, concurrency=1, name="doomed")
    dying.victim = asyncio.create_task(doomed.run_once())
    with pytest.raises(asyncio.CancelledError):
        await dying.victim
    assert posts_per_person(standin) == Counter({crowd[0]: 1})  # posted, never recorded

    restarted = make_sender(db, clients, clock, name="restarted")
    clock.advance(restarted.config.lease + timedelta(seconds=1))
    while (await restarted.run_once()).claimed:
        pass

    assert posts_per_person(standin) == Counter({user: 1 for user in crowd[:3]})
    assert (restarted.metrics.readbacks["found"], restarted.metrics.readbacks["absent"]) == (1, 2)
    async with db.sessions() as session:
        assert set((await session.scalars(select(Delivery.state))).all()) == {"sent"}


async def test_senders_racing_for_the_same_rows_send_each_message_once(
    db, workspace, clock, clients, standin, crowd
) -> None:
    for user in crowd:
        await dm(db, workspace, clock, f"checkin:1:ask:{user}", user)
    senders = [make_sender(db, clients, clock, batch=2, name=f"replica-{n}") for n in range(3)]

    async def drain(sender) -> int:
        sent = 0
        while (done := await sender.run_once()).claimed:
            sent += done["sent"]
        return sent

    sent = await asyncio.gather(*(drain(s) for s in senders))

    assert sum(sent) == len(crowd)
    assert posts_per_person(standin) == Counter({user: 1 for user in crowd})


async def test_a_call_is_not_started_when_too_little_of_its_lease_is_left(
    db, workspace, clock, clients, standin
) -> None:
    """A claim whose lease nearly ran out (a stalled batch) is handed back instead of racing a takeover."""
    await dm(db, workspace, clock, "ask", "U0ALEX")
    sender = make_sender(db, clients, clock)
    real_prepare = sender._prepare

    async def stall(claimed):
        clock.advance(sender.config.lease - sender.config.lease_margin / 2)
        return await real_prepare(claimed)

    sender._prepare = stall  # type: ignore[method-assign]
    assert (await sender.run_once())["held"] == 1
    assert standin.calls == []
    sender._prepare = real_prepare  # type: ignore[method-assign]
    assert (await sender.run_once())["sent"] == 1


async def test_concurrent_claims_are_disjoint_and_each_keeps_its_limit(db, workspace, clock, crowd) -> None:
    for user in crowd:
        await dm(db, workspace, clock, f"checkin:1:ask:{user}", user)

    async def claim(name: str) -> list[str]:
        async with db.sessions.begin() as session:
            claimed = await states.claim(
                session, now=clock.now(), claimer=name, lease=timedelta(minutes=1), limit=2, per_workspace=2
            )
            await asyncio.sleep(0.02)  # keep the transaction open while the others claim: the race is the point
            return [d.key for d in claimed]

    claims = await asyncio.gather(*(claim(f"replica-{n}") for n in range(3)))

    assert [len(keys) for keys in claims] == [2, 2, 2]
    assert len({key for keys in claims for key in keys}) == 6
