"""Check-in jobs: "what is due now?" for rounds, reminders and digests, and the messages each one queues.

Every message goes through the outbox under a key per (round, person, kind) (services.checkins.delivery_key),
so a job that runs twice, or late, queues nothing twice and misses nothing. The handlers use the same
functions for what people do (/checkin now, an answer), so a round started by hand looks like any other.

The one Slack call made here rather than through the outbox is reading: the channel's members at each round
(conversations.members) and the profiles of people not seen for a day (users.info: zone, name, bots).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import profile_of
from handlers.blocks.checkin import (
    answer_post,
    answered_ask,
    ask_message,
    digest_message,
    reminder_message,
    thread_message,
)
from handlers.outbox.messages import failure_notice
from models import AnswerSource, Audience, Cadence, DeliveryState, Invite, Person, Round, Workspace
from services import checkins, outbox, people
from services.checkin_digest import build_digest
from services.checkins import THREAD, delivery_key
from services.delivery import NOTICE_KIND, TRANSIENT_ERRORS
from services.progress import Logged

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_SECONDS = 30  # how often the scheduler asks; a round or reminder goes out at most this late
LOOKUPS_AT_ONCE = 8  # users.info calls in flight (Tier 4)
MEMBERS_PAGE = 200
ASK, REMIND, ANSWER, DIGEST = "ask", "remind", "answer", "digest"
KINDS = {THREAD: "checkin.thread", ASK: "checkin.ask", REMIND: "checkin.remind", ANSWER: "checkin.answer"}


# who is in a round -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: str
    profile: people.Profile | None  # just read from users.info; None keeps what we know


async def channel_member_ids(client: AsyncWebClient, channel_id: str) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        reply = await client.conversations_members(channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor)
        ids += list(reply.get("members") or [])
        cursor = (reply.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return ids


async def look_up(
    client: AsyncWebClient, user_ids: Sequence[str], *, budget_seconds: float | None = None
) -> list[Member]:
    """Profiles for these people, without bots (apps are channel members too). A failed lookup keeps the person
    with what we knew; an unknown user is left out. With a budget (a request Slack waits on), lookups still to
    be made when it runs out are not made: those people are kept as they are."""
    slots = asyncio.Semaphore(LOOKUPS_AT_ONCE)
    loop = asyncio.get_running_loop()
    deadline = None if budget_seconds is None else loop.time() + budget_seconds

    async def one(user_id: str) -> Member | None:
        async with slots:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                return Member(user_id, None)
            try:
                reply = await asyncio.wait_for(client.users_info(user=user_id), left)
            except SlackApiError as exc:
                if exc.response.get("error") == "user_not_found":
                    return None
                log.warning("users.info %s: %s", user_id, exc.response.get("error"))
                return Member(user_id, None)
            except (SlackClientError, TimeoutError, OSError) as exc:
                log.warning("users.info %s: %r", user_id, exc)
                return Member(user_id, None)
        user = reply["user"]
        if user.get("is_bot") or user_id == "USLACKBOT":
            return None
        return Member(user_id, profile_of(user))

    found = await asyncio.gather(*(one(u) for u in user_ids))
    return [m for m in found if m is not None]


async def member_ids(client: AsyncWebClient, cadence: Cadence) -> list[str]:
    """Who a round of `cadence` asks, as of now: the chosen people, or the channel's current members."""
    if cadence.audience is Audience.CHOSEN:
        return [m.person.slack_user_id for m in cadence.members]
    return await channel_member_ids(client, cadence.channel_id)


async def fresh_ids(session: AsyncSession, *, workspace_id: int, user_ids: Sequence[str], now: datetime) -> set[str]:
    """Those of `user_ids` whose profile was read within a day (no need to ask Slack again)."""
    query = select(Person).where(Person.workspace_id == workspace_id, Person.slack_user_id.in_(user_ids))
    return {p.slack_user_id for p in await session.scalars(query) if not people.profile_is_stale(p, now)}


async def members_of(
    client: AsyncWebClient, user_ids: Sequence[str], fresh: set[str], *, budget_seconds: float | None = None
) -> list[Member]:
    """The round's people in order, with profiles read again for all but the fresh ones (bots dropped)."""
    stale = [u for u in user_ids if u not in fresh]
    looked_up = {m.user_id: m for m in await look_up(client, stale, budget_seconds=budget_seconds)}
    return [Member(u, None) if u in fresh else looked_up[u] for u in user_ids if u in fresh or u in looked_up]


async def roster_members(
    session: AsyncSession,
    client: AsyncWebClient,
    cadence: Cadence,
    now: datetime,
    *,
    budget_seconds: float | None = None,
) -> list[Member]:
    """All of the above at once, for a request (which holds its session anyway)."""
    user_ids = await member_ids(client, cadence)
    fresh = await fresh_ids(session, workspace_id=cadence.workspace_id, user_ids=user_ids, now=now)
    return await members_of(client, user_ids, fresh, budget_seconds=budget_seconds)


