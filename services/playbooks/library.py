"""The library of playbooks: creating one (from a template or typed steps), editing its draft, publishing, listing,
finding one in the caller's workspace, and who may do what.

Rules: anyone in the workspace may create a playbook or save a draft of one (the people who use a playbook are
the ones who notice what is wrong with it); only its owner or a workspace admin publishes a version or confirms
that it is still right. A new playbook publishes v1 ("first version") unless its author keeps it as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Person, Playbook, PlaybookKind, PlaybookVersion, Workspace
from models.playbook import DEFAULT_REVIEW_DAYS
from services import people as people_service
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.playbooks import versions
from services.playbooks.steps import StepErrors, as_text, steps_from

MAX_NAME = 150
MIN_REVIEW_DAYS = 7
MAX_REVIEW_DAYS = 730
FIRST_CHANGELOG = "first version"
MAX_LISTED = 50
MAX_TEXT = 3000  # a plain_text_input's limit


class Field(StrEnum):
    NAME = "name"
    KIND = "kind"
    OWNER = "owner"
    REVIEW = "review"
    STEPS = "steps"
    CHANGELOG = "changelog"


@dataclass(frozen=True)
class NewPlaybook:
    """The new-playbook form as typed."""

    name: str
    kind: str | None
    review_days: str
    steps: str
    publish: bool = True


async def find(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> Playbook:
    """PB-n of this workspace, with its owner loaded; NotFound otherwise (another workspace's too)."""
    playbook = await versions.get(session, workspace_id=workspace_id, ref=ref, lock=lock)
    if playbook is None or playbook.archived_at is not None:
        raise NotFound(ref.strip().upper()[:20] or "that playbook")
    await session.refresh(playbook, ["owner"])
    return playbook


async def list_playbooks(session: AsyncSession, *, workspace_id: int) -> list[Playbook]:
    query = (
        select(Playbook)
        .where(Playbook.workspace_id == workspace_id, Playbook.archived_at.is_(None))
        .order_by(Playbook.number)
        .limit(MAX_LISTED)
    )
    found = list(await session.scalars(query))
    for playbook in found:
        await session.refresh(playbook, ["owner"])
    return found


async def version_of(session: AsyncSession, *, playbook: Playbook, number: int | None = None) -> PlaybookVersion:
    found = await versions.version(session, playbook=playbook, number=number)
    if found is None:
        if playbook.current_version == 0:
            raise NotNow(f"{playbook.ref} has no published version yet; `/playbook {playbook.ref} draft` shows its "
                         f"draft, and its owner publishes it from `/playbook edit {playbook.ref}`.")  # fmt: skip
        raise NotNow(f"{playbook.ref} has versions v1 to v{playbook.current_version}; there is no v{number}.")
    return found


def may_publish(person: Person, playbook: Playbook) -> bool:
    return person.is_admin or person.id == playbook.owner_id


def require_publisher(person: Person, playbook: Playbook, action: str) -> None:
    if not may_publish(person, playbook):
        raise Forbidden(f"{action} {playbook.ref}", "its owner", [playbook.owner])


async def people_index(session: AsyncSession, *, workspace_id: int) -> tuple[dict[str, int], dict[int, str]]:
    """(lower-cased name or Slack id -> person id, person id -> name): how steps name people, both ways. Besides
    the name as Slack shows it, a handle-like form (`priya`, `priyaraman`, `priya.raman`) names whoever alone
    answers to it: we keep no handle, and people type the one they know."""
    found = await session.execute(
        select(Person.id, Person.slack_user_id, Person.display_name).where(
            Person.workspace_id == workspace_id, Person.is_deleted.is_(False), Person.is_bot.is_(False)
        )
    )
    by_name: dict[str, int] = {}
    names: dict[int, str] = {}
    aliases: dict[str, set[int]] = {}
    for pid, user, name in found:
        by_name[user.lower()] = pid
        if name:
            by_name.setdefault(name.lower(), pid)
            for alias in _handles(name):
                aliases.setdefault(alias, set()).add(pid)
        names[pid] = name or user
    for alias, pids in aliases.items():
        if len(pids) == 1:  # a handle more than one person answers to names no one
            by_name.setdefault(alias, next(iter(pids)))
    return by_name, names


def _handles(name: str) -> set[str]:
    words = name.lower().split()
    return {words[0], "".join(words), ".".join(words), "_".join(words), "-".join(words)} if words else set()


async def steps_from_text(session: AsyncSession, *, workspace_id: int, text: str, previous: list[dict[str, Any]],
                          kind: PlaybookKind | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Typed steps as step dicts; Invalid on the steps field, naming the lines, when any is wrong (a timing the
    playbook's `kind` doesn't take included)."""
    by_name, names = await people_index(session, workspace_id=workspace_id)
    try:
        steps = steps_from(text, people=by_name, previous=previous, kind=kind)
    except StepErrors as exc:
        raise Invalid({Field.STEPS: " ".join(exc.problems)}) from None
    # The edit form shows them written out again (names in full), in a field Slack caps at MAX_TEXT characters.
    if len(written := as_text(steps, names)) > MAX_TEXT:
        raise Invalid({Field.STEPS: f"Keep the steps within {MAX_TEXT:,} characters written out (these take "
                                    f"{len(written):,}), details included, as Slack caps a text field; shorten some "
                                    "details or put them on a page the step links to."})  # fmt: skip
    return steps


async def steps_as_text(session: AsyncSession, *, workspace_id: int, steps: list[dict[str, Any]]) -> str:
    _, names = await people_index(session, workspace_id=workspace_id)
    return as_text(steps, names)


def _checked(form: NewPlaybook, owner: Person | None) -> tuple[str, PlaybookKind, int]:
    errors: dict[Field, str] = {}
    name = " ".join(form.name.split())
    if not name:
        errors[Field.NAME] = "Give the playbook a name."
    elif len(name) > MAX_NAME:
        errors[Field.NAME] = f"Keep the name within {MAX_NAME} characters."
    try:
        kind = PlaybookKind(form.kind or "")
    except ValueError:
        errors[Field.KIND] = "Choose onboarding, launch, incident or other."
        kind = PlaybookKind.OTHER
    days = form.review_days.strip() or str(DEFAULT_REVIEW_DAYS)
    if not days.isdigit() or not MIN_REVIEW_DAYS <= int(days) <= MAX_REVIEW_DAYS:
        errors[Field.REVIEW] = f"A number of days from {MIN_REVIEW_DAYS} to {MAX_REVIEW_DAYS}."
    if owner is None:
        errors[Field.OWNER] = "Choose who owns it."
    elif problem := people_service.unassignable(owner):
        errors[Field.OWNER] = problem
    if errors:
        raise Invalid(errors)
    return name, kind, int(days)


async def create_playbook(session: AsyncSession, *, workspace: Workspace, actor: Person, owner: Person | None,
                          form: NewPlaybook, now: datetime) -> tuple[Playbook, PlaybookVersion | None]:  # fmt: skip
    """PB-n with v1 published (or its steps kept as a draft when `form.publish` is false)."""
    try:
        name, kind, days = _checked(form, owner)
    except Invalid as exc:
        problems = exc.errors
    else:
        problems = {}
    chosen = PlaybookKind(form.kind) if form.kind in {k.value for k in PlaybookKind} else None
    try:
        steps = await steps_from_text(session, workspace_id=workspace.id, text=form.steps, previous=[], kind=chosen)
    except Invalid as exc:
        problems |= exc.errors
    if problems:
        raise Invalid(problems)
    assert owner is not None
    playbook = await versions.create(
        session, workspace=workspace, owner=owner, name=name, kind=kind, now=now, review_days=days
    )
    playbook.owner = owner
    if not form.publish:
        _keep_draft(playbook, steps, actor, now)
        return playbook, None
    published = await versions.publish(session, playbook=playbook, steps=steps, changelog=FIRST_CHANGELOG, by=actor,
                                       now=now)  # fmt: skip
    return playbook, published


def _keep_draft(playbook: Playbook, steps: list[dict[str, Any]], actor: Person, now: datetime) -> None:
    playbook.draft_steps = steps
    playbook.draft_by_id = actor.id
    playbook.draft_updated_at = now


async def editing_steps(session: AsyncSession, *, playbook: Playbook) -> list[dict[str, Any]]:
    """What an edit starts from: the draft when there is one, else the current version's steps."""
    if playbook.draft_steps is not None:
        return list(playbook.draft_steps)
    current = await versions.version(session, playbook=playbook)
    return list(current.steps) if current else []


async def save_edit(session: AsyncSession, *, workspace_id: int, ref: str, actor: Person, text: str,
                    changelog: str | None, now: datetime) -> tuple[Playbook, PlaybookVersion | None, bool]:  # fmt: skip
    """The edit form: the steps saved as the draft, or (with a changelog line) published as v(n+1). The flag:
    tell the owner, because someone else has just started a draft of it (once: later saves add to that draft)."""
    playbook = await find(session, workspace_id=workspace_id, ref=ref, lock=True)
    previous = await editing_steps(session, playbook=playbook)
    steps = await steps_from_text(session, workspace_id=workspace_id, text=text, previous=previous,
                                  kind=playbook.kind)  # fmt: skip
    if changelog is None:
        current = await versions.version(session, playbook=playbook)
        same = [_plain(s) for s in steps]
        # Nothing to keep: refused, so nobody is told about a draft that changes nothing.
        if current is not None and [_plain(s) for s in current.steps] == same:
            raise Invalid({Field.STEPS: f"These steps are v{current.number}'s exactly; change something to save a "
                                        "draft."})  # fmt: skip
        if playbook.draft_steps is not None and [_plain(s) for s in previous] == same:
            raise Invalid({Field.STEPS: "These steps are the saved draft's exactly; nothing was saved."})
        news = actor.id != playbook.owner_id and (playbook.draft_steps is None or
                                                  playbook.draft_by_id == playbook.owner_id)  # fmt: skip
        _keep_draft(playbook, steps, actor, now)
        await session.flush()
        return playbook, None, news
    require_publisher(actor, playbook, "publish a new version of")
    line = " ".join(changelog.split())
    if not line:
        raise Invalid({Field.CHANGELOG: "Say in a line what changed; it goes in the changelog."})
    if len(line) > versions.MAX_CHANGELOG:
        raise Invalid({Field.CHANGELOG: f"Keep the changelog line within {versions.MAX_CHANGELOG} characters."})
    current = await versions.version(session, playbook=playbook)
    if current is not None and [_plain(s) for s in current.steps] == [_plain(s) for s in steps]:
        raise Invalid({Field.STEPS: f"These steps are v{current.number}'s exactly; change something to publish."})
    from services.playbooks import proposals  # imports this module: a top-level import would be circular

    found = await proposals.carried(session, playbook=playbook, steps=steps)
    line, learned_from = proposals.learned_changelog(line, found, current=list(current.steps) if current else [],
                                                     steps=steps)  # fmt: skip
    published = await versions.publish(session, playbook=playbook, steps=steps, changelog=line, by=actor, now=now,
                                       learned_from_run_id=learned_from)  # fmt: skip
    proposals.mark_accepted(found, version=published, by=actor, now=now)
    return playbook, published, False


def _plain(step: dict[str, Any]) -> dict[str, Any]:
    return {k: (v or None) for k, v in step.items()}


async def slack_ids(session: AsyncSession, *, workspace_id: int, ids: list[int]) -> dict[int, str]:
    """Person id -> Slack user id, for the people steps name (mentions)."""
    if not ids:
        return {}
    query = select(Person.id, Person.slack_user_id).where(Person.workspace_id == workspace_id, Person.id.in_(ids))
    return {pid: user for pid, user in await session.execute(query)}


async def drafts_for(session: AsyncSession, *, workspace_id: int, person: Person,
                     limit: int = 5) -> list[tuple[Playbook, Person]]:  # fmt: skip
    """Pending drafts someone else saved of playbooks this person owns (waiting for them to publish)."""
    query = (
        select(Playbook, Person)
        .join(Person, Person.id == Playbook.draft_by_id)
        .where(Playbook.workspace_id == workspace_id, Playbook.owner_id == person.id,
               Playbook.draft_steps.is_not(None), Playbook.draft_by_id != person.id)
        .order_by(Playbook.draft_updated_at, Playbook.id)
        .limit(limit)
    )  # fmt: skip
    return [(playbook, by) for playbook, by in (await session.execute(query)).all()]


async def history(session: AsyncSession, *, playbook: Playbook, limit: int = 10) -> list[PlaybookVersion]:
    """The latest versions, newest first (their changelog lines)."""
    query = (
        select(PlaybookVersion)
        .where(PlaybookVersion.playbook_id == playbook.id)
        .order_by(PlaybookVersion.number.desc())
        .limit(limit)
    )
    return list(await session.scalars(query))
