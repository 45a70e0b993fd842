"""A channel's cadence: reading it, saving the set-up form, pause, resume, skip and delete; and a person's
"away" days, which every cadence respects."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Cadence, CadenceMember, Person, Round, Workspace
from models.base import new_token
from services import people
from services.checkins.rules import CheckinError, Field, require_manager
from services.checkins.schedule import add_skip, schedule_next
from services.checkins.validation import CadenceForm, CadenceSettings, validate
from services.errors import Invalid


def _with_people(query: Select) -> Select:
    return query.options(selectinload(Cadence.owner), selectinload(Cadence.members).selectinload(CadenceMember.person))


async def get_cadence(session: AsyncSession, *, workspace_id: int, channel_id: str) -> Cadence | None:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id, Cadence.channel_id == channel_id)
    return await session.scalar(_with_people(query))


async def get_cadence_by_id(session: AsyncSession, *, workspace_id: int, cadence_id: int) -> Cadence | None:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id, Cadence.id == cadence_id)
    return await session.scalar(_with_people(query))


async def get_cadence_by_token(session: AsyncSession, *, workspace_id: int, token: str) -> Cadence | None:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id, Cadence.token == token)
    return await session.scalar(_with_people(query))


async def list_cadences(session: AsyncSession, *, workspace_id: int) -> list[Cadence]:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id).order_by(Cadence.channel_id)
    return list(await session.scalars(_with_people(query)))


async def due_cadences(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Cadence]:
    """Cadences whose next round should have opened by now (across workspaces: the scheduler's question)."""
    query = select(Cadence).where(Cadence.next_at <= now).order_by(Cadence.next_at, Cadence.id).limit(limit)
    return list(await session.scalars(_with_people(query)))


async def save_cadence(
    session: AsyncSession,
    *,
    workspace: Workspace,
    actor: Person,
    channel_id: str,
    form: CadenceForm,
    now: datetime,
    today: date,
) -> tuple[Cadence, bool]:
    """Creates the channel's cadence, or changes it (its owner or an admin). Returns it and whether it is new."""
    settings = validate(form, today=today)
    chosen = await _chosen_people(session, workspace, settings.members)
    cadence = await get_cadence(session, workspace_id=workspace.id, channel_id=channel_id)
    created = cadence is None
    if cadence is None:
        cadence = Cadence(
            token=new_token(), workspace_id=workspace.id, channel_id=channel_id, owner_id=actor.id, paused=False
        )
        cadence.owner = actor
        cadence.members = []
        session.add(cadence)
    else:
        require_manager(actor, cadence, "change this check-in")
    _apply(cadence, settings)
    _set_members(cadence, workspace, chosen)
    await session.flush()
    await schedule_next(session, cadence=cadence, now=now)
    return cadence, created


def _apply(cadence: Cadence, settings: CadenceSettings) -> None:
    cadence.audience = settings.audience
    cadence.interval_weeks = settings.interval_weeks
    cadence.weekdays = list(settings.weekdays)
    cadence.local_time = settings.local_time
    cadence.zone_mode = settings.zone_mode
    cadence.timezone = settings.timezone
    cadence.starts_on = settings.starts_on
    cadence.questions = list(settings.questions)
    cadence.ask_blocker = settings.ask_blocker
    cadence.ask_confidence = settings.ask_confidence
    cadence.remind_after_minutes = settings.remind_after_minutes
    cadence.digest_after_minutes = settings.digest_after_minutes


async def _chosen_people(session: AsyncSession, workspace: Workspace, user_ids: tuple[str, ...]) -> list[Person]:
    """The people picked by hand, checked before anything changes: no bots, nobody who left Slack."""
    chosen = [await people.ensure_person(session, workspace=workspace, slack_user_id=u) for u in user_ids]
    if refused := next((r for p in chosen if (r := people.unassignable(p))), None):
        raise Invalid({Field.MEMBERS: refused})
    return chosen


def _set_members(cadence: Cadence, workspace: Workspace, chosen: list[Person]) -> None:
    """The chosen people, keeping the rows of those already there."""
    wanted = {p.id: p for p in chosen}
    kept = [m for m in cadence.members if m.person_id in wanted]
    known = {m.person_id for m in kept}
    added = [
        CadenceMember(workspace_id=workspace.id, person_id=p.id, person=p) for p in wanted.values() if p.id not in known
    ]
    cadence.members = kept + added


async def pause(session: AsyncSession, *, cadence: Cadence, actor: Person) -> bool:
    """Stops new rounds (a round under way still gets its reminders and digest). False if already paused."""
    require_manager(actor, cadence, "pause this check-in")
    if cadence.paused:
        return False
    cadence.paused = True
    cadence.next_on = cadence.next_at = None
    await session.flush()
    return True


async def resume(session: AsyncSession, *, cadence: Cadence, actor: Person, now: datetime) -> bool:
    """Rounds start again from the next occurrence after now; those missed while paused are not made up, and
    those skipped stay skipped."""
    require_manager(actor, cadence, "resume this check-in")
    if not cadence.paused:
        return False
    cadence.paused = False
    await schedule_next(session, cadence=cadence, now=now)
    return True


async def skip(session: AsyncSession, *, cadence: Cadence, actor: Person, now: datetime) -> date:
    """Skips the next round, for good (pause, resume and edits keep it skipped); returns the date skipped."""
    require_manager(actor, cadence, "skip a round of this check-in")
    if cadence.paused or cadence.next_on is None:
        raise CheckinError("This check-in is paused, so there is no next round to skip. `/checkin resume` first.")
    skipped = cadence.next_on
    add_skip(cadence, skipped, now)
    await schedule_next(session, cadence=cadence, now=now)
    return skipped


async def delete_cadence(session: AsyncSession, *, cadence: Cadence, actor: Person) -> list[str]:
    """Deletes the cadence with its rounds and answers; returns the rounds' tokens (for calling off what they
    have queued)."""
    require_manager(actor, cadence, "delete this check-in")
    round_ids = list(await session.scalars(select(Round.token).where(Round.cadence_id == cadence.id)))
    await session.execute(delete(Cadence).where(Cadence.id == cadence.id, Cadence.workspace_id == cadence.workspace_id))
    await session.flush()
    return round_ids


async def set_away(session: AsyncSession, *, person: Person, until: date | None, today: date) -> None:
    """Away until `until` (included), or back (None): no check-in asks on days up to then, in their own zone."""
    if until is not None and until < today:
        raise CheckinError(f"{until:%a %-d %b %Y} has passed already; give today or a later date.")
    if until is not None and until > today + timedelta(days=366):
        raise CheckinError("Give a date within a year; you can always set it again.")
    person.away_until = until
    await session.flush()
