"""Finding and listing action items: by ref, by owner, by channel, overdue, for the Home tab and other features."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Action, ActionEvent, ActionStatus, Outcome, Person, Workspace
from models.action import ACTION_PREFIX
from services import people
from services.actions.rules import ListScope
from services.errors import NotFound
from services.refs import parse_ref

LIST_LIMIT = 20
HOME_LIMIT = 10


def _with_details(query: Select) -> Select:
    return query.options(joinedload(Action.owner), joinedload(Action.created_by), joinedload(Action.outcome))


async def get_action(session: AsyncSession, *, workspace_id: int, ref: str, for_update: bool = False) -> Action | None:
    """`A-7` (or `a-7`, `7`) of this workspace; None if there is none (another workspace's A-7 included)."""
    number = parse_ref(ref, ACTION_PREFIX)
    if number is None:
        return None
    query = select(Action).where(Action.workspace_id == workspace_id, Action.number == number)
    if for_update:
        query = query.with_for_update(of=Action)
    return await session.scalar(_with_details(query).execution_options(populate_existing=True))


async def find_action(session: AsyncSession, *, workspace_id: int, ref: str, for_update: bool = False) -> Action:
    found = await get_action(session, workspace_id=workspace_id, ref=ref, for_update=for_update)
    if found is None:
        raise NotFound(ref)
    return found


async def load(session: AsyncSession, action_id: int, *, for_update: bool = False) -> Action | None:
    query = select(Action).where(Action.id == action_id)
    if for_update:
        query = query.with_for_update(of=Action)
    return await session.scalar(_with_details(query).execution_options(populate_existing=True))


async def timeline(session: AsyncSession, *, action: Action) -> list[ActionEvent]:
    query = (
        select(ActionEvent)
        .where(ActionEvent.workspace_id == action.workspace_id, ActionEvent.action_id == action.id)
        .order_by(ActionEvent.at, ActionEvent.id)
        .options(joinedload(ActionEvent.actor))
    )
    return list(await session.scalars(query))


async def _page(session: AsyncSession, where: list, *, today: date, limit: int) -> tuple[list[Action], int]:
    """Open items matching `where`: overdue first, then by due date; and how many there are in all."""
    where = [Action.status == ActionStatus.OPEN, *where]
    total = await session.scalar(select(func.count()).select_from(Action).where(*where))
    overdue_first = case((Action.due_on < today, 0), else_=1)
    query = select(Action).where(*where).order_by(overdue_first, Action.due_on, Action.number).limit(limit)
    return list(await session.scalars(_with_details(query))), int(total or 0)


@dataclass(frozen=True)
class Listing:
    title: str
    actions: list[Action]
    total: int


async def list_actions(
    session: AsyncSession,
    *,
    workspace_id: int,
    scope: ListScope | Person | str,
    person: Person,
    channel_id: str | None,
    today: date,
    limit: int = LIST_LIMIT,
) -> Listing:
    """`scope` is mine, channel, overdue, someone (a Person) or an outcome's ref (O-12)."""
    where: list = [Action.workspace_id == workspace_id]
    if scope is ListScope.MINE:
        where.append(Action.owner_id == person.id)
        title = "Your open action items"
    elif scope is ListScope.CHANNEL:
        where.append(Action.channel_id == (channel_id or ""))
        title = "Open action items from this channel"
    elif scope is ListScope.OVERDUE:
        where.append(Action.due_on < today)
        title = "Overdue action items"
    elif isinstance(scope, Person):
        where.append(Action.owner_id == scope.id)
        title = f"Open action items of {scope.display_name or scope.slack_user_id}"
    else:
        where.append(Action.outcome_id.in_(_outcome_ids(workspace_id, scope)))
        title = f"Open action items serving {scope}"
    found, total = await _page(session, where, today=today, limit=limit)
    return Listing(title, found, total)


def _outcome_ids(workspace_id: int, ref: str) -> Select:
    return select(Outcome.id).where(Outcome.workspace_id == workspace_id, Outcome.number == parse_ref(ref, "O"))


async def home_actions(
    session: AsyncSession, *, workspace: Workspace, person: Person, now: datetime, limit: int = HOME_LIMIT
) -> tuple[list[Action], int]:
    where = [Action.workspace_id == workspace.id, Action.owner_id == person.id]
    return await _page(session, where, today=people.today_for(person, workspace, now), limit=limit)


async def open_for_outcome(session: AsyncSession, *, workspace_id: int, outcome_id: int, today: date, limit: int = 10):
    """For the outcome card: its open action items, overdue first; and how many in all."""
    where = [Action.workspace_id == workspace_id, Action.outcome_id == outcome_id]
    return await _page(session, where, today=today, limit=limit)


async def overdue_in_channel(
    session: AsyncSession, *, workspace_id: int, channel_id: str, today: date, limit: int = 20
) -> tuple[list[Action], int]:
    """For a check-in digest: the channel's open items past their due date (`today` in the channel's zone)."""
    where = [Action.workspace_id == workspace_id, Action.channel_id == channel_id, Action.due_on < today]
    return await _page(session, where, today=today, limit=limit)


async def person_by_name(session: AsyncSession, *, workspace_id: int, name: str) -> Person | None:
    """A plain `@alex` Slack did not turn into a mention: someone known here by that name, if exactly one."""
    name = name.lower()
    known = await session.scalars(
        select(Person).where(Person.workspace_id == workspace_id, Person.is_deleted.is_(False))
    )
    found = [
        p
        for p in known
        if p.display_name and name in (p.display_name.lower(), p.display_name.lower().replace(" ", ""),
                                       p.display_name.split()[0].lower())
    ]  # fmt: skip
    return found[0] if len(found) == 1 else None


async def people_by_id(session: AsyncSession, *, workspace_id: int, ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.workspace_id == workspace_id, Person.id.in_(set(ids))))
    return {p.id: p for p in found}
