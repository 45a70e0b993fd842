"""A cadence's rounds: who is in one, opening it (by the scheduler or by hand), finding it again, who has not
answered, and the scheduler's questions about reminders and digests.

Slack-free: a round's people come in as `Member`s (read from Slack by the caller); the messages a round needs
are queued by handlers.checkins.messages from what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Cadence, Delivery, Invite, Person, Round, Workspace, ZoneMode
from models.base import new_token
from services import people
from services.checkins.rules import KEY_PREFIX, REMINDER_BATCH, THREAD
from services.checkins.schedule import schedule_next
from services.people import zone_of
from services.recurrence import local_instant

# who is in a round -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: str
    profile: people.Profile | None  # just read from users.info; None keeps what we know


async def fresh_ids(session: AsyncSession, *, workspace_id: int, user_ids: Sequence[str], now: datetime) -> set[str]:
    """Those of `user_ids` whose profile was read within a day (no need to ask Slack again)."""
    query = select(Person).where(Person.workspace_id == workspace_id, Person.slack_user_id.in_(user_ids))
    return {p.slack_user_id for p in await session.scalars(query) if not people.profile_is_stale(p, now)}


async def _people_of(
    session: AsyncSession, workspace: Workspace, members: Sequence[Member], now: datetime
) -> list[Person]:
    found = []
    for member in members:
        person = await people.ensure_person(session, workspace=workspace, slack_user_id=member.user_id)
        if member.profile is not None:
            people.apply_profile(person, member.profile, now)
        found.append(person)
    return found


def _roster(persons: Sequence[Person]) -> list[Person]:
    return [p for p in {p.id: p for p in persons}.values() if not p.is_deleted]


# opening a round -------------------------------------------------------------------------------------------


async def start_round(
    session: AsyncSession,
    *,
    cadence: Cadence,
    workspace: Workspace,
    members: Sequence[Member],
    occurs_on: date,
    now: datetime,
    started_by: Person | None = None,
) -> Round | None:
    """Opens the round (None if that day's exists) with these members, and sets the cadence's next round.
    The caller queues the round's messages (handlers.checkins.messages.queue_round)."""
    roster = await _people_of(session, workspace, members, now)
    round_ = await open_round(
        session, cadence=cadence, roster=roster, occurs_on=occurs_on, now=now, started_by=started_by
    )
    await schedule_next(session, cadence=cadence, now=now)
    return round_


def _invite(cadence: Cadence, person: Person, occurs_on: date, now: datetime, *, by_hand: bool) -> Invite:
    own_zone = zone_of(person, cadence.timezone)
    ask_zone = own_zone if cadence.zone_mode is ZoneMode.PERSONAL else ZoneInfo(cadence.timezone)
    ask_at = now if by_hand else max(now, local_instant(occurs_on, cadence.local_time, ask_zone))
    away = person.away_until is not None and ask_at.astimezone(own_zone).date() <= person.away_until
    remind_at = None
    if not away and cadence.remind_after_minutes is not None:
        remind_at = ask_at + timedelta(minutes=cadence.remind_after_minutes)
    return Invite(
        workspace_id=cadence.workspace_id,
        person_id=person.id,
        person=person,
        ask_at=ask_at,
        away=away,
        remind_at=remind_at,
        revision=0,
        late=False,
    )


async def open_round(
    session: AsyncSession,
    *,
    cadence: Cadence,
    roster: Sequence[Person],
    occurs_on: date,
    now: datetime,
    started_by: Person | None = None,
) -> Round | None:
    """Opens the round of `occurs_on` with an invite for each person of `roster`; None if that day's round
    exists already (so a repeated or concurrent run opens it once).

    Each person is asked at the cadence's wall time in their own zone (or the team's), or at once for a
    round started by hand; never before now. Someone away that day (in their zone) is invited but not asked."""
    if await session.scalar(select(Round.id).where(Round.cadence_id == cadence.id, Round.occurs_on == occurs_on)):
        return None
    invites = [_invite(cadence, p, occurs_on, now, by_hand=started_by is not None) for p in _roster(roster)]
    asked = [i.ask_at for i in invites if not i.away]
    opened_at = min(asked) if asked else now
    round_ = Round(
        token=new_token(),
        workspace_id=cadence.workspace_id,
        cadence_id=cadence.id,
        channel_id=cadence.channel_id,
        occurs_on=occurs_on,
        opened_at=opened_at,
        started_by_id=started_by.id if started_by else None,
        questions=list(cadence.questions),
        ask_blocker=cadence.ask_blocker,
        ask_confidence=cadence.ask_confidence,
        digest_at=opened_at + timedelta(minutes=cadence.digest_after_minutes),
        digest_revision=0,
        invites=invites,
    )
    round_.cadence = cadence
    try:
        async with session.begin_nested():
            session.add(round_)
    except IntegrityError:  # opened concurrently by another scheduler or a /checkin now
        return None
    return round_


# finding a round -------------------------------------------------------------------------------------------


async def load_round(
    session: AsyncSession,
    *,
    workspace_id: int,
    round_id: int | None = None,
    token: str | None = None,
    lock: bool = False,
) -> Round | None:
    """A round (by id, or by the token its buttons carry) with its invites, their people and its cadence. `lock`
    for writers of its answers or digest: an answer and the digest job then take turns, so the digest never
    misses an answer committed meanwhile."""
    which = Round.id == round_id if token is None else Round.token == token
    query = (
        select(Round)
        .where(Round.workspace_id == workspace_id, which)
        .options(
            selectinload(Round.invites).selectinload(Invite.person),
            selectinload(Round.cadence).selectinload(Cadence.owner),
        )
    )
    if lock:
        query = query.with_for_update(of=Round)
    return await session.scalar(query)


async def previous_round(session: AsyncSession, *, round_: Round) -> Round | None:
    query = (
        select(Round)
        .where(Round.cadence_id == round_.cadence_id, Round.occurs_on < round_.occurs_on)
        .order_by(Round.occurs_on.desc())
        .limit(1)
    )
    return await session.scalar(query)


def delivery_key(round_token: str, kind: str, user_id: str | None = None) -> str:
    """The outbox key of one of a round's messages: one per (round, person, kind). Built from the round's token,
    never its id: SQLite gives a deleted round's id to the next one, whose messages would then match keys sent
    already and never go. The kind comes last, so a prefix ending in a person's id and a kind cancels exactly
    that message."""
    return f"{KEY_PREFIX}:{round_token}:{user_id}:{kind}" if user_id else f"{KEY_PREFIX}:{round_token}:{kind}"


async def round_for_thread(
    session: AsyncSession, *, workspace_id: int, channel_id: str, thread_ts: str
) -> Round | None:
    """The round whose thread starts at `thread_ts` in this channel. A round learns its thread's ts from the
    outbox (the ts Slack gave its thread message) the first time someone replies there."""
    in_channel = (Round.workspace_id == workspace_id, Round.channel_id == channel_id)
    round_id = await session.scalar(select(Round.id).where(*in_channel, Round.thread_ts == thread_ts))
    if round_id is None:
        thread_key = literal(f"{KEY_PREFIX}:") + Round.token + literal(f":{THREAD}")
        sent = (
            select(Round)
            .join(Delivery, (Delivery.workspace_id == Round.workspace_id) & (Delivery.key == thread_key))
            .where(*in_channel, Round.thread_ts.is_(None), Delivery.slack_ts == thread_ts)
        )
        found = await session.scalar(sent)
        if found is None:
            return None
        found.thread_ts = thread_ts
        round_id = found.id
    return await load_round(session, workspace_id=workspace_id, round_id=round_id, lock=True)


def invite_of(round_: Round, person: Person) -> Invite | None:
    return next((i for i in round_.invites if i.person_id == person.id), None)


def missing(round_: Round) -> list[Invite]:
    """Who was asked and has not answered (people away are not missing)."""
    return [i for i in round_.invites if not i.away and not i.answered]


def everyone_answered(round_: Round) -> bool:
    asked = [i for i in round_.invites if not i.away]
    return bool(asked) and not missing(round_)


# the scheduler's other questions ---------------------------------------------------------------------------


async def due_reminders(session: AsyncSession, *, now: datetime, limit: int = REMINDER_BATCH) -> list[Invite]:
    """Invites whose one reminder is due: asked, not answered, not reminded yet (across workspaces)."""
    query = (
        select(Invite)
        .where(Invite.remind_at <= now)
        .order_by(Invite.remind_at, Invite.id)
        .limit(limit)
        # An answer coming in meanwhile waits for (or is skipped by) this claim, never crosses it.
        .with_for_update(skip_locked=True, of=Invite)
        .options(
            selectinload(Invite.person),
            selectinload(Invite.round).selectinload(Round.cadence).selectinload(Cadence.owner),
        )
    )
    return list(await session.scalars(query))


def take_reminder(invite: Invite, now: datetime) -> bool:
    """Marks the reminder as sent; False when it is no longer wanted (answered meanwhile, or away)."""
    wanted = not invite.answered and not invite.away and invite.reminded_at is None
    invite.remind_at = None
    if wanted:
        invite.reminded_at = now
    return wanted


async def due_digests(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
    """(workspace id, round id) of rounds whose digest time has come and has not gone out (across workspaces)."""
    query = (
        select(Round.workspace_id, Round.id)
        .where(Round.digest_posted_at.is_(None), Round.digest_at <= now)
        .order_by(Round.digest_at, Round.id)
        .limit(limit)
    )
    return [(row.workspace_id, row.id) for row in await session.execute(query)]
