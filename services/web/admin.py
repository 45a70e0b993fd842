"""The dashboard's admin page: the workspace's settings at a glance, whether (and when) the app was installed, every
personal API token with who holds it, and the browser sessions that are signed in, and the two things an admin
does there: revoke anyone's token, sign someone out everywhere. Admins only (`Forbidden` otherwise); everything is
scoped to the admin's workspace, so another workspace's token or person is simply not found. No secret is read:
tokens are known here by name and number, installations by date and scopes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import ApiToken, Person, WebSession, Workspace, slack_installations
from services.errors import Forbidden, NotFound
from services.health.settings import DAYS, settings_of, threshold_names

RECENT_SESSIONS = 50  # the page shows the latest sign-ins; older ones are still ended by "sign out everywhere"


@dataclass(frozen=True)
class Installation:
    installed_at: datetime
    installer_id: str | None  # Slack user id of whoever installed it
    scopes: str


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    owner: str
    owner_id: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    person: str
    person_id: str
    signed_in_at: datetime
    expires_at: datetime
    current: bool  # the admin's own browser


@dataclass(frozen=True)
class AdminPage:
    timezone: str
    people: int
    admins: list[str]
    health: list[tuple[str, str]]  # (setting, value) with changed ones marked
    installation: Installation | None  # None: no OAuth install recorded (a single-workspace token)
    tokens: list[TokenRow]
    sessions: list[SessionRow]


def _check(actor: Person, what: str) -> None:
    if not actor.is_admin:
        raise Forbidden(what, role="a workspace admin")


def _name(display_name: str | None, slack_user_id: str) -> str:
    return display_name or slack_user_id


async def admin_page(session: AsyncSession, *, workspace: Workspace, actor: Person, session_id: int, now: datetime
                     ) -> AdminPage:  # fmt: skip
    _check(actor, "open the admin page")
    ws = workspace.id
    people = select(Person).where(Person.workspace_id == ws, Person.is_deleted.is_(False), Person.is_bot.is_(False))
    everyone = list(await session.scalars(people))
    settings = await settings_of(session, workspace_id=ws)
    changed = settings.thresholds or {}
    health = [(name, f"{changed.get(name, default)}" + (" (changed)" if name in changed else ""))
              for name, default in threshold_names().items()]  # fmt: skip
    health.append(("weekly post", f"{DAYS[settings.weekly_day].capitalize()} {settings.weekly_hour:02d}:00"))
    return AdminPage(
        timezone=workspace.timezone,
        people=len(everyone),
        admins=sorted(_name(p.display_name, p.slack_user_id) for p in everyone if p.is_admin),
        health=health,
        installation=await _installation(session, workspace),
        tokens=await _tokens(session, ws),
        sessions=await _sessions(session, ws, session_id, now),
    )


async def _installation(session: AsyncSession, workspace: Workspace) -> Installation | None:
    t = slack_installations.c
    query = select(t.installed_at, t.user_id, t.bot_scopes).where(t.team_id == workspace.team_id)
    row = (await session.execute(query.order_by(t.installed_at.desc()).limit(1))).first()
    return None if row is None else Installation(row.installed_at, row.user_id, row.bot_scopes or "")


async def _tokens(session: AsyncSession, workspace_id: int) -> list[TokenRow]:
    query = (
        select(ApiToken, Person.display_name, Person.slack_user_id)
        .join(Person, Person.id == ApiToken.person_id)
        .where(ApiToken.workspace_id == workspace_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id)
    )
    return [TokenRow(t.id, t.name, _name(name, uid), uid, t.created_at, t.last_used_at)
            for t, name, uid in (await session.execute(query)).all()]  # fmt: skip


async def _sessions(session: AsyncSession, workspace_id: int, session_id: int, now: datetime) -> list[SessionRow]:
    who = aliased(Person)
    query = (
        select(WebSession.id, WebSession.created_at, WebSession.expires_at, who.display_name, who.slack_user_id)
        .join(who, who.id == WebSession.person_id)
        .where(WebSession.workspace_id == workspace_id, WebSession.ended_at.is_(None), WebSession.expires_at > now)
        .order_by(WebSession.created_at.desc(), WebSession.id.desc())
        .limit(RECENT_SESSIONS)
    )
    return [SessionRow(_name(r.display_name, r.slack_user_id), r.slack_user_id, r.created_at, r.expires_at,
                       r.id == session_id) for r in (await session.execute(query)).all()]  # fmt: skip


async def revoke_token(session: AsyncSession, *, actor: Person, token_id: str, now: datetime) -> ApiToken:
    """Revoke any token of the admin's workspace by its number; another workspace's is not found."""
    _check(actor, "revoke someone else's API token")
    number = token_id.strip().removeprefix("#")
    token = None
    if number.isdigit() and len(number) < 12:
        mine = (ApiToken.id == int(number), ApiToken.workspace_id == actor.workspace_id, ApiToken.revoked_at.is_(None))
        token = await session.scalar(select(ApiToken).where(*mine).with_for_update())
    if token is None:
        raise NotFound(f"token #{number[:12]}")
    token.revoked_at = now
    return token


async def sign_out_everywhere(session: AsyncSession, *, actor: Person, slack_user_id: str, now: datetime) -> int:
    """End every browser session of one person of the admin's workspace; how many were open."""
    _check(actor, "sign someone out")
    person = await session.scalar(
        select(Person).where(Person.workspace_id == actor.workspace_id, Person.slack_user_id == slack_user_id[:32])
    )
    if person is None:
        raise NotFound(slack_user_id[:32])
    open_ = (WebSession.person_id == person.id, WebSession.ended_at.is_(None), WebSession.expires_at > now)
    count = await session.scalar(select(func.count()).select_from(WebSession).where(*open_))
    await session.execute(update(WebSession).where(*open_).values(ended_at=now))
    return int(count or 0)
