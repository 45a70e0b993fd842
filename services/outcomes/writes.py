"""Storing a progress update with Core statements: one statement on PostgreSQL (a CTE), four on SQLite.

/progress is the most frequent request, and the ORM's unit of work (flushing the update, its readings, the metrics
and the outcome) cost more CPU than the rest of it. The rules stay in services/outcomes/progress.py; this writes
what they decided, in the request's session and transaction, and keeps the loaded objects in step without
making them dirty (so nothing is written twice at commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Metric, MetricReading, Outcome, OutcomeStatus, ProgressSource, ProgressUpdate
from models.base import utcnow
from services.prebuilt import Prebuilt, autoflush, outside_session

_UPDATE, _READING = ProgressUpdate.__table__, MetricReading.__table__
_METRIC, _OUTCOME = Metric.__table__, Outcome.__table__


@dataclass(frozen=True)
class Change:
    """What one progress update stores."""

    outcome: Outcome
    author_id: int
    values: list[tuple[Metric, float]]
    note: str | None
    blocker: str | None
    source: ProgressSource
    now: datetime
    status_before: OutcomeStatus | None = None  # both set only when the status changes
    status_after: OutcomeStatus | None = None

    def params(self) -> dict:
        outcome = self.outcome
        common = {
            "p_ws": outcome.workspace_id,
            "p_outcome": outcome.id,
            "p_author": self.author_id,
            "p_before": self.status_before,
            "p_after": self.status_after,
            "p_note": self.note,
            "p_blocker": self.blocker,
            "p_source": self.source,
            "p_now": self.now,
            "p_touched": utcnow(),  # as the column's onupdate would: updated_at is wall-clock time
        }
        if self.status_after is not None:
            common["p_closed"] = None if self.status_after.is_open else self.now
        return common


def _update_values() -> dict:
    return {
        "workspace_id": bindparam("p_ws"),
        "outcome_id": bindparam("p_outcome"),
        "author_id": bindparam("p_author"),
        "status_before": bindparam("p_before"),
        "status_after": bindparam("p_after"),
        "note": bindparam("p_note"),
        "blocker": bindparam("p_blocker"),
        "source": bindparam("p_source"),
        "created_at": bindparam("p_now"),
    }


def _outcome_write(status_changed: bool):
    values = {"last_progress_at": bindparam("p_now"), "updated_at": bindparam("p_touched")}
    if status_changed:
        values |= {"status": bindparam("p_after"), "closed_at": bindparam("p_closed")}
    return update(_OUTCOME).where(_OUTCOME.c.id == bindparam("p_outcome")).values(values)


def _typed(name: str, column) -> bindparam:
    # Typed, since inside INSERT ... SELECT PostgreSQL cannot infer a parameter's type from the target column.
    return bindparam(name, type_=column.type)


@cache
def _one_statement(readings: int, status_changed: bool) -> Prebuilt:
    """PostgreSQL: the update, its readings, the metrics' current values and the outcome in one round trip.
    Built once per shape (how many readings, whether the status changes)."""
    new_update = insert(_UPDATE).values(_update_values()).returning(_UPDATE.c.id).cte("new_update")
    parts = []
    for n in range(readings):
        metric, value = _typed(f"p_metric{n}", _METRIC.c.id), _typed(f"p_value{n}", _READING.c.value)
        row = select(
            _typed("p_ws", _READING.c.workspace_id),
            metric,
            new_update.c.id,
            _typed("p_author", _READING.c.author_id),
            value,
            _typed("p_now", _READING.c.recorded_at),
        )
        columns = ["workspace_id", "metric_id", "update_id", "author_id", "value", "recorded_at"]
        parts.append(insert(_READING).from_select(columns, row).cte(f"reading{n}"))
        moved = update(_METRIC).where(_METRIC.c.id == metric).values(current_value=value, current_at=bindparam("p_now"))
        parts.append(moved.cte(f"metric{n}"))
    parts.append(_outcome_write(status_changed).cte("touched_outcome"))
    return Prebuilt(select(new_update.c.id).add_cte(*parts))


_INSERT_UPDATE = insert(_UPDATE).values(_update_values()).returning(_UPDATE.c.id)
_INSERT_READING = insert(_READING)
_MOVE_METRIC = (
    update(_METRIC)
    .where(_METRIC.c.id == bindparam("p_metric"))
    .values(current_value=bindparam("p_value"), current_at=bindparam("p_now"))
)
_WRITE_OUTCOME = {changed: _outcome_write(changed) for changed in (False, True)}


async def _statements(conn: AsyncConnection, change: Change, params: dict) -> int:
    """SQLite (and any database without data-modifying CTEs): the same writes one statement each."""
    update_id = (await conn.execute(_INSERT_UPDATE, params)).scalar_one()
    if change.values:
        readings = [
            {"workspace_id": params["p_ws"], "metric_id": metric.id, "update_id": update_id,
             "author_id": change.author_id, "value": value, "recorded_at": change.now}
            for metric, value in change.values
        ]  # fmt: skip
        await conn.execute(_INSERT_READING, readings)
        moves = [{"p_metric": metric.id, "p_value": value, "p_now": change.now} for metric, value in change.values]
        await conn.execute(_MOVE_METRIC, moves)
    await conn.execute(_WRITE_OUTCOME[change.status_after is not None], params)
    return update_id


async def store(session: AsyncSession, change: Change) -> ProgressUpdate:
    """Writes `change` in the session's transaction and returns the stored update."""
    if session.in_nested_transaction():
        # All or nothing inside a savepoint (a check-in's outcomes): through the ORM, so that rolling back to the
        # savepoint also undoes what changed in memory.
        return await _store_with_orm(session, change)
    await autoflush(session)  # whatever the caller changed before (a new person, say) is written first
    params = change.params()
    if session.bind.dialect.name == "postgresql":
        statement = _one_statement(len(change.values), change.status_after is not None)
        for n, (metric, value) in enumerate(change.values):
            params[f"p_metric{n}"], params[f"p_value{n}"] = metric.id, value
        [update_id] = await statement.first(session, params)  # type: ignore[misc]
    else:
        update_id = await _statements(await session.connection(), change, params)
    _in_step(change, params["p_touched"])
    return outside_session(ProgressUpdate, {
        "id": update_id, "workspace_id": change.outcome.workspace_id, "outcome_id": change.outcome.id,
        "author_id": change.author_id, "status_before": change.status_before, "status_after": change.status_after,
        "note": change.note, "blocker": change.blocker, "source": change.source, "created_at": change.now,
    })  # fmt: skip


