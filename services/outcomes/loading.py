"""One outcome with its owner and metrics, read by a prebuilt statement (services/prebuilt.py): every /progress
starts here, locking the row, and the ORM's joined loading cost more CPU than the rest of the lookup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Metric, Outcome, Person
from services.prebuilt import Columns, Prebuilt, autoflush

_O, _P, _M = Columns.of(Outcome), Columns.of(Person), Columns.of(Metric)
_OWNER_AT, _METRIC_AT = len(_O.attrs), len(_O.attrs) + len(_P.attrs)


def _with_owner_and_metrics(*where: Any) -> Select:
    return (
        select(*_O.labelled("o"), *_P.labelled("p"), *_M.labelled("m"))
        .select_from(Outcome)
        .outerjoin(Person, Person.id == Outcome.owner_id)
        .outerjoin(Metric, Metric.outcome_id == Outcome.id)
        .where(*where)
        .order_by(Metric.position, Metric.id)  # the order of Outcome.metrics
    )


_BY_NUMBER = _with_owner_and_metrics(
    Outcome.workspace_id == bindparam("workspace_id"), Outcome.number == bindparam("number")
)
_STATEMENTS = {
    (False, "number"): Prebuilt(_BY_NUMBER),
    (True, "number"): Prebuilt(_BY_NUMBER.with_for_update(of=Outcome.__table__)),
    (True, "id"): Prebuilt(_with_owner_and_metrics(Outcome.id == bindparam("outcome_id")).with_for_update(
        of=Outcome.__table__)),
}  # fmt: skip


async def outcome_with_details(session: AsyncSession, *, lock: bool, by: str, **params: Any) -> Outcome | None:
    """The outcome (`by` "number": workspace_id and number; "id": outcome_id), its owner and metrics loaded. With
    `lock`, its row is locked and its values and metrics read fresh (what this session held is refreshed)."""
    await autoflush(session)  # what changed is written before it is read again
    rows = await _STATEMENTS[(lock, by)].rows(session, params)
    return _assembled(session, rows, fresh=lock) if rows else None


def _assembled(session: AsyncSession, rows: Sequence[Sequence[Any]], *, fresh: bool) -> Outcome:
    first = rows[0]
    outcome = _O.loaded(session, first, 0, fresh=fresh)
    owner = _P.loaded(session, first, _OWNER_AT, fresh=False) if first[_OWNER_AT] is not None else None
    metrics = [_M.loaded(session, row, _METRIC_AT, fresh=fresh) for row in rows if row[_METRIC_AT] is not None]
    # A new object has no relationship loaded; one the session held keeps what it had unless read fresh.
    loaded = outcome.__dict__
    if fresh or "owner" not in loaded:
        set_committed_value(outcome, "owner", owner)
    if fresh or "metrics" not in loaded:
        set_committed_value(outcome, "metrics", metrics)
        for metric in metrics:
            set_committed_value(metric, "outcome", outcome)
    return outcome
