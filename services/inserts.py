"""Insert a row unless its unique key is taken, in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING).

What the outbox and the decisions' timeline used to do in four round trips (look, savepoint, insert, release),
on PostgreSQL and SQLite alike; a concurrent insert of the same key waits for the other transaction and then
skips, as the savepoint's IntegrityError used to.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def insert_new(session: AsyncSession, model: type[Row], *, unique: tuple[str, ...], **values: Any) -> Row | None:
    """The new row (persistent in `session`), or None when a row with the same `unique` columns exists."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=list(unique)).returning(model)
    )
    return await session.scalar(statement)
