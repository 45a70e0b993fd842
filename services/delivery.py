"""The outbox's state machine, as the sender drives it: claim with a lease, then record what Slack said.

    pending --claim--> sending --sent--> sent
       ^                  |---transient failure, attempts left / 429 / released--> pending (later)
       |                  |---permanent failure, or attempts used up------------> failed
       +--lease expired (the sender died): claimable again, as if pending
    pending --cancel--> cancelled

A call whose outcome is unknown (a timeout, a 5xx, a lease that lapsed mid-call) sets outcome_unknown_since;
the sender looks for the post before trying again, and a delivery recorded as sent clears it.

A claim is one transaction, committed before any Slack call: on PostgreSQL it locks candidate rows with
FOR UPDATE SKIP LOCKED, so concurrent senders take disjoint rows; SQLite serialises writers (BEGIN
IMMEDIATE). Either way the final UPDATE re-checks that each row is still claimable, so the semantics are the
same. Claims are fair: a few rows from each of the workspaces that have waited longest.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import String, and_, bindparam, case, exists, false, func, not_, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from models import Delivery, DeliveryState, FailureNotice
from models.base import UTCDateTime
from models.outbox import FINISHED
from services import send_holds

# Errors that may pass on their own; any other error Slack names is permanent (arguments, access, audience).
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"}
)
# Permanent errors about who the message is for: the owner can fix these, so they are told (once).
AUDIENCE_ERRORS = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "cannot_dm_bot",
        "user_not_in_channel",
        "restricted_action",
        "team_access_not_granted",
    }
)
NOTICE_KIND = "delivery.failure_notice"


Held = Collection[tuple[int, str]]  # (workspace_id, method) pairs a sender is holding back (rate limited)
# The sender's statements are built once per shape and bound at each run: building them cost more CPU than
# running them. These are the values bound.
NOW = bindparam("now", type_=UTCDateTime())


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(minutes=15)

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """Exponential backoff with jitter: after attempt n, between half and all of base * 2**(n-1), capped."""
        ceiling = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return ceiling * (0.5 + rng.random() / 2)


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


def _mine(delivery_id: int, claimer: str) -> ColumnElement[bool]:
    return and_(Delivery.id == delivery_id, Delivery.state == DeliveryState.SENDING, Delivery.claimed_by == claimer)


@dataclass(frozen=True)
class Sent:
    """A call Slack accepted, to be recorded: where the message landed."""

    delivery_id: int
    channel: str | None
    ts: str | None


async def mark_sent(
    session: AsyncSession,
    *,
    delivery_id: int,
    claimer: str,
    now: datetime,
    channel: str | None,
    ts: str | None,
) -> bool:
    """Record a delivery Slack accepted. Returns False when the claim had been lost (a possible duplicate)."""
    lost = await mark_all_sent(session, sent=[Sent(delivery_id, channel, ts)], claimer=claimer, now=now)
    return not lost


async def mark_all_sent(session: AsyncSession, *, sent: Sequence[Sent], claimer: str, now: datetime) -> set[int]:
    """Record several deliveries Slack accepted, in one statement that still checks each row's claim is ours.
    Returns the ids whose claim had been lost (a possible duplicate); those are recorded as sent all the same."""
    if not sent:
        return set()
    connection = await session.connection()
    bound = {"claimer": claimer, **_sent_params(sent, now)}
    kept = set((await connection.execute(_mark_sent_statement(len(sent), checked=True), bound)).scalars().all())
    lost = {s.delivery_id for s in sent} - kept
    if lost:
        # Our lease ran out and another sender took it over; it was delivered all the same, so say so.
        taken = [s for s in sent if s.delivery_id in lost]
        await connection.execute(_mark_sent_statement(len(taken), checked=False), _sent_params(taken, now))
    return lost


def _sent_params(sent: Sequence[Sent], now: datetime) -> dict:
    """The values _mark_sent_statement binds for these deliveries, in order."""
    bound: dict = {"now": now}
    for n, one in enumerate(sent):
        bound |= {f"id_{n}": one.delivery_id, f"channel_{n}": one.channel, f"ts_{n}": one.ts}
    return bound


@lru_cache(maxsize=128)
def _mark_sent_statement(count: int, *, checked: bool):
    """mark_all_sent's statement for `count` deliveries: `checked`, only rows whose claim is ours (bound as
    `claimer`); else any that is still open. Core on the table: the ORM's bulk UPDATE costs more than the rest."""
    table = Delivery.__table__
    ids = [bindparam(f"id_{n}", type_=table.c.id.type) for n in range(count)]

    def each(name: str):
        return case(*((table.c.id == id_, bindparam(f"{name}_{n}", type_=String)) for n, id_ in enumerate(ids)))

    if checked:
        rows = and_(table.c.state == DeliveryState.SENDING, table.c.claimed_by == bindparam("claimer"))
    else:
        rows = table.c.state.in_((DeliveryState.PENDING, DeliveryState.SENDING))
    values = {
        "state": DeliveryState.SENT,
        "sent_at": NOW,
        "attempts": table.c.attempts + 1,
        "last_error": None,
        "claimed_by": None,
        "claimed_until": None,
        "outcome_unknown_since": None,
        "slack_channel": each("channel"),
        "slack_ts": each("ts"),
    }
    return update(table).where(table.c.id.in_(ids), rows).values(values).returning(table.c.id)