async def apply_members(
    session: AsyncSession, workspace: Workspace, members: Sequence[Member], now: datetime
) -> list[Person]:
    found = []
    for member in members:
        person = await people.ensure_person(session, workspace=workspace, slack_user_id=member.user_id)
        if member.profile is not None:
            people.apply_profile(person, member.profile, now)
        found.append(person)
    return found


# what a round sends ----------------------------------------------------------------------------------------


def _owner(cadence: Cadence) -> str:
    return cadence.owner.slack_user_id


async def enqueue_round(session: AsyncSession, round_: Round) -> None:
    """The thread in the channel when the round opens, and each person's ask at their own time."""
    owner = _owner(round_.cadence)
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=delivery_key(round_.id, THREAD),
        kind=KINDS[THREAD],
        method="chat.postMessage",
        args=thread_message(round_),
        not_before=round_.opened_at,
        owner=owner,
    )
    for invite in round_.invites:
        if invite.away:
            continue
        await outbox.enqueue(
            session,
            workspace_id=round_.workspace_id,
            key=delivery_key(round_.id, ASK, invite.person.slack_user_id),
            kind=KINDS[ASK],
            method="chat.postMessage",
            args=ask_message(round_, invite),
            not_before=invite.ask_at,
            owner=owner,
        )


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
    """Opens the round (None if that day's exists), queues its messages, and sets the cadence's next round."""
    roster = await apply_members(session, workspace, members, now)
    round_ = await checkins.open_round(
        session, cadence=cadence, roster=roster, occurs_on=occurs_on, now=now, started_by=started_by
    )
    if round_ is not None:
        await enqueue_round(session, round_)
    await checkins.schedule_next(session, cadence=cadence, now=now)
    return round_


async def after_answer(
    session: AsyncSession, round_: Round, invite: Invite, *, first: bool, logged: list[Logged], now: datetime
) -> None:
    """What an answer changes in Slack: the answer in the thread (a form answer; a thread reply is there
    already), the person's ask marked as answered, their reminder called off, and the digest."""
    user = invite.person.slack_user_id
    workspace_id = round_.workspace_id
    owner = _owner(round_.cadence)
    if invite.source == AnswerSource.MODAL:
        answer_key = delivery_key(round_.id, ANSWER, user)
        if first or await outbox.get(session, workspace_id=workspace_id, key=answer_key) is None:
            await outbox.enqueue(
                session,
                workspace_id=workspace_id,
                key=answer_key,
                kind=KINDS[ANSWER],
                method="chat.postMessage",
                args=answer_post(round_, invite, logged),
                not_before=now,
                thread_of=delivery_key(round_.id, THREAD),
                owner=owner,
            )
        else:
            await outbox.enqueue(
                session,
                workspace_id=workspace_id,
                key=delivery_key(round_.id, f"edit.{invite.revision}", user),
                kind=KINDS[ANSWER],
                method="chat.update",
                args=answer_post(round_, invite, logged),
                not_before=now,
                thread_of=answer_key,
            )
    await outbox.cancel(session, workspace_id=workspace_id, key_prefix=delivery_key(round_.id, REMIND, user))
    ask_key = delivery_key(round_.id, ASK, user)
    # Not asked yet (their morning is still to come): no need to ask any more.
    unsent = await outbox.cancel(session, workspace_id=workspace_id, key_prefix=ask_key)
    ask = await outbox.get(session, workspace_id=workspace_id, key=ask_key)
    if not unsent and ask is not None and ask.state in (DeliveryState.SENT, DeliveryState.SENDING):
        await outbox.enqueue(
            session,
            workspace_id=workspace_id,
            key=delivery_key(round_.id, f"answered.{invite.revision}", user),
            kind="checkin.answered",
            method="chat.update",
            args=answered_ask(round_, invite),
            not_before=now,
            thread_of=ask_key,
        )
    if round_.digest_posted_at is not None:
        await update_digest(session, round_, now=now)
    elif checkins.everyone_answered(round_):
        await post_digest(session, round_, now=now)


async def post_digest(session: AsyncSession, round_: Round, *, now: datetime) -> None:
    """The digest in the round's thread, once (at digest time, or when everyone has answered)."""
    if round_.digest_posted_at is not None:
        return
    digest = await build_digest(session, round_=round_, now=now)
    round_.digest_posted_at = now
    round_.digest_revision = 1
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=delivery_key(round_.id, DIGEST),
        kind="checkin.digest",
        method="chat.postMessage",
        args=digest_message(digest),
        not_before=now,
        thread_of=delivery_key(round_.id, THREAD),
        owner=_owner(round_.cadence),
    )


async def update_digest(session: AsyncSession, round_: Round, *, now: datetime) -> None:
    """A late answer: the digest is edited in place (chat.update), never posted again. An edit still waiting
    is replaced by this newer one."""
    digest = await build_digest(session, round_=round_, now=now)
    round_.digest_revision += 1
    prefix = delivery_key(round_.id, f"{DIGEST}.v")
    await outbox.cancel(session, workspace_id=round_.workspace_id, key_prefix=prefix)
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=f"{prefix}{round_.digest_revision}",
        kind="checkin.digest",
        method="chat.update",
        args=digest_message(digest),
        not_before=now,
        thread_of=delivery_key(round_.id, DIGEST),
    )


