"""Prebuilt statements for the hottest paths: a Core statement compiled once, run in the session's transaction.

Every request reads its workspace and person, and /progress (the most frequent request) locks an outcome and
writes an update. Through SQLAlchemy's execution layer each of those statements cost 0.3–0.5 ms of CPU (the cache
key walked on every call, the execution context, the greenlet hop, the ORM's row processing), several times what
the database driver needs. On PostgreSQL a `Prebuilt` is compiled once and run directly on the session's own
asyncpg connection, inside the transaction SQLAlchemy began (it begins it first if need be), with the same type
conversions SQLAlchemy applies both ways, and driver errors raised as SQLAlchemy's. Other databases run the same
statement through the session's connection. `Columns.loaded` turns a row's values into a loaded ORM object of
the session, as a query would, so the services keep working on models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass
class _Compiled:
    sql: str
    binds: tuple[tuple[str, Processor, Any], ...]  # parameter name, bind processor, value when not given; $n order
    types: tuple[Any, ...]  # each result column's SQLAlchemy type
    converting: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None  # result columns to convert, and how:
    # known once the driver has described the statement


class Prebuilt:
    """One statement, compiled once."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None  # for PostgreSQL, the one database it is compiled for

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            binds = tuple(
                (name, (b := compiled.binds[name]).type._cached_bind_processor(dialect), b.effective_value)
                for name in compiled.positiontup or ()  # processors as SQLAlchemy's own execution applies them
            )
            types = tuple(c[3] for c in compiled._result_columns)
            found = self._compiled = _Compiled(compiled.string, binds, types)
        return found

    async def rows(self, session: AsyncSession, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row, its values converted as SQLAlchemy would."""
        dialect = session.bind.dialect
        if dialect.name != "postgresql":
            conn = await session.connection()
            return [tuple(row) for row in await conn.execute(self.statement, dict(params))]
        compiled = self._for(dialect)
        records = await _run(session, compiled, params, "fetch")
        converting = compiled.converting or ()  # set by _run on the first fetch
        rows = []
        for record in records:
            row = list(record)
            for at, process in converting:  # only the columns whose type converts (most pass through as they are)
                row[at] = process(row[at])
            rows.append(row)
        return rows

    async def first(self, session: AsyncSession, params: Mapping[str, Any]) -> Sequence[Any] | None:
        found = await self.rows(session, params)
        return found[0] if found else None

    async def execute(self, session: AsyncSession, params: Mapping[str, Any]) -> int:
        """Runs a statement that returns no rows; how many rows it changed."""
        dialect = session.bind.dialect
        if dialect.name != "postgresql":
            return (await (await session.connection()).execute(self.statement, dict(params))).rowcount
        status = await _run(session, self._for(dialect), params, "execute")
        tail = status.rsplit(" ", 1)[-1]  # "INSERT 0 1", "UPDATE 3"
        return int(tail) if tail.isdigit() else 0


# The driver's connection of each open transaction: looked up through SQLAlchemy once, not per statement.
_drivers: WeakKeyDictionary[SessionTransaction, Any] = WeakKeyDictionary()


async def _adapted(session: AsyncSession) -> Any:
    """SQLAlchemy's asyncpg adapter for the session's connection, its transaction begun in SQLAlchemy's books."""
    root = session.sync_session.get_transaction()
    adapted = _drivers.get(root) if root is not None else None
    if adapted is None:
        conn = await session.connection()  # begins the session's transaction when none is open
        root = session.sync_session.get_transaction()
        adapted = conn.sync_connection.connection.dbapi_connection  # already connected: no I/O here
        _drivers[root] = adapted
    return adapted


async def _run(session: AsyncSession, compiled: _Compiled, params: Mapping[str, Any], how: str) -> Any:
    adapted = await _adapted(session)
    dialect = session.bind.dialect
    args = [v if (v := params.get(name, default)) is None or p is None else p(v) for name, p, default in compiled.binds]
    async with adapted._execute_mutex:  # one statement at a time on a connection, as SQLAlchemy's own cursor does
        try:
            if adapted._transaction is None:
                await adapted._start_transaction()  # BEGIN, as SQLAlchemy's first statement would
            driver = adapted._connection
            if how == "fetch" and compiled.converting is None:
                # Some conversions depend on the column's type in the database (numeric's OID), as the driver
                # describes it: asked once per statement (the driver caches the prepared statement too).
                described = (await driver.prepare(compiled.sql)).get_attributes()
                processors = (t._cached_result_processor(dialect, a.type.oid)
                              for t, a in zip(compiled.types, described, strict=True))  # fmt: skip
                compiled.converting = tuple((at, p) for at, p in enumerate(processors) if p is not None)
            return await getattr(driver, how)(compiled.sql, *args)
        except Exception as error:
            raise _as_sqlalchemy(adapted, dialect, compiled.sql, args, error) from error


def _as_sqlalchemy(adapted: Any, dialect: Dialect, sql: str, args: list, error: Exception) -> Exception:
    """The driver's error as SQLAlchemy raises it (IntegrityError, OperationalError...), so callers catch one kind."""
    try:
        adapted._handle_exception(error)  # raises the dialect's DBAPI-level error for it
    except Exception as dbapi_error:
        return sa_exc.DBAPIError.instance(sql, args, dbapi_error, dialect.loaded_dbapi.Error, dialect=dialect)
    return error


async def autoflush(session: AsyncSession) -> None:
    """What the session holds unwritten is written first, as an ORM query's autoflush would (a prebuilt statement
    is not an ORM query); nothing to do, and no round trip, when it holds nothing."""
    if not session.sync_session._is_clean():  # `new or dirty or deleted` built three sets to say the same
        await session.flush()


def outside_session(model: type, values: Mapping[str, Any]) -> Any:
    """An object holding what a prebuilt statement stored, in no session: read-only use (a reply), built without
    the declarative constructor's per-attribute events, which cost more than the statement's own processing."""
    obj = model.__mapper__.class_manager.new_instance()
    obj.__dict__.update(values)
    return obj


# rows into models ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Columns:
    """The columns of one model in a prebuilt select, the attribute each fills, and how its rows become objects."""

    columns: tuple[Any, ...]
    attrs: tuple[str, ...]
    mapper: Any
    key_at: tuple[int, ...]  # where the primary key's values sit among `attrs`, in the mapper's order

    @classmethod
    def of(cls, model: type) -> Columns:
        mapper = inspect(model)
        # `loaded` attaches objects as SQLAlchemy's loader does, minus its events: refuse a model that has some.
        assert not mapper.class_manager.dispatch.load and not mapper.class_manager.dispatch.refresh, model
        columns = tuple(mapper.local_table.columns)
        attrs = tuple(mapper.get_property_by_column(c).key for c in columns)
        keys = tuple(attrs.index(mapper.get_property_by_column(c).key) for c in mapper.primary_key)
        return cls(columns, attrs, mapper, keys)

    def labelled(self, prefix: str) -> list[Any]:
        return [c.label(f"{prefix}_{a}") for c, a in zip(self.columns, self.attrs, strict=True)]

    def values(self, row: Sequence[Any], start: int) -> dict[str, Any]:
        return dict(zip(self.attrs, row[start : start + len(self.attrs)], strict=True))

    def loaded(self, session: AsyncSession, row: Sequence[Any], start: int, *, fresh: bool = True) -> Any:
        """The session's object for the row's values from `start`: the one it holds already (its values refreshed
        from the row when `fresh`, as populate_existing does), else a new one, loaded and clean, as a query would
        give it."""
        mapper, sync = self.mapper, session.sync_session
        key = (mapper._identity_class, tuple(row[start + i] for i in self.key_at), None)
        identity_map = sync.identity_map
        held = identity_map.get(key)
        if held is not None:
            if fresh:
                for attr, value in self.values(row, start).items():
                    set_committed_value(held, attr, value)
            return held
        # What sqlalchemy.orm.loading does with a row it has not seen: a new instance, its values as loaded state
        # (no history), keyed and in the session's identity map. session.add() with make_transient_to_detached
        # came to the same object at three times the cost (cascades walked, attributes expired and committed).
        obj = mapper.class_manager.new_instance()
        state = obj._sa_instance_state
        state.key = key
        state.session_id = sync.hash_key
        identity_map._add_unpresent(state, key)
        obj.__dict__.update(self.values(row, start))
        return obj
