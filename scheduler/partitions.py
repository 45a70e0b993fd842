"""Which workspaces this process's sender serves, so that every replica sends and each workspace is sent from
one place at a time (its concurrency cap and its share of Slack's rate limits stay global, not per replica).

PostgreSQL: workspaces fall into PARTITIONS partitions (workspace id modulo PARTITIONS); a sender serves the
partitions whose session-level advisory locks it holds, on a connection of its own. Every live sender also
holds a membership lock, so each can count the others (pg_locks) and take its fair share: ceil(PARTITIONS /
live senders). A sender that joins takes free partitions and the others shed their surplus at their next
look; a sender that dies loses its connection, the server frees its locks, and the others take them over at
their next look (every REBALANCE_SECONDS, well inside a delivery's lease). Shedding happens between passes,
with no call of the shed partitions in flight.

Like leadership, partitions save work and keep caps global; they do not guard correctness: for a moment
around a handover two senders may both serve a partition, and row claims (SKIP LOCKED with a lease) still
send each delivery once. SQLite: one process, every workspace.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from scheduler.leader import CHECK_TIMEOUT, KEEPALIVE
from services.delivery import Share

log = logging.getLogger(__name__)

PARTITIONS = 16
REBALANCE_SECONDS = 2.0
# Two-key advisory locks (namespace, n); the scheduler's leader lock is a one-key lock and cannot collide.
MEMBERS = 0x46545331  # "FTS1": one lock per live sender, n = its backend pid
PARTS = 0x46545332  # "FTS2": one lock per partition, n = the partition

LIVE = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
    " AND classid = CAST(:ns AS oid) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)
TAKEN = text(
    "SELECT CAST(objid AS integer) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
    " AND classid = CAST(:ns AS oid) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


class Partitions(Protocol):
    async def refresh(self) -> Share | None:
        """Look again (take or shed partitions); the share to serve now. None: every workspace."""
        ...

    async def release(self) -> None: ...


class AllWorkspaces:
    """SQLite (or a single sender): everything."""

    async def refresh(self) -> Share | None:
        return None

    async def release(self) -> None:
        return None


class AdvisoryPartitions:
    def __init__(self, engine: AsyncEngine, count: int = PARTITIONS) -> None:
        self.engine = engine
        self.count = count
        self.mine: set[int] = set()
        self.backend_pid: int | None = None  # the lock connection's server process (tests terminate it)
        self._conn: AsyncConnection | None = None

    @property
    def share(self) -> Share:
        return Share(self.count, frozenset(self.mine))

    async def refresh(self) -> Share:
        try:
            await asyncio.wait_for(self._rebalance(), CHECK_TIMEOUT)
        except Exception as exc:  # without the connection the locks are gone: serve nothing until it is back
            if self.mine or self._conn is not None:
                log.warning("sender partitions: lost the lock connection (%s); sending nothing meanwhile", exc)
            await self._drop()
        return self.share

    async def _rebalance(self) -> None:
        conn = await self._connection()
        live = max(1, int(await conn.scalar(LIVE, {"ns": MEMBERS}) or 1))
        fair = math.ceil(self.count / live)
        for n in sorted(self.mine, reverse=True)[: max(0, len(self.mine) - fair)]:
            await conn.execute(text("SELECT pg_advisory_unlock(:ns, :n)"), {"ns": PARTS, "n": n})
            self.mine.discard(n)
        if len(self.mine) >= fair:
            return
        taken = set((await conn.scalars(TAKEN, {"ns": PARTS})).all())
        start = (self.backend_pid or 0) % self.count  # senders start looking at different places
        for n in ((start + i) % self.count for i in range(self.count)):
            if len(self.mine) >= fair:
                break
            if n in taken or n in self.mine:
                continue
            if await conn.scalar(text("SELECT pg_try_advisory_lock(:ns, :n)"), {"ns": PARTS, "n": n}):
                self.mine.add(n)

    async def release(self) -> None:
        await self._drop()  # closing the connection frees every lock it held

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self.engine.connect()
            try:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                for statement in KEEPALIVE:
                    await conn.execute(text(statement))
                self.backend_pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
                await conn.execute(text("SELECT pg_advisory_lock(:ns, :n)"), {"ns": MEMBERS, "n": self.backend_pid})
            except Exception:
                await conn.close()
                raise
            self._conn = conn
        return self._conn

    async def _drop(self) -> None:
        conn, self._conn, self.backend_pid = self._conn, None, None
        self.mine.clear()
        if conn is None:
            return
        try:
            await conn.invalidate()  # never hand a connection that held (or lost) locks back to the pool
            await conn.close()
        except Exception as exc:
            log.debug("sender partitions: closing the lock connection failed (%s)", exc)


def partitions_for(engine: AsyncEngine) -> Partitions:
    return AdvisoryPartitions(engine) if engine.dialect.name == "postgresql" else AllWorkspaces()
