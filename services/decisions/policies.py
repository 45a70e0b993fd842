"""Escalation paths (policies): define and edit them (admins), pick the one a new decision starts with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import ChannelEscalationDefault, EscalationLevel, EscalationPolicy, Person, Workspace
from services import people
from services.decisions.walk import Level
from services.errors import Forbidden, Invalid

MAX_NAME = 60
MAX_LEVELS = 5
MAX_REPEATS = 5
MAX_WAIT_MINUTES = 7 * 24 * 60
MIN_ACK_MINUTES = 5
MAX_ACK_MINUTES = 7 * 24 * 60
BUILT_IN_NAME = "Standard"
# The path a workspace starts with, before an admin defines its own: it needs nobody but the decider and the
# channel, so it works from the first decision.
BUILT_IN_LEVELS = (
    {"include_decider": True, "post_in_channel": False, "wait_minutes": 4 * 60, "repeats": 0},
    {"include_decider": True, "post_in_channel": True, "wait_minutes": 24 * 60, "repeats": 1},
)


def level_field(name: str, number: int) -> str:
    """The error key of one level's input: targets, wait or repeats of level `number` (1-based)."""
    return f"level_{number}_{name}"


@dataclass(frozen=True)
class LevelForm:
    people: list[str] = field(default_factory=list)  # Slack user ids
    include_decider: bool = False
    post_in_channel: bool = False
    wait: str | None = None  # minutes, as typed
    repeats: str | None = None

    @property
    def is_blank(self) -> bool:
        return not (self.people or self.include_decider or self.post_in_channel or self.wait or self.repeats)


@dataclass(frozen=True)
class PolicyForm:
    name: str
    levels: list[LevelForm]
    ack_window: str | None = None  # minutes
    is_default: bool = False
    channels: list[str] = field(default_factory=list)  # channels where it is the default


def require_admin(actor: Person, action: str) -> None:
    if not actor.is_admin:
        raise Forbidden(action)


def as_levels(policy: EscalationPolicy) -> tuple[Level, ...]:
    return tuple(
        Level(
            wait=timedelta(minutes=level.wait_minutes),
            people=tuple(level.person_ids),
            include_decider=level.include_decider,
            post_in_channel=level.post_in_channel,
            repeats=level.repeats,
            repeat_interval=timedelta(minutes=level.repeat_interval_minutes) if level.repeat_interval_minutes else None,
        )
        for level in policy.levels
    )


def _with_levels(query):
    return query.options(selectinload(EscalationPolicy.levels))


async def list_policies(session: AsyncSession, *, workspace_id: int) -> list[EscalationPolicy]:
    query = select(EscalationPolicy).where(EscalationPolicy.workspace_id == workspace_id)
    return list(
        await session.scalars(_with_levels(query.order_by(EscalationPolicy.is_default.desc(), EscalationPolicy.name)))
    )


async def get_policy(session: AsyncSession, *, workspace_id: int, policy_id: int) -> EscalationPolicy | None:
    query = select(EscalationPolicy).where(
        EscalationPolicy.workspace_id == workspace_id, EscalationPolicy.id == policy_id
    )
    return await session.scalar(_with_levels(query))


async def find_by_name(session: AsyncSession, *, workspace_id: int, name: str) -> EscalationPolicy | None:
    query = select(EscalationPolicy).where(
        EscalationPolicy.workspace_id == workspace_id, EscalationPolicy.name_key == _key(name)
    )
    return await session.scalar(_with_levels(query))


async def match_by_name(session: AsyncSession, *, workspace_id: int, name: str) -> list[EscalationPolicy]:
    """The paths `name` may mean, as people type it: the name itself; else the name ignoring case, emoji and
    punctuation; else the names it begins. One path found is the one; several are for the person to choose."""
    exact = await find_by_name(session, workspace_id=workspace_id, name=name)
    if exact is not None:
        return [exact]
    wanted = loose_key(name)
    if not wanted:
        return []
    paths = await list_policies(session, workspace_id=workspace_id)
    same = [p for p in paths if loose_key(p.name) == wanted]
    found = same or [p for p in paths if loose_key(p.name).startswith(wanted)]
    return sorted(found, key=lambda p: loose_key(p.name))


