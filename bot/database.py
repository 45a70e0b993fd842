"""The app's database handle: engine plus session factory, created once and passed in (never global)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot import migrate

READINESS_SECONDS = 1.0
# No pre-ping on every checkout (a round trip and ~0.1 ms CPU per request): connections are recycled after
# RECYCLE_SECONDS, one idle for PING_AFTER_IDLE seconds is pinged before use, and a connection that dies in use
# invalidates the pool (SQLAlchemy's disconnect handling), so only requests already running on it fail.
RECYCLE_SECONDS = 1800
PING_AFTER_IDLE = 10.0
_background: set[asyncio.Future] = set()  # cancelled probes still cleaning up


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection, one statement, and a free pooled connection: a stalled database
    becomes an error the person is told about, not a request that hangs past Slack's 3 s."""

    connect: float = 5.0
    statement: float = 10.0
    pool: float = 5.0


def create_engine(url: str, timeouts: Timeouts = Timeouts()) -> AsyncEngine:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        engine = create_async_engine(
            url,
            pool_size=20,
            max_overflow=10,
            pool_timeout=timeouts.pool,
            pool_recycle=RECYCLE_SECONDS,
            # asyncpg: `timeout` bounds connecting, `command_timeout` every statement (the idle ping included).
            connect_args={"timeout": timeouts.connect, "command_timeout": timeouts.statement},
        )
        _ping_after_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # One connection: SQLite allows one writer anyway, and queueing in the pool is fair and sleep-free,
    # where several connections contend in SQLite's busy handler (seconds of p99 under load).
    # The one connection is shared by every request in turn, so waiting for it may take a while under load.
    engine = create_async_engine(
        url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=max(timeouts.pool, 30)
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:
        # WAL lets the scheduler write while requests read; foreign keys are off by default in SQLite.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()
        # The driver's own transaction handling breaks SAVEPOINTs (RELEASE would commit everything);
        # we emit BEGIN ourselves instead.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _sqlite_begin(conn) -> None:
        # IMMEDIATE takes the write lock up front, so two writers wait (busy_timeout) instead of deadlocking.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _ping_after_idle(engine: AsyncEngine) -> None:
    """Pings a pooled connection before use only when it sat idle long enough for a restart or a firewall to
    have dropped it; a failed ping makes the pool open a fresh one (DisconnectionError), as pre-ping would."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _idle_from(_dbapi_conn, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # any driver error: this connection is not worth keeping
            raise DisconnectionError("pooled connection failed its ping after idling") from exc


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def from_url(cls, url: str, timeouts: Timeouts = Timeouts()) -> Database:
        engine = create_engine(url, timeouts)
        return cls(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    async def readiness(self, within: float = READINESS_SECONDS) -> tuple[bool, str]:
        """(ready, reason): reachable and migrated to head, answered within `within` seconds either way.
        The reason is for the log; it may name hosts and ports."""
        check = asyncio.ensure_future(self._readiness())
        done, _ = await asyncio.wait({check}, timeout=within)
        if not done:
            # Cancelling makes SQLAlchemy reset the connection, which waits on the stalled server too:
            # let that finish in the background rather than inside the probe.
            check.cancel()
            _background.add(check)
            check.add_done_callback(_background.discard)
            return False, f"database did not answer within {within:g} s"
        return check.result()

    async def _readiness(self) -> tuple[bool, str]:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            current = await migrate.current_revisions(self.engine)
        except Exception as exc:  # any driver error means "not ready"
            return False, f"database unreachable: {type(exc).__name__}: {exc}"
        heads = migrate.head_revisions()
        if current != heads:
            found = ", ".join(sorted(current)) or "empty"
            return False, f"migrations not at head (database: {found}; code: {', '.join(sorted(heads))})"
        return True, f"ready (migration {', '.join(sorted(heads))})"

    async def dispose(self) -> None:
        await self.engine.dispose()
