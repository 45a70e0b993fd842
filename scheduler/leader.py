"""Who runs the scheduler. With PostgreSQL: whoever holds a session-level advisory lock on a dedicated
connection; when that connection dies (process killed, network cut, connection terminated) the server frees
the lock and a follower takes it at its next try. With SQLite: the one process using the file always leads
(SQLite is for a single process; run one replica).

Leadership saves work, it does not guard correctness: for a few seconds after a takeover an old leader
may not have noticed yet, and that is safe because deliveries are claimed row by row and every job is
derived from the database with idempotency keys.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

SCHEDULER_LOCK_KEY = 0x466F6C6C53636864  # "FollSchd"; advisory locks are per database, so one per deployment
CHECK_TIMEOUT = 5.0  # seconds; a leader that cannot reach its database within this steps down
# The server notices a vanished leader (no FIN, e.g. a cut network) after about idle + interval * count.
KEEPALIVE = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3")


class Leader(Protocol):
    async def acquire(self) -> bool:
        """Try to become the leader (once, without waiting)."""
        ...

    async def check(self) -> bool:
        """Is this still the leader?"""
        ...

    async def release(self) -> None: ...


class SingleProcessLeader:
    """SQLite: one process, always the leader."""

    async def acquire(self) -> bool:
        return True

    async def check(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class AdvisoryLockLeader:
    def __init__(self, engine: AsyncEngine, key: int = SCHEDULER_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self.backend_pid: int | None = None  # the lock connection's server process (tests terminate it)
        self._conn: AsyncConnection | None = None
        self._held = False

    async def acquire(self) -> bool:
        try:
            conn = await self._connection()
            self._held = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}))
        except Exception as exc:  # no database: not the leader, try again later
            log.warning("scheduler lock: cannot reach the database (%s)", exc)
            await self._drop()
            return False
        return self._held

    async def check(self) -> bool:
        if not self._held or self._conn is None:
            return False
        try:
            # The lock lives as long as this connection, so a working connection means we still hold it.
            await asyncio.wait_for(self._conn.execute(text("SELECT 1")), CHECK_TIMEOUT)
        except Exception as exc:
            log.warning("scheduler lock connection lost (%s); stepping down", exc)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        if self._conn is not None and self._held:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except Exception as exc:
                log.debug("scheduler lock: unlock failed (%s); closing the connection frees it anyway", exc)
        await self._drop()

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self.engine.connect()
            try:
                # Autocommit: a session lock needs no transaction, and an idle open one could be timed out.
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                for statement in KEEPALIVE:
                    await conn.execute(text(statement))
                self.backend_pid = await conn.scalar(text("SELECT pg_backend_pid()"))
            except Exception:
                await conn.close()
                raise
            self._conn = conn
        return self._conn

    async def _drop(self) -> None:
        conn, self._conn, self._held, self.backend_pid = self._conn, None, False, None
        if conn is None:
            return
        try:
            await conn.invalidate()  # never hand a connection that held (or lost) the lock back to the pool
            await conn.close()
        except Exception as exc:
            log.debug("scheduler lock: closing the lock connection failed (%s)", exc)


def leader_for(engine: AsyncEngine) -> Leader:
    return AdvisoryLockLeader(engine) if engine.dialect.name == "postgresql" else SingleProcessLeader()
