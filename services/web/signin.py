"""Signing in to the dashboard: `/followthrough dashboard` hands out a link that works once, for ten minutes;
opening it starts a browser session for that person in that workspace. With OAuth, Sign in with Slack (OpenID
Connect) names the workspace and person instead, and opens the same kind of session. Tokens are random and only their
SHA-256 is stored; using a link is one guarded UPDATE, so two clicks (or two replicas) cannot both sign in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Person, WebLink, WebSession, Workspace, slack_installations
from services import people

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(days=7)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Viewer:
    """Who a browser session is: what every page and action is scoped to."""

    workspace: Workspace
    person: Person
    session_id: int
    csrf: str  # what a form posts back to prove it came from our page
    workspace_name: str = ""  # the header's name: stored, else the installation's, else the team id


async def issue_link(session: AsyncSession, *, person: Person, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    session.add(WebLink(workspace_id=person.workspace_id, person_id=person.id, token_hash=digest(token),
                        expires_at=now + LINK_LIFETIME))  # fmt: skip
    await session.flush()
    return token


async def redeem(session: AsyncSession, *, token: str, now: datetime) -> str | None:
    """A new session's token for a link used for the first time before it expired; None otherwise."""
    used = await session.execute(
        update(WebLink)
        .where(WebLink.token_hash == digest(token), WebLink.used_at.is_(None), WebLink.expires_at > now)
        .values(used_at=now)
        .returning(WebLink.workspace_id, WebLink.person_id)
    )
    row = used.first()
    person = None if row is None else await session.get(Person, row.person_id)
    if person is None or person.workspace_id != row.workspace_id:
        return None
    return await open_session(session, person=person, now=now)


async def open_session(session: AsyncSession, *, person: Person, now: datetime) -> str:
    """A new browser session for `person`; only the token's hash is stored, the token goes to the cookie."""
    opened = secrets.token_urlsafe(32)
    session.add(WebSession(workspace_id=person.workspace_id, person_id=person.id, token_hash=digest(opened),
                           expires_at=now + SESSION_LIFETIME))  # fmt: skip
    await session.flush()
    return opened


async def open_slack_session(
    session: AsyncSession, *, team_id: str, user_id: str, now: datetime, default_timezone: str = "UTC"
) -> str | None:
    """A session for the person Slack vouched for (Sign in with Slack); None for someone who has left. The caller
    checks first that the app is installed in the workspace."""
    workspace = await people.ensure_workspace(session, team_id=team_id, default_timezone=default_timezone)
    person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
    if person.is_deleted:
        return None
    return await open_session(session, person=person, now=now)


async def viewer(session: AsyncSession, *, token: str | None, now: datetime) -> Viewer | None:
    """The person behind a session cookie, while the session lasts and they are still in Slack."""
    if not token:
        return None
    found = await session.scalar(
        select(WebSession).where(
            WebSession.token_hash == digest(token), WebSession.ended_at.is_(None), WebSession.expires_at > now
        )
    )
    if found is None:
        return None
    person = await session.get(Person, found.person_id)
    workspace = await session.get(Workspace, found.workspace_id)
    if person is None or workspace is None or person.is_deleted or person.workspace_id != workspace.id:
        return None
    csrf = hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()
    name = workspace.name or await _installed_name(session, workspace.team_id) or workspace.team_id
    return Viewer(workspace=workspace, person=person, session_id=found.id, csrf=csrf, workspace_name=name)


async def _installed_name(session: AsyncSession, team_id: str) -> str | None:
    """The team name Slack gave at the latest install (OAuth mode); nothing in single-workspace mode."""
    t = slack_installations.c
    query = select(t.team_name).where(t.team_id == team_id).order_by(t.installed_at.desc()).limit(1)
    return await session.scalar(query)


async def sign_out(session: AsyncSession, *, viewer: Viewer, now: datetime) -> None:
    await session.execute(update(WebSession).where(WebSession.id == viewer.session_id).values(ended_at=now))
