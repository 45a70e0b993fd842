"""Workspaces and people: find-or-create by Slack ids, keep profiles fresh, and who may be given a role."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Person, Workspace
from services.prebuilt import Columns, Prebuilt

PROFILE_MAX_AGE = timedelta(hours=24)
SLACKBOT = "USLACKBOT"  # Slack's own helper: users.info calls it no bot, yet nobody can answer for it


@dataclass(frozen=True)
class Profile:
    """What we keep from Slack's users.info."""

    display_name: str | None
    timezone: str | None
    is_admin: bool
    is_deleted: bool
    is_bot: bool = False


async def ensure_workspace(
    session: AsyncSession, *, team_id: str, enterprise_id: str | None = None, default_timezone: str = "UTC"
) -> Workspace:
    found = await session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if found:
        return found
    workspace = Workspace(team_id=team_id, enterprise_id=enterprise_id, timezone=default_timezone)
    try:
        async with session.begin_nested():
            session.add(workspace)
    except IntegrityError:  # created concurrently by another request
        return await session.scalar(select(Workspace).where(Workspace.team_id == team_id))  # type: ignore[return-value]
    return workspace


_WORKSPACE, _PERSON = Columns.of(Workspace), Columns.of(Person)
# A request's workspace and person (team_id, user_id), as the columns actor_of reads.
ACTOR_LOOKUP = (
    select(*_WORKSPACE.labelled("w"), *_PERSON.labelled("p"))
    .join_from(Workspace, Person, Person.workspace_id == Workspace.id)
    .where(Workspace.team_id == bindparam("team_id"), Person.slack_user_id == bindparam("user_id"))
)
_ACTOR = Prebuilt(ACTOR_LOOKUP)  # built once: it runs on every request


async def find_actor(session: AsyncSession, *, team_id: str, slack_user_id: str) -> tuple[Workspace, Person] | None:
    """The workspace and person of a request in one round trip: the common case on every request."""
    row = await _ACTOR.first(session, {"team_id": team_id, "user_id": slack_user_id})
    return None if row is None else actor_of(session, row)


def actor_of(session: AsyncSession, row: Sequence[Any], start: int = 0) -> tuple[Workspace, Person] | None:
    """The workspace and person in `row` from `start` (ACTOR_LOOKUP's columns), as the session's objects; None when
    the row has none (an outer join that found nobody)."""
    if row[start] is None:
        return None
    workspace = _WORKSPACE.loaded(session, row, start)
    person = _PERSON.loaded(session, row, start + len(_WORKSPACE.attrs))
    set_committed_value(person, "workspace", workspace)
    return workspace, person


async def ensure_person(session: AsyncSession, *, workspace: Workspace, slack_user_id: str) -> Person:
    query = select(Person).where(Person.workspace_id == workspace.id, Person.slack_user_id == slack_user_id)
    found = await session.scalar(query)
    if found:
        return found
    person = Person(workspace_id=workspace.id, slack_user_id=slack_user_id)
    try:
        async with session.begin_nested():
            session.add(person)
    except IntegrityError:
        return await session.scalar(query)  # type: ignore[return-value]
    return person


_MENTIONED = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_ids(text: str) -> list[str]:
    """The Slack user ids `text` mentions as `<@U123>` or `<@U123|name>`, in order (as Slack hands them over)."""
    return _MENTIONED.findall(text or "")


def profile_is_stale(person: Person, now: datetime) -> bool:
    return person.profile_refreshed_at is None or now - person.profile_refreshed_at > PROFILE_MAX_AGE


def apply_profile(person: Person, profile: Profile, now: datetime) -> None:
    person.display_name = profile.display_name or person.display_name
    if profile.timezone and _is_zone(profile.timezone):
        person.timezone = profile.timezone
    person.is_admin = profile.is_admin
    person.is_deleted = profile.is_deleted
    person.is_bot = profile.is_bot or person.slack_user_id == SLACKBOT
    person.profile_refreshed_at = now


def unassignable(person: Person) -> str | None:
    """Why `person` cannot be given a role (outcome owner, decider, responsible, consulted, informed, an
    escalation level, a check-in member), from their stored profile: a bot or an app (this one included), or
    someone who left Slack. None when they can. The sentence is plain text, for a form's field error."""
    name = person.display_name or person.slack_user_id
    if person.is_bot or person.slack_user_id == SLACKBOT:
        return f"{name} is an app, not a person: choose someone from your team."
    if person.is_deleted:
        return f"{name} has left this Slack workspace: choose someone who is still here."
    return None


def reachable(person: Person) -> bool:
    """Whether messages to `person` reach a person (none go to bots or to those who left)."""
    return unassignable(person) is None


def is_away(person: Person, workspace: Workspace, now: datetime) -> bool:
    """Whether `now` falls on one of the person's away days (`away_until` is the last, in their own zone)."""
    return person.away_until is not None and now.astimezone(person_zone(person, workspace)).date() <= person.away_until


def person_zone(person: Person, workspace: Workspace) -> ZoneInfo:
    """The zone to show this person times in: their own, else the workspace default."""
    return zone_of(person, workspace.timezone)


def today_for(person: Person, workspace: Workspace, now: datetime) -> date:
    """Today where the person is: "due today", "overdue" and "in the past" follow their calendar, not UTC's."""
    return now.astimezone(person_zone(person, workspace)).date()


def zone_of(person: Person, fallback: str) -> ZoneInfo:
    """The person's own zone when Slack told us a valid one, else the zone named `fallback`."""
    return ZoneInfo(person.timezone if person.timezone and _is_zone(person.timezone) else fallback)


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


async def names_of(session: AsyncSession, *, workspace_id: int, slack_user_ids: list[str]) -> dict[str, str]:
    """Display names of the people we know among `slack_user_ids` (for showing someone's words as text)."""
    if not slack_user_ids:
        return {}
    query = select(Person.slack_user_id, Person.display_name).where(
        Person.workspace_id == workspace_id, Person.slack_user_id.in_(slack_user_ids)
    )
    return {user: name for user, name in (await session.execute(query)).all() if name}
