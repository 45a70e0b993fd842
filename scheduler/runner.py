"""The scheduler: APScheduler for the periodic "what is due now?" jobs, running only while this process leads
(scheduler/leader.py), plus the outbox sender, running in every process: the senders of all replicas share the
workspaces between them (scheduler/partitions.py).

Features add their jobs with `runner.register_job(name, func, seconds)` from a `register(runner)` in their
own scheduler module (listed in scheduler/features.py). A job is `async def job(ctx: JobContext) -> None`; it
derives what is due from the database at `ctx.now()` and enqueues deliveries with idempotency keys, so a
late run catches up and a repeated run finds nothing left to do. Jobs never call Slack to send: the sender
does, on its own loop, waking when the next delivery is due rather than on a fixed tick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.database import Database
from bot.heap import settle_warm_heap
from bot.metrics import Metrics
from bot.slack_clients import SlackClients
from scheduler.leader import Leader, leader_for
from scheduler.partitions import Partitions, partitions_for
from scheduler.sender import Sender, SenderConfig

log = logging.getLogger(__name__)

LEADER_RETRY_SECONDS = 10.0  # a follower tries for the lock this often: a takeover within ~10 s of the loss
LEADER_CHECK_SECONDS = 10.0  # the leader checks its lock connection this often
SENDER_STOP_SECONDS = 30.0  # on stopping, let in-flight Slack calls finish and be recorded


@dataclass(frozen=True)
class JobContext:
    """What a scheduled job gets: sessions to read and write, the clock, and Slack clients per workspace."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    clients: SlackClients

    def now(self) -> datetime:
        return self.clock.now()


JobFunc = Callable[[JobContext], Awaitable[None]]


class Runner:
    def __init__(
        self,
        *,
        database: Database,
        clients: SlackClients,
        metrics: Metrics | None = None,
        clock: Clock | None = None,
        leader: Leader | None = None,
        sender_config: SenderConfig | None = None,
        partitions: Partitions | None = None,
        settle_when_warm: bool = False,
    ) -> None:
        self.clock = clock or SystemClock()
        self.metrics = metrics or Metrics()
        self.clients = clients
        self.leader = leader or leader_for(database.engine)
        self.context = JobContext(sessions=database.sessions, clock=self.clock, clients=clients)
        self.sender = Sender(
            sessions=database.sessions,
            clients=clients,
            clock=self.clock,
            metrics=self.metrics,
            config=sender_config,
            partitions=partitions or partitions_for(database.engine),
        )
        # Coalesce and no misfire limit: runs missed while paused or busy become one run, however late.
        self.scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        self.jobs: dict[str, tuple[JobFunc, float]] = {}
        self._ran: set[str] = set()  # jobs run once, until every one has: then the heap is settled again
        self._warm = not settle_when_warm  # a long-running process settles its heap once warm (bot/heap.py)
        self._lead_task: asyncio.Task | None = None
        self._sender_task: asyncio.Task | None = None
        self._sender_stop = asyncio.Event()

    @property
    def leading(self) -> bool:
        return self.metrics.leading

    @property
    def sender_running(self) -> bool:
        return self._sender_task is not None and not self._sender_task.done()

    def register_job(self, name: str, func: JobFunc, seconds: float) -> None:
        """Run `func(ctx)` every `seconds` while leading, and once as soon as leadership starts."""
        if name in self.jobs:
            raise ValueError(f"a job named {name!r} is registered already")
        self.jobs[name] = (func, seconds)
        if self.scheduler.running:
            self._schedule(name)

    async def run_job(self, name: str) -> None:
        """Run one job now, counted and logged like a scheduled run."""
        func, _ = self.jobs[name]
        try:
            await func(self.context)
        except Exception:
            log.exception("scheduled job %s failed", name)
            self.metrics.job_run(name, "error")
        else:
            self.metrics.job_run(name, "ok")
        if not self._warm:
            self._ran.add(name)
            if self._ran >= self.jobs.keys():
                self._warm = True
                settle_warm_heap()

    def _schedule(self, name: str) -> None:
        _, seconds = self.jobs[name]
        self.scheduler.add_job(
            self.run_job,
            "interval",
            args=[name],
            id=name,
            name=name,
            seconds=seconds,
            next_run_time=datetime.now(UTC),
        )

    # lifecycle ---------------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start sending (every replica sends) and following; lead when the lock is ours (checked again every
        LEADER_*_SECONDS)."""
        # run_job logs failures itself; APScheduler's two lines for every run are noise.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        self.scheduler.start(paused=True)
        for name in self.jobs:
            self._schedule(name)
        self._sender_stop = asyncio.Event()
        self._sender_task = asyncio.create_task(self.sender.run(self._sender_stop), name="outbox-sender")
        await self._step_safely()
        self._lead_task = asyncio.create_task(self._lead(), name="scheduler-leadership")

    async def stop(self) -> None:
        if self._lead_task is not None:
            self._lead_task.cancel()
            with suppress(asyncio.CancelledError):
                await self._lead_task
            self._lead_task = None
        await self._step_down("stopping")
        await self._stop_sender()
        await self.leader.release()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        await self.clients.close()

    async def step(self) -> bool:
        """One leadership check: take the lead if free, step down if lost. Returns whether this leads now."""
        if not self.leading:
            if await self.leader.acquire():
                self._take_lead()
        elif not await self.leader.check():
            await self._step_down("lost the scheduler lock")
        return self.leading

    async def _lead(self) -> None:
        while True:
            await asyncio.sleep(LEADER_CHECK_SECONDS if self.leading else LEADER_RETRY_SECONDS)
            await self._step_safely()

    async def _step_safely(self) -> None:
        try:
            await self.step()
        except Exception:
            log.exception("scheduler leadership check failed")

    def _take_lead(self) -> None:
        log.info("this process now runs the scheduler (sender %s)", self.sender.name)
        self.metrics.leading = True
        self.scheduler.resume()

    async def _step_down(self, why: str) -> None:
        if not self.leading:
            return
        log.log(
            logging.INFO if why == "stopping" else logging.WARNING, "this process no longer runs the scheduler: %s", why
        )
        self.metrics.leading = False
        self.scheduler.pause()

    async def _stop_sender(self) -> None:
        self._sender_stop.set()
        task, self._sender_task = self._sender_task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, SENDER_STOP_SECONDS)
            except TimeoutError:
                log.error("the outbox sender did not stop in %.0f s; cancelled", SENDER_STOP_SECONDS)
