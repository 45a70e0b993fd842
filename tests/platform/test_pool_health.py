"""PostgreSQL's pool without pre-ping: a connection that sat idle is pinged before use and replaced if it died,
so a database restart (or a firewall dropping idle connections) costs no request. SQLite has no server to lose."""

from __future__ import annotations

import asyncpg
from sqlalchemy import text

from bot import database as database_module
from bot.database import Database
from tests.conftest import POSTGRES_ADMIN_DSN


async def backend_pid(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


async def test_a_pooled_connection_killed_while_idle_is_replaced_before_a_request_uses_it(
    empty_database_url, monkeypatch
) -> None:
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE", 0.0)  # every checkout counts as after an idle spell
    database = Database.from_url(await empty_database_url("postgresql"))
    try:
        first = await backend_pid(database)
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=10)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()

        assert await backend_pid(database) != first  # answered, on a fresh connection
    finally:
        await database.dispose()
