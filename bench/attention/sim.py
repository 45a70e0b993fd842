"""The month, run: the real scheduler jobs (scheduler/features.py, every one of them) and the real outbox sender
on a movable clock, against the Slack stand-in served in-process, as tests/support drives them.

The clock moves from one moment something can happen to the next (rounded up to the next `grain`, 5 minutes
by default, so what falls in one window is done at one stop), at most `max_step` apart: a planned act of
a person, a delivery coming due (services.delivery.next_due), or a time a feature has stored for its next
move (a decision's next ping, an action item's next nudge, a cadence's next round, a round's reminders and
digest, a meeting's gate, reminder, start and time-boxes). At each stop every job whose interval has passed
runs once (APScheduler's coalescing: runs missed while the clock jumped become one; the 30-second jobs so run
at every stop), then the sender until nothing due is left.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bench.attention.plan import Plan
from bench.attention.world import World
from bot.clock import MovableClock
from bot.database import Database
from bot.devtools.standin import SlackStandin
from bot.slack_clients import SlackClients
from models import Action, Cadence, Decision, Invite, Meeting, Round
from scheduler import features
from scheduler.attention import Attention, Step
from scheduler.runner import JobContext, JobFunc
from scheduler.sender import Sender, SenderConfig
from services import delivery as states

TOKEN = "xoxb-bench-token"
MAX_PASSES = 1000  # of the sender at one stop; more means it is spinning, and the run says so


class NoAttention(Attention):
    """What main did before issue 14: every DM goes as soon as it is due; no hours, budget, focus or DND."""

    async def step(self, delivery, client, claimer) -> Step:  # noqa: ANN001 - the overridden signature
        return Step(go=True)


class Jobs:
    """Collects the features' jobs the way the Runner does (`register_job`), to run them by hand."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[JobFunc, float]] = {}

    def register_job(self, name: str, func: JobFunc, seconds: float) -> None:
        self.jobs[name] = (func, seconds)


class Simulation:
    def __init__(self, database: Database, standin: SlackStandin, base_url: str, plan: Plan, *,
                 clock: MovableClock, attention: bool, max_step: timedelta, grain: timedelta) -> None:  # fmt: skip
        self.database, self.plan, self.max_step, self.clock = database, plan, max_step, clock
        self.grain = grain
        self.standin = standin
        self.clients = SlackClients(base_url=f"{base_url}/api/", token=TOKEN)
        self.sender = Sender(sessions=database.sessions, clients=self.clients, clock=self.clock,
                             config=SenderConfig(), name="bench-sender", rng=random.Random(7))  # fmt: skip
        if not attention:
            self.sender.attention = NoAttention(sessions=database.sessions, clock=self.clock)
        self.world = World(database, standin, plan)
        registrar = Jobs()
        features.register(registrar)  # type: ignore[arg-type]  # only register_job is called
        self.jobs = registrar.jobs
        self.context = JobContext(sessions=database.sessions, clock=self.clock, clients=self.clients)
        self.last_run: dict[str, datetime] = {}
        self.stops = 0
        self.spinning = 0

    async def run(self, start: datetime) -> None:
        self.clock.set(start)
        await self.world.set_up()
        events, i = self.plan.events, 0
        while self.clock.now() < self.plan.end:
            now = self.clock.now()
            while i < len(events) and events[i].at <= now:
                await self.world.act(events[i])
                i += 1
            await self.run_jobs()
            await self.drain()
            self.stops += 1
            upcoming = events[i].at if i < len(events) else None
            self.clock.set(min(self.plan.end, await self.next_stop(now, upcoming)))
        await self.run_jobs()
        await self.drain()

    async def run_jobs(self) -> None:
        """Each job whose interval has passed since its last run (all of them at the first stop)."""
        now = self.clock.now()
        for name, (job, seconds) in self.jobs.items():
            last = self.last_run.get(name)
            if last is None or (now - last).total_seconds() >= seconds:
                self.last_run[name] = now
                await job(self.context)

    async def drain(self) -> None:
        for _ in range(MAX_PASSES):
            if not (await self.sender.run_once()).claimed:
                return
        self.spinning += 1

    async def next_stop(self, now: datetime, upcoming: datetime | None) -> datetime:
        candidates = [now + self.max_step, *([upcoming] if upcoming else [])]
        async with self.database.sessions() as session:
            candidates.append(await states.next_due(session, held=self.sender.holds.keys()))
            for query in stored_times():
                candidates.append(await session.scalar(query))
        later = [c for c in candidates if c is not None and c > now]
        at = min(later) if later else now + self.max_step
        start = self.plan.end - timedelta(weeks=self.plan.weeks)
        return start + self.grain * -(-(at - start) // self.grain)  # rounded up to the grain

    async def close(self) -> None:
        await self.clients.close()


def stored_times() -> list:
    """The next moment each feature has stored for itself (None when nothing is waiting)."""
    return [
        select(func.min(Decision.next_ping_at)),
        select(func.min(Action.next_nudge_at)).where(Action.closed_at.is_(None)),
        select(func.min(Cadence.next_at)),
        select(func.min(Invite.remind_at)).where(Invite.reminded_at.is_(None), Invite.answered_at.is_(None)),
        select(func.min(Round.digest_at)).where(Round.digest_posted_at.is_(None)),
        select(func.min(Meeting.gate_at)).where(Meeting.gate_flagged_at.is_(None), Meeting.started_at.is_(None)),
        select(func.min(Meeting.remind_at)).where(Meeting.reminded_at.is_(None), Meeting.started_at.is_(None)),
        select(func.min(Meeting.starts_at)).where(Meeting.started_at.is_(None)),
        select(func.min(Meeting.next_timebox_at)),
    ]
