"""Each thing Slack sends acts once.

- An event, by its `event_id`: Slack retries events it thinks failed (`X-Slack-Retry-Num`).
- A signed request replayed within its 5-minute window, by its signature: the same bytes, signed once.
- A form submitted more than once (a double click, a slow network), by the view's id and what was typed.

The keys are recorded in `slack_event` with the request's own writes. A duplicate is answered 200 with nothing
done. A request that fails forgets its keys, so that Slack's retry (or the person's next try) does the work;
so does a form answered with field errors, since the same values may be sent again once the cause is gone.

On PostgreSQL the first key is recorded by the statement that also reads the request's workspace and person: one
round trip instead of two on every request (each cost about 0.1 ms of CPU); `load_actor` takes what it found.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy import bindparam, delete, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models import SlackEvent
from models.base import utcnow
from services import people
from services.prebuilt import Prebuilt

log = logging.getLogger(__name__)
# Options requests change nothing, and every keystroke in a menu sends one: not worth a write each.
REPLAYABLE = {"view_submission", "block_actions", "shortcut", "message_action"}
_VALUES = {"event_id": bindparam("event_id"), "team_id": bindparam("team_id"), "received_at": bindparam("at")}
_INSERTS = {  # built once: this runs on every request
    "postgresql": Prebuilt(postgresql.insert(SlackEvent.__table__).values(_VALUES).on_conflict_do_nothing()),
    "sqlite": Prebuilt(sqlite.insert(SlackEvent.__table__).values(_VALUES).on_conflict_do_nothing()),
}
FOUND_ACTOR = "found_actor"  # the context's (workspace, person) or None, when the key's statement looked them up
_recorded = (
    postgresql.insert(SlackEvent.__table__)
    .values({**_VALUES, "team_id": bindparam("event_team")})  # the actor's lookup has a team_id of its own
    .on_conflict_do_nothing()
    .returning(SlackEvent.event_id)
    .cte("recorded")
)
_counted = select(func.count().label("recorded")).select_from(_recorded).subquery("counted")
_actor = people.ACTOR_LOOKUP.subquery("actor")
# One row whether or not the person is known yet: how many rows the insert made (0: a repeat), then the actor.
_RECORD_AND_FIND = Prebuilt(select(_counted.c.recorded, *_actor.c).select_from(_counted.outerjoin(_actor, true())))


def acting_team(context: dict[str, Any]) -> str | None:
    """The team a request's workspace is looked up by (an org-wide request has only its enterprise): the same for
    the key's lookup here and load_actor's, so that what one found is what the other would."""
    return context.get("team_id") or context.get("enterprise_id")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def view_key(body: dict[str, Any]) -> str | None:
    if body.get("type") != "view_submission":
        return None
    view = body.get("view") or {}
    values = json.dumps((view.get("state") or {}).get("values") or {}, sort_keys=True)
    # The hash changes whenever the view is updated, so a form redrawn and sent again is a new submission.
    identity = (str(view.get("id")), str(view.get("hash")), str((body.get("user") or {}).get("id")))
    return "view:" + _digest(*identity, values)


def keys_of(body: dict[str, Any], request: AsyncBoltRequest) -> list[str]:
    keys: list[str] = []
    if body.get("type") == "event_callback" and body.get("event_id"):
        keys.append(str(body["event_id"]))
    signature = (request.headers.get("x-slack-signature") or [None])[0]
    if signature and (body.get("command") or body.get("type") in REPLAYABLE):
        keys.append("sig:" + _digest(signature))
    if (key := view_key(body)) is not None:
        keys.append(key)
    return keys


async def act_once(
    context: dict[str, Any], body: dict[str, Any], request: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
) -> BoltResponse | None:
    """Bolt middleware: drops what was already acted on, and records what is about to be."""
    keys = keys_of(body, request)
    request.context["once_keys"] = keys
    session: AsyncSession = context["db"]
    team_id, user_id = acting_team(context), context.get("user_id")
    at = utcnow()
    for n, key in enumerate(keys):
        values = {"event_id": key, "team_id": context.get("team_id"), "at": at}
        if n == 0 and team_id and user_id and session.bind.dialect.name == "postgresql":
            row = await _RECORD_AND_FIND.first(
                session, {**values, "event_team": values["team_id"], "team_id": team_id, "user_id": user_id}
            )
            assert row is not None  # the outer join always gives one
            context[FOUND_ACTOR] = people.actor_of(session, row, 1)
            done = row[0]
        else:
            # One statement, no savepoint: a key already there inserts nothing (a concurrent twin waits for the
            # first one's commit, then inserts nothing).
            done = await _INSERTS[session.bind.dialect.name].execute(session, values)
        if done == 0:
            log.info("already acted on %s; answering the repeat without acting", key.split(":")[0])
            return BoltResponse(status=200, body="")
    await next()
    return None


async def forget(session: AsyncSession, keys: list[str]) -> None:
    """Removes the keys (they may have been committed already: every Slack call commits first)."""
    if keys:
        await session.execute(delete(SlackEvent).where(SlackEvent.event_id.in_(keys)))
        await session.commit()


def refused_form(response: BoltResponse) -> bool:
    """A form answered with field errors: nothing was stored, and the same values may come again."""
    return response.status == 200 and '"response_action": "errors"' in (response.body or "").replace(
        '"response_action":"errors"', '"response_action": "errors"'
    )
