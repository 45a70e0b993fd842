"""Claiming outbox rows for a sender: a lease on a fair few rows from each waiting workspace, and what is due next.

A claim is one transaction, committed before any Slack call: on PostgreSQL it locks candidate rows with
FOR UPDATE SKIP LOCKED, so concurrent senders take disjoint rows; SQLite serialises writers (BEGIN
IMMEDIATE). Either way the final UPDATE re-checks that each row is still claimable, so the semantics are the
same. Claims are fair: a few rows from each of the workspaces that have waited longest.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, false, func, not_, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from models import Delivery, DeliveryState
from models.base import UTCDateTime
from models.outbox import FINISHED
from services import send_holds

Held = Collection[tuple[int, str]]  # (workspace_id, method) pairs a sender is holding back (rate limited)
# The sender's statements are built once per shape and bound at each run: building them cost more CPU than
# running them. These are the values bound.
NOW = bindparam("now", type_=UTCDateTime())


def _claimable(now: datetime) -> ColumnElement[bool]:
    due = and_(Delivery.state == DeliveryState.PENDING, Delivery.next_attempt_at <= now)
    abandoned = and_(Delivery.state == DeliveryState.SENDING, Delivery.claimed_until < now)
    return or_(due, abandoned)


def _parent_settled() -> ColumnElement[bool]:
    parent = aliased(Delivery)
    settled = exists().where(
        parent.workspace_id == Delivery.workspace_id, parent.key == Delivery.thread_of, parent.state.in_(FINISHED)
    )
    return or_(Delivery.thread_of.is_(None), settled)


def _not_held(held: Held) -> ColumnElement[bool]:
    if not held:
        return Delivery.id.is_not(None)
    return not_(or_(*(and_(Delivery.workspace_id == w, Delivery.method == m) for w, m in held)))


@dataclass(frozen=True)
class Share:
    """The workspaces a sender serves: those whose id modulo `count` is one of `mine` (scheduler/partitions.py).
    None instead of a Share: every workspace (SQLite, one process)."""

    count: int
    mine: frozenset[int]

    def where(self) -> ColumnElement[bool]:
        if not self.mine:
            return false()
        return (Delivery.workspace_id % self.count).in_(sorted(self.mine))


def _ready(now: datetime, held: Held, share: Share | None) -> tuple[ColumnElement[bool], ...]:
    ready = (_claimable(now), _parent_settled(), _not_held(held), send_holds.not_held(now))
    return (*ready, share.where()) if share is not None else ready


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    claimer: str,
    lease: timedelta,
    limit: int,
    per_workspace: int,
    held: Held = (),
    share: Share | None = None,
) -> list[Delivery]:
    """Take due deliveries for `claimer` until now + lease: up to `per_workspace` from each of the workspaces
    waiting longest, `limit` in all. Fair, so one workspace's big round cannot hold up another's reminder.
    Only workspaces in `share`, and none whose method a rate-limit hold keeps back. Commit before sending.
    Two statements: pick and lock the rows, then take them."""
    postgresql = session.bind.dialect.name == "postgresql"
    pick, take = _claim_statements(postgresql, tuple(sorted(set(held))), share, limit, per_workspace)
    rows = list((await session.execute(pick, {"now": now})).all())
    if not rows:
        return []
    abandoned = {row.id: row.claimed_until for row in rows if row.state == DeliveryState.SENDING}
    bound = {"ids": [row.id for row in rows], "now": now, "claimer": claimer, "until": now + lease}
    claimed = list((await session.scalars(take, bound)).all())
    _left_mid_call(claimed, abandoned, lease)
    return sorted(claimed, key=lambda d: (d.next_attempt_at, d.id))


@lru_cache(maxsize=64)
def _claim_statements(postgresql: bool, held: tuple[tuple[int, str], ...], share: Share | None, limit: int,
                      per_workspace: int):  # fmt: skip
    ready = _ready(NOW, held, share)
    waiting = (
        select(Delivery.workspace_id)
        .where(*ready)
        .group_by(Delivery.workspace_id)
        .order_by(func.min(Delivery.next_attempt_at), Delivery.workspace_id)
        .limit(max(1, limit // per_workspace))
    ).subquery()
    pick = (_pick_postgresql if postgresql else _pick_sqlite)(waiting, ready, per_workspace)
    take = (
        update(Delivery)
        .where(Delivery.id.in_(bindparam("ids", expanding=True)), _claimable(NOW))
        .values(state=DeliveryState.SENDING, claimed_by=bindparam("claimer"), claimed_until=bindparam("until"))
        .returning(Delivery)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return pick, take


def _pick_postgresql(waiting, ready, per_workspace: int):
    # Each workspace's first rows through LATERAL, locked with SKIP LOCKED so that concurrent senders take
    # disjoint rows. Not UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED): PostgreSQL may
    # re-run such a subquery for every row it updates, and then ignores the limit.
    rows = (
        select(Delivery.id, Delivery.state, Delivery.claimed_until)
        .where(Delivery.workspace_id == waiting.c.workspace_id, *ready)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(per_workspace)
        .with_for_update(skip_locked=True, of=Delivery)
        .lateral()
    )
    return select(rows).select_from(waiting).join(rows, true())


def _pick_sqlite(waiting, ready, per_workspace: int):
    # SQLite serialises writers, so nothing to lock: each workspace's first rows by a window function.
    place = func.row_number().over(partition_by=Delivery.workspace_id, order_by=(Delivery.next_attempt_at, Delivery.id))
    rows = (
        select(Delivery.id, Delivery.state, Delivery.claimed_until, place.label("place"))
        .where(Delivery.workspace_id.in_(select(waiting.c.workspace_id)), *ready)
        .subquery()
    )
    return select(rows.c.id, rows.c.state, rows.c.claimed_until).where(rows.c.place <= per_workspace)


def _left_mid_call(claimed: list[Delivery], abandoned: dict[int, datetime | None], lease: timedelta) -> None:
    """A sender whose lease ran out may have died after Slack accepted its call: the outcome is unknown since
    that sender's claim (its lease's end minus the lease, taking its lease to be ours). Flushed with the claim."""
    for delivery in claimed:
        lapsed = abandoned.get(delivery.id)
        if lapsed is not None and delivery.outcome_unknown_since is None:
            delivery.outcome_unknown_since = lapsed - lease


async def next_due(
    session: AsyncSession, *, now: datetime | None = None, held: Held = (), share: Share | None = None
) -> datetime | None:
    """When the next delivery becomes claimable (perhaps already), ignoring those held back. One index walk per
    state (ORDER BY ... LIMIT 1), so the idle poll costs the same with a backlog of any size."""
    mine = (_parent_settled(), _not_held(held), *((share.where(),) if share is not None else ()))
    shared = (send_holds.not_held(now),) if now is not None else ()  # without `now`: in-memory holds only
    pending = (
        select(Delivery.next_attempt_at)
        .where(Delivery.state == DeliveryState.PENDING, *shared, *mine)
        .order_by(Delivery.next_attempt_at)
        .limit(1)
    )
    sending = (
        select(Delivery.claimed_until)
        .where(Delivery.state == DeliveryState.SENDING, *mine)
        .order_by(Delivery.claimed_until)
        .limit(1)
    )
    found = [await session.scalar(pending), await session.scalar(sending)]
    if now is not None:
        found.append(await send_holds.next_release(session, now=now))
    return min((when for when in found if when is not None), default=None)


async def parents_of(session: AsyncSession, deliveries: Collection[Delivery]) -> dict[tuple[int, str], Delivery]:
    """The deliveries named by `thread_of`, keyed by (workspace_id, key)."""
    wanted = {(d.workspace_id, d.thread_of) for d in deliveries if d.thread_of}
    if not wanted:
        return {}
    found = await session.scalars(
        select(Delivery).where(or_(*(and_(Delivery.workspace_id == w, Delivery.key == k) for w, k in wanted)))
    )
    return {(d.workspace_id, d.key): d for d in found}
