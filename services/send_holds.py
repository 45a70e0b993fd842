"""Rate-limit holds shared by every sender: after a 429, a workspace's method waits until Retry-After on all
replicas, not only on the one that was told. One row per (workspace, method); a later, longer hold wins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, not_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from models import Delivery, SendHold


async def hold(session: AsyncSession, *, workspace_id: int, method: str, until: datetime) -> None:
    """No sender calls `method` for this workspace before `until` (an existing later hold stays)."""
    postgresql = session.bind.dialect.name == "postgresql"
    statement = (pg_insert if postgresql else sqlite_insert)(SendHold).values(
        workspace_id=workspace_id, method=method, until=until
    )
    later = (func.greatest if postgresql else func.max)(SendHold.until, statement.excluded.until)  # one row each
    statement = statement.on_conflict_do_update(
        index_elements=[SendHold.workspace_id, SendHold.method], set_={"until": later}
    )
    await session.execute(statement)


def not_held(now: datetime) -> ColumnElement[bool]:
    """Deliveries whose workspace's method no hold keeps back at `now`."""
    held = exists().where(
        SendHold.workspace_id == Delivery.workspace_id, SendHold.method == Delivery.method, SendHold.until > now
    )
    return not_(held)


async def next_release(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the earliest hold in force ends, if any (a held delivery is due again then)."""
    return await session.scalar(select(func.min(SendHold.until)).where(SendHold.until > now))