def _in_step(change: Change, touched: datetime) -> None:
    """The loaded outcome and metrics show what is now stored, as after an ORM flush."""
    outcome, now = change.outcome, change.now
    for metric, value in change.values:
        set_committed_value(metric, "current_value", value)
        set_committed_value(metric, "current_at", now)
    set_committed_value(outcome, "last_progress_at", now)
    set_committed_value(outcome, "updated_at", touched)
    if change.status_after is not None:
        set_committed_value(outcome, "status", change.status_after)
        set_committed_value(outcome, "closed_at", None if change.status_after.is_open else now)


async def _store_with_orm(session: AsyncSession, change: Change) -> ProgressUpdate:
    """The same writes through the unit of work."""
    outcome, now = change.outcome, change.now
    update = ProgressUpdate(
        workspace_id=outcome.workspace_id,
        outcome_id=outcome.id,
        author_id=change.author_id,
        status_before=change.status_before,
        status_after=change.status_after,
        note=change.note,
        blocker=change.blocker,
        source=change.source,
        created_at=now,
    )
    if change.status_after is not None:
        outcome.status = change.status_after
        outcome.closed_at = None if change.status_after.is_open else now
    for metric, value in change.values:
        update.readings.append(
            MetricReading(
                workspace_id=outcome.workspace_id,
                metric_id=metric.id,
                author_id=change.author_id,
                value=value,
                recorded_at=now,
            )
        )
        metric.current_value, metric.current_at = value, now
    outcome.last_progress_at = now
    session.add(update)
    await session.flush()
    return update