def loose_key(name: str) -> str:
    """A name folded for matching: lower case, letters and digits only, words apart by one space."""
    kept = "".join(ch if ch.isalnum() else " " for ch in name.lower())
    return " ".join(kept.split())


async def channel_defaults(session: AsyncSession, *, workspace_id: int) -> dict[int, list[str]]:
    """Policy id -> the channels it is the default of."""
    rows = await session.execute(
        select(ChannelEscalationDefault.policy_id, ChannelEscalationDefault.channel_id)
        .where(ChannelEscalationDefault.workspace_id == workspace_id)
        .order_by(ChannelEscalationDefault.channel_id)
    )
    found: dict[int, list[str]] = {}
    for policy_id, channel_id in rows:
        found.setdefault(policy_id, []).append(channel_id)
    return found


async def ensure_built_in(session: AsyncSession, *, workspace: Workspace) -> EscalationPolicy:
    """The workspace default; a workspace without any policy gets the built-in one, stored so admins can edit it."""
    query = select(EscalationPolicy).where(EscalationPolicy.workspace_id == workspace.id, EscalationPolicy.is_default)
    found = await session.scalar(_with_levels(query))
    if found is not None:
        return found
    existing = await session.scalar(
        select(func.count()).select_from(EscalationPolicy).where(EscalationPolicy.workspace_id == workspace.id)
    )
    if existing:  # policies, but none marked default: the oldest serves
        query = select(EscalationPolicy).where(EscalationPolicy.workspace_id == workspace.id)
        return (await session.scalars(_with_levels(query.order_by(EscalationPolicy.id).limit(1)))).one()
    policy = EscalationPolicy(
        workspace_id=workspace.id, name=BUILT_IN_NAME, name_key=_key(BUILT_IN_NAME), is_default=True
    )
    policy.levels = [
        EscalationLevel(workspace_id=workspace.id, position=i, person_ids=[], repeat_interval_minutes=None, **values)
        for i, values in enumerate(BUILT_IN_LEVELS)
    ]
    session.add(policy)
    await session.flush()
    return policy


async def default_for(session: AsyncSession, *, workspace: Workspace, channel_id: str | None) -> EscalationPolicy:
    """The policy a new decision in `channel_id` starts with: the channel's default, else the workspace's."""
    if channel_id:
        query = (
            select(EscalationPolicy)
            .join(ChannelEscalationDefault, ChannelEscalationDefault.policy_id == EscalationPolicy.id)
            .where(
                ChannelEscalationDefault.workspace_id == workspace.id,
                ChannelEscalationDefault.channel_id == channel_id,
            )
        )
        found = await session.scalar(_with_levels(query))
        if found is not None:
            return found
    return await ensure_built_in(session, workspace=workspace)


async def save_policy(
    session: AsyncSession,
    *,
    workspace: Workspace,
    actor: Person,
    form: PolicyForm,
    editing: EscalationPolicy | None = None,
) -> EscalationPolicy:
    """Create a policy, or replace `editing`'s settings and levels. Admins only."""
    require_admin(actor, "edit escalation paths" if editing else "create escalation paths")
    if editing is None:
        # The built-in path stays the default until an admin makes another one the default.
        await ensure_built_in(session, workspace=workspace)
    errors: dict[str, str] = {}
    name = " ".join(form.name.split())
    if not name:
        errors["name"] = "Give the path a name people will recognise, e.g. Product leadership."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name within {MAX_NAME} characters."
    else:
        clash = await find_by_name(session, workspace_id=workspace.id, name=name)
        if clash is not None and (editing is None or clash.id != editing.id):
            errors["name"] = f"There is a path called {clash.name} already; choose another name."
    ack_window = _minutes(form.ack_window, "ack_window", errors, low=MIN_ACK_MINUTES, high=MAX_ACK_MINUTES)
    levels = await _levels(session, workspace, form.levels, errors)
    if errors:
        raise Invalid(errors)  # keyed by field name: name, ack_window, level_field(...)
    policy = editing or EscalationPolicy(workspace_id=workspace.id, created_by_id=actor.id)
    policy.name, policy.name_key = name, _key(name)
    if ack_window is not None:
        policy.ack_window_minutes = ack_window
    if editing is None:
        policy.levels = levels
        session.add(policy)
    else:
        policy.levels.clear()
        await session.flush()  # the old levels go first, so positions can be reused
        policy.levels.extend(levels)
    await session.flush()
    if form.is_default:
        for other in await list_policies(session, workspace_id=workspace.id):
            other.is_default = other.id == policy.id
    else:
        policy.is_default = False  # with no default left, the oldest policy serves (see ensure_built_in)
    await _set_channels(session, workspace.id, policy, form.channels)
    await session.flush()
    return policy


