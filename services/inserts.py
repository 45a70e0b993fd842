"""Insert a row unless its unique key is taken, in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING).

What the outbox and the decisions' timeline used to do in four round trips (look, savepoint, insert, release),
on PostgreSQL and SQLite alike; a concurrent insert of the same key waits for the other transaction and then
skips, as the savepoint's IntegrityError used to. The statement is built once per table and key and given the
row as parameters: the scheduler queues thousands of rows, and building the statement cost more than sending it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


@cache
def _statement(dialect: str, model: type, unique: tuple[str, ...]):
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return build(model).on_conflict_do_nothing(index_elements=list(unique)).returning(model)


async def insert_new(session: AsyncSession, model: type[Row], *, unique: tuple[str, ...], **values: Any) -> Row | None:
    """The new row (persistent in `session`), or None when a row with the same `unique` columns exists."""
    statement = _statement(session.get_bind().dialect.name, model, unique)
    return (await session.scalars(statement, [values])).first()


@cache
def _row_statement(dialect: str, model: type, unique: tuple[str, ...]):
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__  # type: ignore[attr-defined]
    return build(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)


async def inserted(session: AsyncSession, model: type, *, unique: tuple[str, ...], **values: Any) -> bool:
    """Whether the row was inserted now (False: one with the same `unique` columns exists). A Core statement, no
    ORM object: for callers that only need to know (the scheduler's timeline of pings)."""
    statement = _row_statement(session.get_bind().dialect.name, model, unique)
    return (await session.execute(statement, values)).first() is not None


async def inserted_many(
    session: AsyncSession, model: type, *, unique: tuple[str, ...], rows: list[dict[str, Any]]
) -> int:
    """`inserted` for several rows in one statement (SQLAlchemy sends an executemany with RETURNING as one
    multi-row INSERT); returns how many were inserted now (rows whose `unique` columns exist are skipped)."""
    if not rows:
        return 0
    statement = _row_statement(session.get_bind().dialect.name, model, unique)
    return len((await session.execute(statement, rows)).all())
