"""Migrations are the schema: empty -> head -> base -> head on both databases, and no drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot import migrate
from bot.database import Database
from models.base import Base


def table_names(sync_conn) -> set[str]:
    return set(inspect(sync_conn).get_table_names()) - {"alembic_version"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_upgrade_downgrade_upgrade_without_drift(backend: str, empty_database_url) -> None:
    database = Database.from_url(await empty_database_url(backend))
    try:
        await migrate.upgrade(database.engine)
        async with database.engine.connect() as conn:
            assert await conn.run_sync(table_names) == set(Base.metadata.tables)
        assert await migrate.current_revisions(database.engine) == migrate.head_revisions()

        await migrate.downgrade(database.engine, "base")
        async with database.engine.connect() as conn:
            assert await conn.run_sync(table_names) == set()

        await migrate.upgrade(database.engine)
        async with database.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
            )
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        await database.dispose()


def test_history_is_a_single_line() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    history = [r.revision for r in script.walk_revisions()][::-1]
    assert history == [f"{n:04d}" for n in range(1, len(history) + 1)]  # numbered in order, no gaps
