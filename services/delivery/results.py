"""Recording what Slack said about a claimed delivery: sent (several at once), retried later with backoff, failed,
or released unsent; each write checks the claim is still this sender's."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import String, and_, bindparam, case, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from models import Delivery, DeliveryState, FailureNotice
from services.delivery.claims import NOW

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


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(minutes=15)

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """Exponential backoff with jitter: after attempt n, between half and all of base * 2**(n-1), capped."""
        ceiling = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return ceiling * (0.5 + rng.random() / 2)


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
