"""What check-ins tell people, queued through the outbox: a round's thread and asks, reminders, answers in the
thread, the digest; and who a round asks, read from Slack. Used by the listeners (/checkin now, an answer) and
by the jobs (scheduler/checkins.py) alike, so a round started by hand looks like any other.

Every message goes under a key per (round, person, kind) (services.checkins.delivery_key), so what runs twice,
or late, queues nothing twice and misses nothing. The one Slack call made here rather than through the outbox
is reading: the channel's members (conversations.members) and the profiles of people not seen for a day
(users.info: zone, name, bots).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import profile_of
from handlers.checkins.blocks.digest import digest_message
from handlers.checkins.blocks.thread import answer_post, answered_ask, ask_message, reminder_message, thread_message
from models import AnswerSource, Audience, Cadence, Delivery, DeliveryState, Invite, Round
from services import checkins, outbox
from services.checkins import THREAD, Member, build_digest, delivery_key
from services.outcomes import Logged

log = logging.getLogger(__name__)

LOOKUPS_AT_ONCE = 8  # users.info calls in flight (Tier 4)
MEMBERS_PAGE = 200
ASK, REMIND, ANSWER, DIGEST = "ask", "remind", "answer", "digest"
KINDS = {THREAD: "checkin.thread", ASK: "checkin.ask", REMIND: "checkin.remind", ANSWER: "checkin.answer"}


# who is in a round (read from Slack) -----------------------------------------------------------------------


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
    fresh = await checkins.fresh_ids(session, workspace_id=cadence.workspace_id, user_ids=user_ids, now=now)
    return await members_of(client, user_ids, fresh, budget_seconds=budget_seconds)


# what a round sends ----------------------------------------------------------------------------------------


def owner_of(cadence: Cadence) -> str:
    return cadence.owner.slack_user_id


async def queue_round(session: AsyncSession, round_: Round) -> None:
    """The thread in the channel when the round opens, and each person's ask at their own time."""
    owner = owner_of(round_.cadence)
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=delivery_key(round_.token, THREAD),
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
            key=delivery_key(round_.token, ASK, invite.person.slack_user_id),
            kind=KINDS[ASK],
            method="chat.postMessage",
            args=ask_message(round_, invite),
            not_before=invite.ask_at,
            owner=owner,
        )


async def call_off(session: AsyncSession, *, workspace_id: int, round_tokens: Sequence[str]) -> None:
    """What deleted rounds had queued and not sent yet (a later ask, a reminder, the digest) is called off."""
    for token in round_tokens:
        await outbox.cancel(session, workspace_id=workspace_id, key_prefix=delivery_key(token, ""))


async def queue_reminder(session: AsyncSession, invite: Invite, *, now: datetime) -> None:
    round_ = invite.round
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=delivery_key(round_.token, REMIND, invite.person.slack_user_id),
        kind=KINDS[REMIND],
        method="chat.postMessage",
        args=reminder_message(round_, invite),
        not_before=now,
        owner=owner_of(round_.cadence),
    )


async def thread_delivery(session: AsyncSession, round_: Round) -> Delivery | None:
    """The round's thread message as the outbox knows it: sent, still to go, or failed (and why)."""
    return await outbox.get(session, workspace_id=round_.workspace_id, key=delivery_key(round_.token, THREAD))


async def after_answer(
    session: AsyncSession, round_: Round, invite: Invite, *, first: bool, logged: list[Logged], now: datetime
) -> None:
    """What an answer changes in Slack: the answer in the thread (a form answer; a thread reply is there
    already), the person's ask marked as answered, their reminder called off, and the digest."""
    if invite.source == AnswerSource.MODAL:
        await _post_answer(session, round_, invite, first=first, logged=logged, now=now)
    user = invite.person.slack_user_id
    await outbox.cancel(session, workspace_id=round_.workspace_id, key_prefix=delivery_key(round_.token, REMIND, user))
    await _mark_ask_answered(session, round_, invite, now=now)
    if round_.digest_posted_at is not None:
        await update_digest(session, round_, now=now)
    elif checkins.everyone_answered(round_):
        await post_digest(session, round_, now=now)


async def _post_answer(
    session: AsyncSession, round_: Round, invite: Invite, *, first: bool, logged: list[Logged], now: datetime
) -> None:
    """A form answer in the thread: posted the first time, edited in place after."""
    user, workspace_id = invite.person.slack_user_id, round_.workspace_id
    answer_key = delivery_key(round_.token, ANSWER, user)
    if first or await outbox.get(session, workspace_id=workspace_id, key=answer_key) is None:
        await outbox.enqueue(
            session,
            workspace_id=workspace_id,
            key=answer_key,
            kind=KINDS[ANSWER],
            method="chat.postMessage",
            args=answer_post(round_, invite, logged),
            not_before=now,
            thread_of=delivery_key(round_.token, THREAD),
            owner=user,  # it is their answer: they hear if it can never be posted
        )
    else:
        await outbox.enqueue(
            session,
            workspace_id=workspace_id,
            key=delivery_key(round_.token, f"edit.{invite.revision}", user),
            kind=KINDS[ANSWER],
            method="chat.update",
            args=answer_post(round_, invite, logged),
            not_before=now,
            thread_of=answer_key,
        )


async def _mark_ask_answered(session: AsyncSession, round_: Round, invite: Invite, *, now: datetime) -> None:
    user, workspace_id = invite.person.slack_user_id, round_.workspace_id
    ask_key = delivery_key(round_.token, ASK, user)
    # Not asked yet (their morning is still to come): no need to ask any more.
    unsent = await outbox.cancel(session, workspace_id=workspace_id, key_prefix=ask_key)
    ask = await outbox.get(session, workspace_id=workspace_id, key=ask_key)
    if not unsent and ask is not None and ask.state in (DeliveryState.SENT, DeliveryState.SENDING):
        await outbox.enqueue(
            session,
            workspace_id=workspace_id,
            key=delivery_key(round_.token, f"answered.{invite.revision}", user),
            kind="checkin.answered",
            method="chat.update",
            args=answered_ask(round_, invite),
            not_before=now,
            thread_of=ask_key,
        )


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
        key=delivery_key(round_.token, DIGEST),
        kind="checkin.digest",
        method="chat.postMessage",
        args=digest_message(digest),
        not_before=now,
        thread_of=delivery_key(round_.token, THREAD),
        owner=owner_of(round_.cadence),
    )


async def update_digest(session: AsyncSession, round_: Round, *, now: datetime) -> None:
    """A late answer: the digest is edited in place (chat.update), never posted again. An edit still waiting
    is replaced by this newer one."""
    digest = await build_digest(session, round_=round_, now=now)
    round_.digest_revision += 1
    prefix = delivery_key(round_.token, f"{DIGEST}.v")
    await outbox.cancel(session, workspace_id=round_.workspace_id, key_prefix=prefix)
    await outbox.enqueue(
        session,
        workspace_id=round_.workspace_id,
        key=f"{prefix}{round_.digest_revision}",
        kind="checkin.digest",
        method="chat.update",
        args=digest_message(digest),
        not_before=now,
        thread_of=delivery_key(round_.token, DIGEST),
    )
