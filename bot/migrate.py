"""Programmatic Alembic: upgrade, downgrade, and where the database stands."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

MIGRATION_LOCK_KEY = 0x466F6C6C  # "Foll": any constant shared by every replica
INI = Path(migrations.__file__).with_name("alembic.ini")


def alembic_config() -> Config:
    return Config(str(INI))


def head_revisions() -> set[str]:
    # A set: while two features are in flight the history may briefly have two heads.
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def _run(engine: AsyncEngine, fn, *args) -> None:
    def run(sync_conn) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        fn(cfg, *args)

    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Replicas starting together must not migrate concurrently; released at commit.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        await conn.run_sync(run)


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    await _run(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _run(engine, command.downgrade, revision)


async def current_revisions(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))


async def autogenerate(engine: AsyncEngine, message: str) -> None:
    """Developer helper: write a new revision from the difference between models and database."""
    await _run(engine, lambda cfg: command.revision(cfg, message=message, autogenerate=True))
