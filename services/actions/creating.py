"""Creating an action item, the one way every surface does it: the command, the form, a message's shortcut,
and (later) meetings, decisions and check-in answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, ActionEvent, ActionEventKind, ActionStatus, Person, SourceKind, Workspace
from services import outcomes, people
from services.actions.changes import record
from services.actions.grammar import HOW, OneLine
from services.actions.reading import load, person_by_name
from services.actions.rules import Field, check_due, check_what
from services.actions.schedule import refresh_plan
from services.errors import Invalid
from services.links import check_url
from services.refs import next_number

REPEAT_WINDOW = timedelta(minutes=10)  # the same item again within this is a repeat, not a second item


@dataclass(frozen=True)
class Source:
    """Where it came from: a message (its permalink, and the thread that hears when it is done), or a meeting,
    decision or check-in answer by its ref."""

    kind: SourceKind = SourceKind.COMMAND
    ref: str | None = None
    link: str | None = None
    channel: str | None = None
    ts: str | None = None


async def create(
    session: AsyncSession,
    *,
    workspace: Workspace,
    creator: Person,
    owner: Person | None,
    what: str,
    due_on: date | None,
    now: datetime,
    due_time: time | None = None,
    outcome_ref: str | None = None,
    source: Source = Source(),
    channel_id: str | None = None,
) -> Action:
    """Checks every field (dates against the creator's today) and creates A-n; raises Invalid, storing nothing."""
    errors: dict[Field, str] = {}
    what = check_what(what, errors)
    check_due(due_on, people.today_for(creator, workspace, now), errors)
    if owner is None:
        errors[Field.OWNER] = "Choose who owns it."
    elif (why := people.unassignable(owner)) is not None:
        errors[Field.OWNER] = why
    outcome = None
    if outcome_ref:
        outcome = await outcomes.get_outcome(session, workspace_id=workspace.id, ref=outcome_ref)
        if outcome is None:
            errors[Field.OUTCOME] = f"I can't find {outcome_ref[:20]} in this workspace."
    link = _checked_link(source.link, errors)
    if errors:
        raise Invalid(errors)
    assert owner is not None and due_on is not None
    if source.kind is SourceKind.COMMAND:
        await _refuse_a_repeat(session, workspace=workspace, creator=creator, owner=owner, what=what, now=now)
    action = Action(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="action"),
        what=what,
        owner_id=owner.id,
        created_by_id=creator.id,
        due_on=due_on,
        due_time=due_time,
        outcome_id=outcome.id if outcome else None,
        channel_id=channel_id,
        source_kind=source.kind,
        source_ref=source.ref,
        source_link=link,
        source_channel=source.channel,
        source_ts=source.ts,
        plan_started_at=now,
    )
    session.add(action)
    await session.flush()
    record(session, action, ActionEventKind.CREATED, now, creator, owner=owner.id, due=due_on.isoformat())
    loaded = await load(session, action.id)
    assert loaded is not None
    await refresh_plan(session, loaded, now)
    return loaded


async def _refuse_a_repeat(session: AsyncSession, *, workspace: Workspace, creator: Person, owner: Person, what: str,
                           now: datetime) -> None:  # fmt: skip
    """The same item typed again by the same person for the same owner moments later (the up arrow and Enter, or
    a reply that seemed slow) is refused rather than stored twice; it is still open, so nothing is lost."""
    earlier = await session.scalar(
        select(Action.number)
        .join(ActionEvent, (ActionEvent.action_id == Action.id) & (ActionEvent.kind == ActionEventKind.CREATED))
        .where(Action.workspace_id == workspace.id, Action.created_by_id == creator.id, Action.owner_id == owner.id,
               Action.status == ActionStatus.OPEN, func.lower(Action.what) == what.lower(),
               ActionEvent.at >= now - REPEAT_WINDOW)
        .order_by(Action.number.desc())
        .limit(1)
    )  # fmt: skip
    if earlier is not None:
        whose = "yourself" if owner.id == creator.id else owner.display_name or "them"
        said = (f"You captured exactly this for {whose} moments ago: it is A-{earlier}, still open, so it is not "
                "stored twice. If this is another one, say what is different.")  # fmt: skip
        raise Invalid({Field.WHAT: said})


def _checked_link(link: str | None, errors: dict[Field, str]) -> str | None:
    if not link:
        return None
    try:
        return check_url(link)
    except Invalid:
        errors[Field.WHAT] = "The message's link looks wrong; try again from the message."
        return None


async def owner_of_line(session: AsyncSession, *, workspace: Workspace, caller: Person, line: OneLine,
                        ensure) -> Person:  # fmt: skip
    """The owner a one-line form names: a mention (`ensure(slack_id)` finds or adds them), `@me`, or a plain
    @name of someone known here; anything else is refused with a hint."""
    if line.owner_id:
        return await ensure(line.owner_id)
    if line.owner_name == "me":
        return caller
    found = await person_by_name(session, workspace_id=workspace.id, name=line.owner_name or "")
    if found is None:
        raise Invalid(
            {
                Field.OWNER: f"I don't know anyone called @{line.owner_name}. Pick them from Slack's list as you "
                f"type (the name turns blue), e.g. {HOW}, or use `/action` for the form."
            }
        )
    return found


def utc_today(now: datetime) -> date:
    return now.astimezone(UTC).date()
