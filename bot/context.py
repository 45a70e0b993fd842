"""Per-request context: the database session around the whole dispatch, the workspace and the person.

The session is opened by `dispatch` around Bolt's whole dispatch (Bolt's global middleware cannot wrap
the listener), so a listener's writes commit together, or not at all when it fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import once
from bot.failures import TookTooLong, failure_response
from bot.request_client import REQUEST_BUDGET
from models import Person
from services import people

log = logging.getLogger(__name__)
PROFILE_LOOKUP_TIMEOUT = 1.0  # seconds; the ack deadline is 3 s, a stale profile is not worth missing it
Next = Callable[[], Awaitable[None]]
ANSWER_WITHIN = REQUEST_BUDGET + 0.2  # the whole answer, commit included, well inside Slack's 3 s
_abandoned: set[asyncio.Future] = set()  # requests given up on, still cleaning up


async def dispatch(
    app: AsyncApp, sessions: async_sessionmaker[AsyncSession], request: AsyncBoltRequest
) -> BoltResponse:
    """Runs Bolt's dispatch in one session and answers within Slack's 3 s whatever happens: when the database
    stalls, the work is abandoned (its transaction rolls back as the connection gives up) and the person is told."""
    request.context["deadline"] = asyncio.get_running_loop().time() + REQUEST_BUDGET
    work = asyncio.ensure_future(_dispatch_in_session(app, sessions, request))
    done, _ = await asyncio.wait({work}, timeout=ANSWER_WITHIN)
    if work in done:
        return work.result()
    work.cancel()  # its clean-up may wait on the stalled database too: let it finish in the background
    _abandoned.add(work)
    work.add_done_callback(_abandoned.discard)
    return failure_response(TookTooLong(f"no answer within {ANSWER_WITHIN:g} s"), request.body)


async def _dispatch_in_session(
    app: AsyncApp, sessions: async_sessionmaker[AsyncSession], request: AsyncBoltRequest
) -> BoltResponse:
    async with sessions() as session:
        request.context["db"] = session
        request.context["sessions"] = sessions  # lazy listeners outlive this session and open their own
        response = await app.async_dispatch(request)
        keys = request.context.get("once_keys") or []
        try:
            if response.status >= 500 or response.status == 200 and failed(response):
                await session.rollback()
                await once.forget(session, keys)
            else:
                if once.refused_form(response):
                    await once.forget(session, [k for k in keys if k.startswith("view:")])
                await session.commit()
        except Exception as error:  # the commit itself failed: nothing stored, so the person must not read "done"
            await _quiet_rollback(session)
            return failure_response(error, request.body)
    return response


def failed(response: BoltResponse) -> bool:
    """A friendly failure answer (see bot.failures) stores nothing, although Slack gets a 200."""
    return response.headers.get("x-followthrough-failed") == ["1"]


async def _quiet_rollback(session: AsyncSession) -> None:
    try:
        await session.rollback()
    except Exception:  # the connection is gone; the session is closed next anyway
        log.debug("rollback after a failed commit failed too", exc_info=True)


def load_actor(default_timezone: str) -> Callable[..., Awaitable[None]]:
    async def middleware(context: dict[str, Any], client: AsyncWebClient, next: Next) -> None:
        team_id = once.acting_team(context)
        if team_id and "db" in context:
            session: AsyncSession = context["db"]
            if not context.user_id:
                found = None
            elif once.FOUND_ACTOR in context:  # looked up with the request's key, in the same round trip
                found = context[once.FOUND_ACTOR]
            else:
                found = await people.find_actor(session, team_id=team_id, slack_user_id=context.user_id)
            if found:
                workspace, person = found
            else:
                workspace = await people.ensure_workspace(
                    session, team_id=team_id, enterprise_id=context.enterprise_id, default_timezone=default_timezone
                )
                person = (
                    await people.ensure_person(session, workspace=workspace, slack_user_id=context.user_id)
                    if context.user_id
                    else None
                )
            context["workspace"] = workspace
            if person is not None:
                await refresh_profile(client, person, context["now"])
                context["person"] = person
        await next()

    return middleware


async def refresh_profile(client: AsyncWebClient, person: Person, now: datetime) -> None:
    if not people.profile_is_stale(person, now):
        return
    try:
        reply = await asyncio.wait_for(client.users_info(user=person.slack_user_id), PROFILE_LOOKUP_TIMEOUT)
    except (TimeoutError, SlackApiError) as exc:
        log.warning("users.info for %s failed (%s); keeping the stored profile", person.slack_user_id, exc)
        return
    people.apply_profile(person, profile_of(reply["user"]), now)


def profile_of(user: dict) -> people.Profile:
    """What we keep from a Slack user object (users.info): the one place that reads its fields."""
    profile = user.get("profile") or {}
    return people.Profile(
        display_name=profile.get("display_name") or user.get("real_name") or user.get("name"),
        timezone=user.get("tz"),
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
        is_deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == people.SLACKBOT,
    )
