"""Personal tokens for the read API: a BI tool holds one in place of a browser session. The token is shown once
and only its SHA-256 is stored, so finding it is one indexed lookup of the hash (no comparison of secrets that a
timing difference could leak) and a copy of the database lets nobody in. Revoked means refused at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import ApiToken, Person, Workspace
from services.errors import Forbidden, Invalid, NotFound
from services.web.signin import digest

PREFIX = "ftk_"  # says what a leaked string is, for secret scanners and for whoever finds it
NAME_LENGTH = 80
USE_GRANULARITY = timedelta(minutes=1)  # last_used_at is written at most this often: a busy BI tool is no load


@dataclass(frozen=True)
class Caller:
    """Who a valid token speaks for: everything the API returns is scoped to this workspace."""

    workspace: Workspace
    person: Person
    token_id: int


async def create(session: AsyncSession, *, person: Person, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `person`: the row, and the token itself (shown once, never stored)."""
    name = " ".join(name.split())
    if len(name) > NAME_LENGTH:
        raise Invalid({"name": f"A token's name has at most {NAME_LENGTH} characters."})
    name = name or f"token {await _count(session, person) + 1}"
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(workspace_id=person.workspace_id, person_id=person.id, token_hash=digest(token), name=name,
                   created_at=now)  # fmt: skip
    session.add(row)
    await session.flush()
    return row, token


async def _count(session: AsyncSession, person: Person) -> int:
    return len((await session.scalars(select(ApiToken.id).where(ApiToken.person_id == person.id))).all())


async def owned(session: AsyncSession, *, person: Person) -> list[ApiToken]:
    """This person's tokens that still work, oldest first."""
    query = select(ApiToken).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
    return list(await session.scalars(query.order_by(ApiToken.id)))


async def revoke(session: AsyncSession, *, person: Person, which: str, now: datetime) -> ApiToken:
    """Revoke a token by its name or its number: one's own, or (admins) anyone's in the workspace."""
    which = " ".join(which.split())
    if not which:
        raise Invalid({"which": "Say which token: its name or its number from `/followthrough token list`."})
    query = select(ApiToken).where(ApiToken.workspace_id == person.workspace_id, ApiToken.revoked_at.is_(None))
    number = which.removeprefix("#")
    matches = [ApiToken.name == which] + ([ApiToken.id == int(number)] if number.isdigit() else [])
    found = list(await session.scalars(query.where(or_(*matches)).order_by(ApiToken.id)))
    mine = [t for t in found if t.person_id == person.id]
    if mine:
        found = mine
    if not found:
        raise NotFound(which)
    if found[0].person_id != person.id and not person.is_admin:
        raise Forbidden("revoke someone else's API token", role="its owner")
    token = found[0]
    await session.execute(update(ApiToken).where(ApiToken.id == token.id).values(revoked_at=now))
    token.revoked_at = now
    return token


async def authenticate(session: AsyncSession, *, token: str | None, now: datetime) -> Caller | None:
    """The caller behind a bearer token, if it is one of ours, not revoked, and its person is still in Slack."""
    if not token or len(token) > 200:
        return None
    row = await session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    person = await session.get(Person, row.person_id)
    workspace = await session.get(Workspace, row.workspace_id)
    if person is None or workspace is None or person.is_deleted or person.workspace_id != workspace.id:
        return None
    if row.last_used_at is None or now - row.last_used_at >= USE_GRANULARITY:
        # One guarded statement: two requests in the same minute write once, and nothing is read back.
        stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_GRANULARITY)
        await session.execute(update(ApiToken).where(ApiToken.id == row.id, stale).values(last_used_at=now))
    return Caller(workspace=workspace, person=person, token_id=row.id)