async def _set_channels(
    session: AsyncSession, workspace_id: int, policy: EscalationPolicy, channels: list[str]
) -> None:
    wanted = set(channels)
    await session.execute(
        delete(ChannelEscalationDefault).where(
            ChannelEscalationDefault.workspace_id == workspace_id,
            (ChannelEscalationDefault.policy_id == policy.id) | ChannelEscalationDefault.channel_id.in_(wanted),
        )
    )
    for channel_id in sorted(wanted):
        session.add(ChannelEscalationDefault(workspace_id=workspace_id, channel_id=channel_id, policy_id=policy.id))


async def _levels(
    session: AsyncSession, workspace: Workspace, forms: list[LevelForm], errors: dict[str, str]
) -> list[EscalationLevel]:
    if len(forms) > MAX_LEVELS:
        errors[level_field("targets", MAX_LEVELS + 1)] = f"A path has at most {MAX_LEVELS} levels."
        return []
    made: list[EscalationLevel] = []
    used = [(number, form) for number, form in enumerate(forms, 1) if not form.is_blank]
    if not used:
        errors[level_field("targets", 1)] = "Say whom level 1 pings: people, the decider, or the channel."
        return []
    for position, (number, form) in enumerate(used):
        if number != position + 1:
            errors[level_field("targets", position + 1)] = (
                f"Level {position + 1} is empty but level {number} is not: fill the levels in order."
            )
            return []
        wait = _minutes(form.wait, level_field("wait", number), errors, low=1, high=MAX_WAIT_MINUTES)
        repeats = _count(form.repeats, level_field("repeats", number), errors)
        if not (form.people or form.include_decider or form.post_in_channel):
            errors[level_field("targets", number)] = (
                "Choose whom this level pings: people, the decider, or the channel."
            )
        if wait is None and level_field("wait", number) not in errors:
            errors[level_field("wait", number)] = "How many minutes to wait before the next level?"
        if wait is not None and repeats and wait // (repeats + 1) < 1:
            errors[level_field("repeats", number)] = (
                f"{repeats} repeats don't fit in {wait} minutes: at most one a minute."
            )
        person_ids = []
        for user_id in dict.fromkeys(form.people):
            person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
            if refused := people.unassignable(person):
                errors.setdefault(level_field("targets", number), refused)
            person_ids.append(person.id)
        made.append(
            EscalationLevel(
                workspace_id=workspace.id,
                position=position,
                person_ids=person_ids,
                include_decider=form.include_decider,
                post_in_channel=form.post_in_channel,
                wait_minutes=wait or 0,
                repeats=repeats or 0,
                repeat_interval_minutes=None,
            )
        )
    return made


def _minutes(text: str | None, key: str, errors: dict[str, str], *, low: int, high: int) -> int | None:
    if text is None or not str(text).strip():
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        errors[key] = "Give a whole number of minutes."
        return None
    if not low <= value <= high:
        errors[key] = f"Between {low} and {high:,} minutes ({high // (24 * 60)} days), please."
        return None
    return value


def _count(text: str | None, key: str, errors: dict[str, str]) -> int | None:
    if text is None or not str(text).strip():
        return 0
    try:
        value = int(str(text).strip())
    except ValueError:
        errors[key] = "Give a whole number."
        return None
    if not 0 <= value <= MAX_REPEATS:
        errors[key] = f"Between 0 and {MAX_REPEATS} repeats: more is noise."
        return None
    return value


def _key(name: str) -> str:
    return " ".join(name.split()).lower()[:MAX_NAME]