async def retry_later(
    session: AsyncSession,
    *,
    delivery_id: int,
    claimer: str,
    at: datetime,
    error: str | None,
    counts: bool,
    unknown_since: datetime | None = None,
) -> None:
    """Back to pending until `at`. `counts`: the try used up an attempt (not so for 429s and unsent claims).
    `unknown_since`: the outcome of a call is unknown since then (the earliest such call; see the model)."""
    values: dict = {"state": DeliveryState.PENDING, "next_attempt_at": at, "claimed_by": None, "claimed_until": None}
    if counts:
        values["attempts"] = Delivery.attempts + 1
    if error:
        values["last_error"] = error
    if unknown_since is not None:
        values["outcome_unknown_since"] = unknown_since
    await session.execute(update(Delivery).where(_mine(delivery_id, claimer)).values(values))


async def transient_failure(
    session: AsyncSession,
    *,
    delivery: Delivery,
    claimer: str,
    now: datetime,
    error: str,
    policy: RetryPolicy,
    rng: random.Random,
    unknown_since: datetime | None = None,
) -> bool:
    """A failure that may pass (5xx, timeout): retry with backoff, or fail once attempts run out.
    `unknown_since`: Slack may have carried the call out all the same (see retry_later).

    Returns True when the delivery will be retried.
    """
    attempts = delivery.attempts + 1
    if attempts >= policy.max_attempts:
        await mark_failed(session, delivery_id=delivery.id, claimer=claimer, error=error)
        return False
    at = now + policy.delay(attempts, rng)
    await retry_later(
        session,
        delivery_id=delivery.id,
        claimer=claimer,
        at=at,
        error=error,
        counts=True,
        unknown_since=unknown_since,
    )
    return True


async def mark_failed(session: AsyncSession, *, delivery_id: int, claimer: str, error: str) -> None:
    values = {
        "state": DeliveryState.FAILED,
        "last_error": error[:100],
        "attempts": Delivery.attempts + 1,
        "claimed_by": None,
        "claimed_until": None,
    }
    await session.execute(update(Delivery).where(_mine(delivery_id, claimer)).values(values))


async def release(session: AsyncSession, *, delivery_ids: Collection[int], claimer: str, at: datetime) -> None:
    """Give back claimed deliveries that were not sent (held back by a rate limit), to try again at `at`."""
    if not delivery_ids:
        return
    await session.execute(
        update(Delivery)
        .where(
            Delivery.id.in_(delivery_ids),
            Delivery.state == DeliveryState.SENDING,
            Delivery.claimed_by == claimer,
        )
        .values(state=DeliveryState.PENDING, next_attempt_at=at, claimed_by=None, claimed_until=None)
    )


async def note_failure(session: AsyncSession, *, workspace_id: int, owner: str, target: str, error: str) -> bool:
    """Remember that `owner` is being told `target` is unreachable for `error`; False if they were told already."""
    try:
        async with session.begin_nested():
            session.add(FailureNotice(workspace_id=workspace_id, owner=owner, target=target, error=error[:100]))
    except IntegrityError:
        return False
    return True