async def tell_owner(session: AsyncSession, cadence: Cadence, error: str, *, now: datetime) -> None:
    """The cadence's owner hears, once per cause, that its channel could not be read."""
    await outbox.enqueue(
        session,
        workspace_id=cadence.workspace_id,
        key=f"{checkins.KEY_PREFIX}:cadence:{cadence.id}:{error}"[:200],
        kind=NOTICE_KIND,
        method="chat.postMessage",
        args=failure_notice(owner=_owner(cadence), target=cadence.channel_id, error=error, kind=KINDS[THREAD]),
        not_before=now,
    )


# the jobs ----------------------------------------------------------------------------------------------------


async def open_due_rounds(ctx: JobContext) -> int:
    """Opens each cadence's round whose time has come; returns how many opened."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = [(c.id, c.workspace_id) for c in await checkins.due_cadences(session, now=now)]
    opened = 0
    for cadence_id, workspace_id in due:
        try:
            opened += await _open_one(ctx, cadence_id, workspace_id, now)
        except Exception:  # one channel's trouble must not hold up the others; it is tried again next run
            log.exception("opening the check-in round of cadence %s failed", cadence_id)
    return opened


async def _open_one(ctx: JobContext, cadence_id: int, workspace_id: int, now: datetime) -> int:
    # No transaction is open while Slack is asked (SQLite's writers would wait on it): read, ask, then write.
    async with ctx.sessions() as session:
        cadence = await checkins.get_cadence_by_id(session, workspace_id=workspace_id, cadence_id=cadence_id)
        workspace = await session.get(Workspace, workspace_id)
        day = await checkins.latest_due_day(session, cadence=cadence, now=now) if cadence else None
    if cadence is None or workspace is None or day is None:
        return 0
    members: list[Member] = []
    refusal = None
    client = await ctx.clients.client_for(workspace.team_id, workspace.enterprise_id)
    if client is None:
        log.warning("check-in in %s skipped: the app is not installed in %s", cadence.channel_id, workspace.team_id)
    else:
        try:
            user_ids = await member_ids(client, cadence)
        except SlackApiError as exc:
            refusal = str(exc.response.get("error"))
            if exc.response.status_code == 429 or exc.response.status_code >= 500 or refusal in TRANSIENT_ERRORS:
                raise  # tried again at the next run
            log.warning("check-in in %s skipped: conversations.members says %s", cadence.channel_id, refusal)
        else:
            async with ctx.sessions() as session:
                fresh = await fresh_ids(session, workspace_id=workspace_id, user_ids=user_ids, now=now)
            members = await members_of(client, user_ids, fresh)
    async with ctx.sessions.begin() as session:
        cadence = await checkins.get_cadence_by_id(session, workspace_id=workspace_id, cadence_id=cadence_id)
        workspace = await session.get(Workspace, workspace_id)
        if cadence is None or workspace is None or cadence.next_on is None:
            return 0  # deleted or paused meanwhile
        if not members:  # nobody to ask, or Slack refused: this occurrence is skipped, and the owner told once
            if refusal:
                await tell_owner(session, cadence, refusal, now=now)
            await checkins.schedule_next(session, cadence=cadence, now=now)
            return 0
        round_ = await start_round(
            session, cadence=cadence, workspace=workspace, members=members, occurs_on=day, now=now
        )
    return 1 if round_ is not None else 0


async def send_due_reminders(ctx: JobContext) -> int:
    now = ctx.now()
    sent = 0
    while True:
        async with ctx.sessions.begin() as session:
            due = await checkins.due_reminders(session, now=now)
            for invite in due:
                if not checkins.take_reminder(invite, now):
                    continue
                round_ = invite.round
                await outbox.enqueue(
                    session,
                    workspace_id=round_.workspace_id,
                    key=delivery_key(round_.id, REMIND, invite.person.slack_user_id),
                    kind=KINDS[REMIND],
                    method="chat.postMessage",
                    args=reminder_message(round_, invite),
                    not_before=now,
                    owner=_owner(round_.cadence),
                )
                sent += 1
        if len(due) < checkins.REMINDER_BATCH:
            return sent


async def post_due_digests(ctx: JobContext) -> int:
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await checkins.due_digests(session, now=now)
    for workspace_id, round_id in due:
        async with ctx.sessions.begin() as session:
            round_ = await checkins.load_round(session, workspace_id=workspace_id, round_id=round_id, lock=True)
            if round_ is not None:
                await post_digest(session, round_, now=now)
    return len(due)


async def check_ins_due(ctx: JobContext) -> None:
    await open_due_rounds(ctx)
    await send_due_reminders(ctx)
    await post_due_digests(ctx)


def register(runner: Runner) -> None:
    runner.register_job("checkins", check_ins_due, seconds=JOB_SECONDS)
