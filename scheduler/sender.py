"""The outbox sender: claims due deliveries, calls Slack with bounded concurrency, records what Slack said.

Exactly once, as far as it can be had: the claim (state=sending, a lease) is committed before the Slack call
and the result is committed right after it, before the delivery's turn ends (scheduler/recorder.py writes the
results that arrive together in one statement, still checking each row's lease). A call is only started while at
least LEASE_MARGIN of its lease is left (more than the HTTP timeout), so a slow call cannot overlap with a
takeover. When the outcome of a call is unknown (a timeout, a dropped connection, a 5xx, or a lease that ran
out because its sender died mid-call), Slack may have posted the message all the same: the delivery records
since when, and before a chat.postMessage is tried again the sender looks for it in the conversation
(scheduler/readback.py; every post carries metadata naming its delivery). Found, it is recorded as sent.
A duplicate is left possible only where that look cannot be had: other methods than chat.postMessage
(chat.postEphemeral has no history to look in), and a read-back Slack refuses (chiefly missing_scope where
im:history is not granted yet); the sender then posts again and counts it (readbacks_total, "unavailable").

Rate limits: Slack limits each method per workspace (chat.postMessage also per channel), and a 429 does not
say which limit was hit. On a 429 the delivery goes back to pending until Retry-After, and every sender holds
back every delivery of that workspace and method until then (a send_hold row the claims skip; this sender
also remembers it for the rest of its batch); other workspaces and methods keep flowing.

Replicas: every process runs a sender, each serving its share of the workspaces (scheduler/partitions.py), so
a workspace's cap of per_workspace calls in flight holds across the deployment.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import random
import socket
import time
import uuid
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.installation_store import Team
from bot.metrics import Metrics
from bot.slack_clients import SlackClients, retry_after
from handlers.outbox.messages import failure_notice
from models import Delivery, DeliveryState, Workspace
from scheduler import readback
from scheduler.attention import Attention, needs_clearing
from scheduler.partitions import REBALANCE_SECONDS, AllWorkspaces, Partitions
from scheduler.readback import POSTS, Result
from scheduler.recorder import Recorder
from services import delivery as states
from services import outbox, send_holds
from services.delivery import AUDIENCE_ERRORS, NOTICE_KIND, TRANSIENT_ERRORS, Share

log = logging.getLogger(__name__)

# Where the parent's ts goes for methods that act on the parent's message rather than its thread.
TS_ARG = {"chat.update": "ts", "chat.delete": "ts"}


@dataclass(frozen=True)
class SenderConfig:
    concurrency: int = 32  # Slack calls in flight, in total
    per_workspace: int = 4  # ... and per workspace (also what one pass claims from each workspace)
    batch: int = 128  # deliveries claimed per pass: per_workspace from each of up to batch / per_workspace
    lease: timedelta = timedelta(seconds=60)
    lease_margin: timedelta = timedelta(seconds=20)  # > the HTTP timeout (bot/slack_clients.py)
    idle_poll: float = 1.0  # seconds between looks at the outbox when nothing is due sooner
    retry: states.RetryPolicy = field(default_factory=states.RetryPolicy)


class Outcome(StrEnum):
    SENT = "sent"
    FOUND = "found"  # an earlier call whose outcome was unknown had posted it: recorded, not posted again
    RETRIED = "retried"
    RATELIMITED = "ratelimited"
    HELD = "held"  # claimed, not sent: its workspace's method is rate limited; handed back
    WAITING = "waiting"  # a DM the attention policy holds for later, or rounds up into the person's morning
    FAILED = "failed"


@dataclass
class Pass:
    """What one run_once did."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __getitem__(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)


@dataclass
class _Batch:
    teams: dict[int, Team]
    parents: dict[tuple[int, str], Delivery]
    clients: dict[int, AsyncWebClient | None]  # None: not installed there
    held: list[Delivery] = field(default_factory=list)


