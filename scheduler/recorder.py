"""Recording what Slack accepted, in groups: each delivery waits until its own result is committed (so a
sender that dies loses nothing it was told), but results that arrive while a write is under way go together
in the next one, one statement for the lot (services.delivery.mark_all_sent keeps the per-row lease check).
Under load that turns a transaction per message into a transaction per few dozen."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from services import delivery as states

log = logging.getLogger(__name__)


class Recorder:
    def __init__(self, *, sessions: async_sessionmaker[AsyncSession], clock: Clock, claimer: str) -> None:
        self.sessions = sessions
        self.clock = clock
        self.claimer = claimer
        self._waiting: list[tuple[states.Sent, str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task | None = None

    async def record(self, sent: states.Sent, key: str) -> None:
        """Return once `sent` is committed (with whatever else came in meanwhile)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((sent, key, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="outbox-recorder")
        # Shielded: a caller cancelled meanwhile (its sender stopping) does not cancel the others' write.
        await asyncio.shield(done)

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                async with self.sessions.begin() as session:
                    lost = await states.mark_all_sent(
                        session, sent=[sent for sent, _, _ in group], claimer=self.claimer, now=self.clock.now()
                    )
            except Exception as exc:  # each waiter's pass fails and logs it; the rows' leases run out
                for _, _, done in group:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for sent, key, done in group:
                if sent.delivery_id in lost:
                    log.warning("delivery %s was sent after its lease ran out; it may have been sent twice", key)
                if not done.done():
                    done.set_result(None)
