"""The outbox, as features use it: enqueue a Slack call for later, cancel, reschedule, look up.

A feature never calls Slack for scheduled work: it enqueues a delivery under an idempotency key in the same
transaction as its own records, and the sender (scheduler/sender.py) delivers it at least once, usually once.
Keys are unique per workspace for as long as the row is kept (finished rows are purged after RETENTION), so
they are built from values never handed out again: a row's token (models.base.new_token) and Slack's ids,
never a row's id, which SQLite gives to the next row after a delete (a key matching one sent already sends
nothing). tests/checkins/test_never_reused.py checks every key in the app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState
from models.outbox import FINISHED, OPEN, OPEN_ONLY
from services.attention.kinds import interrupted, urgency_of
from services.attention.policy import Urgency
from services.inserts import insert_new

RETENTION = timedelta(days=90)
# Where each method names whom it reaches, most specific first (views.publish: user_id; postEphemeral: user).
TARGET_ARGS = ("user_id", "user", "channel", "users")


async def enqueue(
    session: AsyncSession,
    *,
    workspace_id: int,
    key: str,
    kind: str,
    method: str,
    args: dict[str, Any],
    not_before: datetime,
    thread_of: str | None = None,
    owner: str | None = None,
    urgency: Urgency | None = None,
    answering: bool = False,
) -> Delivery:
    """Queue one Web API call (`method` with JSON `args`) to be made at `not_before` or soon after.

    Idempotent: a key already queued (in any state, sent or cancelled included) returns that row unchanged,
    so a job that runs twice, or a retried Slack event, never sends twice. Use a new key to send again.
    `thread_of` names an earlier delivery (same workspace) whose message this one needs: it is sent only
    after that one, in its channel, with its ts as `thread_ts` (chat.postMessage, chat.postEphemeral) or as
    `ts` (chat.update, chat.delete); if that one fails or is cancelled, so does this.
    `owner` (a Slack user id) is told once if this delivery can never reach its target.
    A new DM to a person passes the attention policy before it is sent (services/attention): `urgency`
    overrides what its kind implies (services/attention/kinds.py). `answering`: the DM answers what its
    recipient did a moment ago (a form they submitted), so it interrupts no one and goes at once.
    """
    _check(key=key, args=args, not_before=not_before)
    if thread_of is not None:  # queued already: returned as it is, even once its parent has been purged
        found = await get(session, workspace_id=workspace_id, key=key)
        if found is not None:
            return found
    target = await _target_of(session, workspace_id=workspace_id, args=args, thread_of=thread_of)
    values = _row(workspace_id=workspace_id, key=key, kind=kind, method=method, args=args, not_before=not_before,
                  thread_of=thread_of, owner=owner, urgency=urgency, answering=answering, target=target)  # fmt: skip
    # One statement: a key queued meanwhile (by this transaction or a concurrent one) is skipped, then returned.
    delivery = await insert_new(session, Delivery, unique=("workspace_id", "key"), **values)
    if delivery is None:
        found = await get(session, workspace_id=workspace_id, key=key)
        if found is None:
            raise RuntimeError(f"delivery {key!r} is neither new nor found")
        return found
    return delivery


def _row(*, workspace_id: int, key: str, kind: str, method: str, args: dict[str, Any], not_before: datetime,
         thread_of: str | None, owner: str | None, urgency: Urgency | None, answering: bool,
         target: str) -> dict[str, Any]:  # fmt: skip
    """The new delivery's columns (every one named, so that a batch's rows all have the same keys)."""
    person = None if answering else interrupted(method, args, thread_of)
    return {
        "workspace_id": workspace_id,
        "key": key,
        "kind": kind,
        "method": method,
        "args": args,
        "target": target,
        "thread_of": thread_of,
        "owner": owner,
        "state": DeliveryState.PENDING,
        "attempts": 0,
        "due_at": not_before,
        "next_attempt_at": not_before,
        "interrupts": person,
        "urgency": urgency_of(kind, urgency).value if person else None,
    }


@dataclass
class Batch:
    """Deliveries queued together, written in one statement by `write`: a job that queues several messages per
    item (a decision's pings, their thread note, its card) saves a round trip and an ORM object per message.
    The rules are enqueue's, for calls that name their target (no `thread_of`); a key queued already is skipped."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, *, workspace_id: int, key: str, kind: str, method: str, args: dict[str, Any], not_before: datetime,
            owner: str | None = None, urgency: Urgency | None = None) -> None:  # fmt: skip
        _check(key=key, args=args, not_before=not_before)
        target = next((str(args[name]) for name in TARGET_ARGS if args.get(name)), None)
        if target is None:
            raise ValueError(f"args name no channel or user ({', '.join(TARGET_ARGS)})")
        self.rows.append(_row(workspace_id=workspace_id, key=key, kind=kind, method=method, args=args,
                              not_before=not_before, thread_of=None, owner=owner, urgency=urgency, answering=False,
                              target=target))  # fmt: skip

    async def write(self, session: AsyncSession) -> None:
        """Queue them all, in the order added; then the batch is empty."""
        if self.rows:
            rows, self.rows = self.rows, []
            await session.execute(_insert_many(session.get_bind().dialect.name), rows)