class Sender:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        clients: SlackClients,
        clock: Clock,
        metrics: Metrics | None = None,
        config: SenderConfig | None = None,
        name: str | None = None,
        rng: random.Random | None = None,
        partitions: Partitions | None = None,
    ) -> None:
        self.sessions = sessions
        self.clients = clients
        self.clock = clock
        self.metrics = metrics or Metrics()
        self.config = config or SenderConfig()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.rng = rng or random.Random()
        self.holds: dict[tuple[int, str], datetime] = {}  # (workspace_id, method) -> not before
        self._slots = asyncio.Semaphore(self.config.concurrency)
        self._workspace_slots: dict[int, asyncio.Semaphore] = {}
        self.attention = Attention(sessions=sessions, clock=clock)
        self.recorder = Recorder(sessions=sessions, clock=clock, claimer=self.name)
        self.partitions = partitions or AllWorkspaces()
        self.share: Share | None = None  # the workspaces this sender serves (None: all); set by run()

    # the loop ------------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set: straight on while there is work, else until the next delivery is due.
        Between passes, now and then, look again at which workspaces are this sender's (scheduler/partitions.py)."""
        looked = -math.inf
        try:
            while not stop.is_set():
                if time.monotonic() - looked >= REBALANCE_SECONDS:
                    self.share, looked = await self.partitions.refresh(), time.monotonic()
                await self._run_step(stop)
        finally:
            await self.partitions.release()

    async def _run_step(self, stop: asyncio.Event) -> None:
        try:
            done = await self.run_once()
            wait = 0.0 if done.claimed else await self.seconds_to_next()
        except Exception:
            log.exception("outbox pass failed; trying again shortly")
            wait = self.config.idle_poll
        if wait > 0:
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)

    async def seconds_to_next(self) -> float:
        now = self.clock.now()
        self._forget_expired_holds(now)
        async with self.sessions() as session:
            when = await states.next_due(session, now=now, held=self.holds.keys(), share=self.share)
        candidates = [t for t in (when, *self.holds.values()) if t is not None]
        if not candidates:
            return self.config.idle_poll
        # Due already but not claimable (another sender is mid-claim): don't spin.
        return min(self.config.idle_poll, max(0.05, (min(candidates) - now).total_seconds()))

    # one pass ------------------------------------------------------------------------------------------
    async def run_once(self) -> Pass:
        """Claim one batch of due deliveries, send them, record each result. Safe to run concurrently."""
        now = self.clock.now()
        self._forget_expired_holds(now)
        async with self.sessions.begin() as session:
            claimed = await states.claim(
                session,
                now=now,
                claimer=self.name,
                lease=self.config.lease,
                limit=self.config.batch,
                per_workspace=self.config.per_workspace,
                held=list(self.holds),
                share=self.share,
            )
        done = Pass(claimed=len(claimed))
        if not claimed:
            return done
        batch = await self._prepare(claimed)
        for outcome in await self._deliver_all(claimed, batch):
            done.outcomes[outcome] += 1
            self.metrics.delivery(outcome)
        if batch.held:
            await self._release(batch.held)
        return done

    async def _prepare(self, claimed: list[Delivery]) -> _Batch:
        async with self.sessions() as session:
            ids = {d.workspace_id for d in claimed}
            rows = await session.execute(
                select(Workspace.id, Workspace.team_id, Workspace.enterprise_id).where(Workspace.id.in_(ids))
            )
            teams = {row.id: (row.team_id, row.enterprise_id) for row in rows}
            parents = await states.parents_of(session, claimed)
        # One installation lookup for the pass's workspaces, after the session is done with.
        found = await self.clients.clients_for([team for team in teams.values() if team[0]])
        clients = {workspace_id: found.get(team) for workspace_id, team in teams.items()}
        return _Batch(teams=teams, parents=parents, clients=clients)

    async def _deliver_all(self, claimed: list[Delivery], batch: _Batch) -> list[Outcome]:
        """Each delivery in the claim's order, at most `concurrency` at a time: that many workers take the next
        one in turn (cheaper than a task per delivery queueing on the semaphore, whose every wait scans the queue)."""
        waiting, outcomes = iter(claimed), []

        async def work() -> None:
            for delivery in waiting:
                outcomes.append(await self._deliver(delivery, batch))

        await asyncio.gather(*(work() for _ in range(min(self.config.concurrency, len(claimed)))))
        return outcomes

    async def _deliver(self, delivery: Delivery, batch: _Batch) -> Outcome:
        slots = self._workspace_slots.setdefault(delivery.workspace_id, asyncio.Semaphore(self.config.per_workspace))
        async with self._slots, slots:
            now = self.clock.now()
            hold = self.holds.get((delivery.workspace_id, delivery.method))
            if (hold is not None and hold > now) or not self._in_time(delivery):
                batch.held.append(delivery)
                return Outcome.HELD
            args = dict(delivery.args)
            if needs_clearing(delivery):
                client = batch.clients.get(delivery.workspace_id)
                if client is None:
                    return await self._failed(delivery, "not_installed")
                step = await self.attention.step(delivery, client, self.name)
                if not step.go:
                    return Outcome.WAITING
                args = dict(step.args or args)
                if not self._in_time(delivery):  # dnd.info was slow: cleared, and sent on the next claim
                    batch.held.append(delivery)
                    return Outcome.HELD
            if delivery.thread_of:
                parent = batch.parents.get((delivery.workspace_id, delivery.thread_of))
                if parent is None or parent.state != DeliveryState.SENT:
                    state = parent.state if parent is not None else "missing"
                    return await self._failed(delivery, f"parent_{state}")
                args["channel"] = parent.slack_channel
                args[TS_ARG.get(delivery.method, "thread_ts")] = parent.slack_ts
            client = batch.clients.get(delivery.workspace_id)
            if client is None:
                return await self._failed(delivery, "not_installed")
            if delivery.method == POSTS:
                args = readback.stamp(args, key=delivery.key, team_id=batch.teams[delivery.workspace_id][0])
                if delivery.outcome_unknown_since is not None:
                    looked = await self._look_back(delivery, client, args, batch)
                    if looked is not None:
                        return looked
            return await self._call(delivery, client, args)

    async def _call(self, delivery: Delivery, client: AsyncWebClient, args: dict) -> Outcome:
        started = self.clock.now()
        try:
            answer = await client.api_call(delivery.method, json=args)
        except SlackApiError as exc:
            return await self._refused(delivery, exc, started)
        except Exception as exc:  # connection errors, timeouts: Slack may or may not have carried the call out
            error = "timeout" if isinstance(exc, TimeoutError) else f"connection_error:{type(exc).__name__}"
            log.warning(
                "%s %s to %s: %s", delivery.method, delivery.key, delivery.target, str(exc) or type(exc).__name__
            )
            return await self._transient(delivery, error, unknown_since=started)
        return await self._sent(delivery, answer.data if isinstance(answer.data, dict) else {})

    async def _look_back(self, delivery: Delivery, client: AsyncWebClient, args: dict, batch: _Batch) -> Outcome | None:
        """Before posting again what may have been posted: look for it. None: not found, post it now."""
        look = await readback.look_for(
            client,
            args=args,
            key=delivery.key,
            team_id=batch.teams[delivery.workspace_id][0],
            since=delivery.outcome_unknown_since,
            in_time=lambda: self._in_time(delivery),
        )
        self.metrics.readback(look.result)
        if look.answered and look.method and look.error:
            self.metrics.slack_error(look.method, look.error)
        if look.result == Result.FOUND:
            log.info("%s was posted by an earlier call (ts %s); not posting it again", delivery.key, look.ts)
            await self._sent(delivery, {"channel": look.channel, "ts": look.ts})
            return Outcome.FOUND
        if look.result == Result.HELD or (look.result == Result.ABSENT and not self._in_time(delivery)):
            batch.held.append(delivery)
            return Outcome.HELD
        if look.result == Result.RATELIMITED:
            return await self._retry_at(delivery, self.clock.now() + timedelta(seconds=look.retry_after))
        if look.result == Result.RETRIED:
            return await self._transient(delivery, f"readback:{look.error}")
        if look.result == Result.UNAVAILABLE:
            log.warning("cannot look for %s (%s %s); posting it again", delivery.key, look.method, look.error)
        return None

    def _in_time(self, delivery: Delivery) -> bool:
        """A Slack call may start: enough of the claim's lease is left for it to end inside the lease."""
        return self.clock.now() <= delivery.claimed_until - self.config.lease_margin

    # outcomes ------------------------------------------------------------------------------------------
    async def _sent(self, delivery: Delivery, answer: dict) -> Outcome:
        channel = answer.get("channel") if isinstance(answer.get("channel"), str) else None
        ts = answer.get("ts") or answer.get("message_ts")
        await self.recorder.record(states.Sent(delivery.id, channel, ts), delivery.key)
        return Outcome.SENT

    async def _refused(self, delivery: Delivery, exc: SlackApiError, started: datetime) -> Outcome:
        response = exc.response
        data = response.data if isinstance(response.data, dict) else {}
        status = response.status_code
        error = str(data.get("error") or f"http_{status}")
        self.metrics.slack_error(delivery.method, error)
        if status == 429 or error == "ratelimited":
            return await self._rate_limited(delivery, retry_after(response.headers))
        if status >= 500 or error in TRANSIENT_ERRORS:  # a 5xx may come after Slack has carried the call out
            return await self._transient(delivery, error, unknown_since=started)
        return await self._failed(delivery, error)

    async def _rate_limited(self, delivery: Delivery, seconds: float) -> Outcome:
        until = self.clock.now() + timedelta(seconds=seconds)
        key = (delivery.workspace_id, delivery.method)
        self.holds[key] = max(until, self.holds.get(key, until))
        return await self._retry_at(delivery, until, hold=True)

    async def _retry_at(self, delivery: Delivery, until: datetime, hold: bool = False) -> Outcome:
        """A 429 (the call's or its read-back's): back to pending until `until`, no attempt used up. `hold`: the
        workspace's method waits as long on every replica's sender."""
        async with self.sessions.begin() as session:
            if hold:
                await send_holds.hold(session, workspace_id=delivery.workspace_id, method=delivery.method, until=until)
            await states.retry_later(
                session, delivery_id=delivery.id, claimer=self.name, at=until, error="ratelimited", counts=False
            )
        return Outcome.RATELIMITED

    async def _transient(self, delivery: Delivery, error: str, unknown_since: datetime | None = None) -> Outcome:
        if unknown_since is not None and delivery.outcome_unknown_since is not None:
            unknown_since = min(unknown_since, delivery.outcome_unknown_since)  # look back from the first
        async with self.sessions.begin() as session:
            retried = await states.transient_failure(
                session,
                delivery=delivery,
                claimer=self.name,
                now=self.clock.now(),
                error=error,
                policy=self.config.retry,
                rng=self.rng,
                unknown_since=unknown_since,
            )
        if not retried:
            log.error("giving up on %s after %d attempts: %s", delivery.key, delivery.attempts + 1, error)
        return Outcome.RETRIED if retried else Outcome.FAILED

    async def _failed(self, delivery: Delivery, error: str) -> Outcome:
        log.warning("%s %s to %s failed for good: %s", delivery.method, delivery.key, delivery.target, error)
        async with self.sessions.begin() as session:
            await states.mark_failed(session, delivery_id=delivery.id, claimer=self.name, error=error)
            if delivery.owner and error in AUDIENCE_ERRORS and delivery.kind != NOTICE_KIND:
                await self._tell_owner(session, delivery, error)
        return Outcome.FAILED

    async def _tell_owner(self, session: AsyncSession, delivery: Delivery, error: str) -> None:
        owner, target = delivery.owner or "", delivery.target
        if not await states.note_failure(
            session, workspace_id=delivery.workspace_id, owner=owner, target=target, error=error
        ):
            return
        await outbox.enqueue(
            session,
            workspace_id=delivery.workspace_id,
            key=f"failure-notice:{owner}:{target}:{error}",
            kind=NOTICE_KIND,
            method="chat.postMessage",
            args=failure_notice(owner=owner, target=target, error=error, kind=delivery.kind),
            not_before=self.clock.now(),
        )

    async def _release(self, held: list[Delivery]) -> None:
        now = self.clock.now()
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for delivery in held:
            groups[(delivery.workspace_id, delivery.method)].append(delivery.id)
        async with self.sessions.begin() as session:
            for key, ids in groups.items():
                at = max(now, self.holds.get(key, now))
                await states.release(session, delivery_ids=ids, claimer=self.name, at=at)

    def _forget_expired_holds(self, now: datetime) -> None:
        for key in [k for k, until in self.holds.items() if until <= now]:
            del self.holds[key]