@cache
def _insert_many(dialect: str):
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return build(Delivery.__table__).on_conflict_do_nothing(index_elements=["workspace_id", "key"])


def _check(*, key: str, args: dict[str, Any], not_before: datetime) -> None:
    """Programming errors, refused before anything is stored."""
    if not_before.tzinfo is None:
        raise ValueError("not_before must be an aware datetime")
    if not key or len(key) > 200:
        raise ValueError("a delivery key is 1 to 200 characters")
    try:
        json.dumps(args)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"args must be plain JSON (use .to_dict() on Block Kit objects): {exc}") from None


async def _target_of(session: AsyncSession, *, workspace_id: int, args: dict[str, Any], thread_of: str | None) -> str:
    """Whom the call reaches: named in its args, else the channel of the message it threads under."""
    target = next((str(args[name]) for name in TARGET_ARGS if args.get(name)), None)
    if thread_of is not None:
        parent = await get(session, workspace_id=workspace_id, key=thread_of)
        if parent is None:
            raise ValueError(f"thread_of names no delivery: {thread_of!r}; enqueue the parent first")
        target = target or parent.target
    if target is None:
        raise ValueError(f"args name no channel or user ({', '.join(TARGET_ARGS)})")
    return target


async def get(session: AsyncSession, *, workspace_id: int, key: str) -> Delivery | None:
    return await session.scalar(select(Delivery).where(Delivery.workspace_id == workspace_id, Delivery.key == key))


async def cancel(session: AsyncSession, *, workspace_id: int, key_prefix: str) -> int:
    """Cancel every pending delivery whose key starts with `key_prefix` (taken literally: `_` and `%` too).

    End prefixes with a separator ("checkin:41:") so that round "41" does not also cancel round "410".
    Deliveries already being sent, or finished, are left alone. Returns how many were cancelled.
    """
    if not key_prefix:
        raise ValueError("an empty prefix would cancel the whole workspace's outbox")
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.workspace_id == workspace_id,
            Delivery.key.startswith(key_prefix, autoescape=True),
            Delivery.state == DeliveryState.PENDING,
        )
        .values(state=DeliveryState.CANCELLED, claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


async def reschedule(session: AsyncSession, *, workspace_id: int, key: str, not_before: datetime) -> Delivery | None:
    """Move a pending delivery to another time; returns it, or None when it is not pending (or unknown)."""
    if not_before.tzinfo is None:
        raise ValueError("not_before must be an aware datetime")
    delivery = await get(session, workspace_id=workspace_id, key=key)
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return None
    delivery.due_at = not_before
    delivery.next_attempt_at = not_before
    return delivery


async def due(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Delivery]:
    """Pending deliveries whose time has come, oldest first, across workspaces (for the sender and operators)."""
    query = (
        select(Delivery)
        .where(Delivery.state == DeliveryState.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


@dataclass(frozen=True)
class Backlog:
    by_state: dict[str, int]
    due: int  # pending and due now, or being sent (not DMs the attention policy holds for later)
    oldest_due_at: datetime | None  # first-due time of the oldest delivery still not sent

    def oldest_age(self, now: datetime) -> float:
        return max(0.0, (now - self.oldest_due_at).total_seconds()) if self.oldest_due_at else 0.0


async def backlog(session: AsyncSession, *, now: datetime) -> Backlog:
    """The open deliveries only, by state: both counts read the partial index of open rows (ix_delivery_open), so a
    scrape costs what is waiting, not the whole history (finished ones: the senders' counters)."""
    open_states = tuple(s.value for s in OPEN)
    # The index's own predicate, as literal text: a bound parameter would not prove the index applies.
    counts = await session.execute(select(Delivery.state, func.count()).where(OPEN_ONLY).group_by(Delivery.state))
    by_state = {state: 0 for state in open_states} | {state: n for state, n in counts.all()}
    # A DM waiting for someone's working hours, focus or morning round-up is on time, not a backlog.
    waiting = (
        (Delivery.state == DeliveryState.PENDING)
        & (Delivery.next_attempt_at > now)
        & Delivery.held_reason.is_not(None)
        & Delivery.cleared_at.is_(None)
    )
    due_now = and_(OPEN_ONLY, Delivery.due_at <= now, ~waiting)
    row = (await session.execute(select(func.count(), func.min(Delivery.due_at)).where(due_now))).one()
    return Backlog(by_state=by_state, due=row[0], oldest_due_at=row[1])


async def ready(session: AsyncSession, *, now: datetime) -> int:
    """Deliveries a sender would take now or is sending: not those waiting for a person's working hours."""
    query = select(func.count()).where(
        ((Delivery.state == DeliveryState.PENDING) & (Delivery.next_attempt_at <= now))
        | (Delivery.state == DeliveryState.SENDING)
    )
    return await session.scalar(query) or 0


async def purge_finished(session: AsyncSession, *, before: datetime) -> int:
    """Delete sent, failed and cancelled deliveries created before `before` (housekeeping)."""
    result = await session.execute(delete(Delivery).where(Delivery.state.in_(FINISHED), Delivery.created_at < before))
    return result.rowcount
