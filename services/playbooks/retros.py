"""Retrospectives: a resolved run opens one (once), its lead, the playbook's owner or an admin writes it, and
what it says should change becomes proposed changes (SUGGESTED); its action item lines become A-n and its
experiment lines X-n, all in one transaction or not at all.

An incident's retrospective is a blameless postmortem: what happened, impact, what went well, what was hard,
contributing factors. There is no field for who is to blame, on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Action,
    ChangeStatus,
    Experiment,
    Person,
    Playbook,
    PlaybookKind,
    PlaybookRun,
    ProposedChange,
    Retro,
    RetroStatus,
    RunStatus,
    SourceKind,
    Workspace,
)
from services import actions, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.playbooks import experiments, runs

MAX_SECTION = 3000
MAX_LINE = 500
MAX_LINES = 15


class Field(StrEnum):
    WHAT_HAPPENED = "what_happened"
    IMPACT = "impact"
    WENT_WELL = "went_well"
    WAS_HARD = "was_hard"
    FACTORS = "factors"
    SUGGESTIONS = "suggestions"
    ACTIONS = "actions"
    EXPERIMENTS = "experiments"


POSTMORTEM = (Field.WHAT_HAPPENED, Field.IMPACT, Field.WENT_WELL, Field.WAS_HARD, Field.FACTORS)
RETRO = (Field.WENT_WELL, Field.WAS_HARD)


def sections_of(blameless: bool) -> tuple[Field, ...]:
    return POSTMORTEM if blameless else RETRO


@dataclass(frozen=True)
class RetroForm:
    """What was typed: each section's text, and the three one-per-line fields as typed."""

    sections: dict[str, str]
    suggestions: str = ""
    actions: str = ""
    experiments: str = ""


@dataclass
class Saved:
    retro: Retro
    changes: list[ProposedChange] = field(default_factory=list)  # new suggestions only
    actions: list[Action] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)


# finding ----------------------------------------------------------------------------------------------------------


async def get_run(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> PlaybookRun | None:
    """R-n of this workspace, found the one way the running part finds it."""
    return await runs.get_run(session, workspace_id=workspace_id, ref=ref, lock=lock)


async def find_run(session: AsyncSession, *, workspace_id: int, ref: str) -> PlaybookRun:
    run = await get_run(session, workspace_id=workspace_id, ref=ref)
    if run is None:
        raise NotFound(ref)
    return run


async def run_by_id(session: AsyncSession, *, workspace_id: int, run_id: int) -> PlaybookRun | None:
    """A run by its id (the resolved card's button carries it), in this workspace only."""
    run = await session.get(PlaybookRun, run_id)
    return run if run is not None and run.workspace_id == workspace_id else None


async def retro_of(session: AsyncSession, *, run: PlaybookRun, lock: bool = False) -> Retro | None:
    query = select(Retro).where(Retro.run_id == run.id)
    return await session.scalar(query.with_for_update() if lock else query)


async def suggestions(session: AsyncSession, *, retro: Retro) -> list[ProposedChange]:
    query = select(ProposedChange).where(ProposedChange.retro_id == retro.id).order_by(ProposedChange.id)
    return list(await session.scalars(query))


async def due_runs(session: AsyncSession, *, limit: int = 100) -> list[int]:
    """Resolved runs that have no retrospective yet (the scheduler opens one for each)."""
    query = (
        select(PlaybookRun.id)
        .outerjoin(Retro, Retro.run_id == PlaybookRun.id)
        .where(PlaybookRun.status == RunStatus.RESOLVED, Retro.id.is_(None))
        .order_by(PlaybookRun.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def owed_by(session: AsyncSession, *, workspace_id: int, person: Person, limit: int = 5) -> list[PlaybookRun]:
    """Resolved runs this person led whose retrospective is not written yet (the Home tab's ask), oldest first."""
    query = (
        select(PlaybookRun)
        .outerjoin(Retro, Retro.run_id == PlaybookRun.id)
        .where(
            PlaybookRun.workspace_id == workspace_id,
            PlaybookRun.lead_id == person.id,
            PlaybookRun.status == RunStatus.RESOLVED,
            (Retro.id.is_(None)) | (Retro.status == RetroStatus.OPEN),
        )
        .order_by(PlaybookRun.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def written(session: AsyncSession, *, run: PlaybookRun) -> Retro | None:
    """The run's retrospective once it has been saved, else None. Anyone in the workspace may read a saved one;
    the running part calls this to say "retrospective written" on the run's card instead of offering to write it."""
    retro = await retro_of(session, run=run)
    return retro if retro is not None and retro.status is RetroStatus.DONE else None


@dataclass
class Reading:
    """A saved retrospective as anyone reads it: the sections, its suggestions and the experiments it started."""

    retro: Retro
    writer: Person | None
    changes: list[ProposedChange]
    experiments: list[Experiment]
    actions: list[Action] = field(default_factory=list)


async def _actions_of(session: AsyncSession, *, run: PlaybookRun) -> list[Action]:
    """The action items its action lines made (their source is the run's retrospective)."""
    source = retro_source(run)
    query = select(Action).where(Action.workspace_id == run.workspace_id, Action.source_kind == source.kind,
                                 Action.source_ref == source.ref)  # fmt: skip
    return list(await session.scalars(query.order_by(Action.number)))


async def read(session: AsyncSession, *, run: PlaybookRun) -> Reading:
    """The saved retrospective, for anyone in the run's workspace (the caller found the run there); NotNow while
    it is not written yet, naming who writes it."""
    retro = await written(session, run=run)
    if retro is None and run.status is not RunStatus.RESOLVED:
        raise NotNow(f"{run.ref} is still {run.status.value}: its retrospective opens once it is resolved.")
    if retro is None:
        raise NotNow(f"The retrospective of {run.ref} is not written yet: its lead is asked to write it. It can be "
                     "read here once it is saved.")  # fmt: skip
    writer = await session.get(Person, retro.written_by_id) if retro.written_by_id else None
    return Reading(retro, writer, await suggestions(session, retro=retro),
                   await experiments.of_retro(session, retro=retro), await _actions_of(session, run=run))  # fmt: skip


# opening ----------------------------------------------------------------------------------------------------------


async def open_for(session: AsyncSession, *, run: PlaybookRun, now: datetime) -> Retro | None:
    """The run's retrospective, made now; None when it has one already (made by another job or a button)."""
    playbook = await session.get(Playbook, run.playbook_id)
    assert playbook is not None
    retro = Retro(workspace_id=run.workspace_id, run_id=run.id, blameless=playbook.kind is PlaybookKind.INCIDENT,
                  created_at=now, updated_at=now)  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(retro)
    except IntegrityError:  # the unique run_id: someone opened it first
        return None
    return retro


def may_write(person: Person, run: PlaybookRun, playbook: Playbook) -> bool:
    return person.is_admin or person.id in (run.lead_id, playbook.owner_id)


async def require_writer(session: AsyncSession, person: Person, run: PlaybookRun, playbook: Playbook) -> None:
    if may_write(person, run, playbook):
        return
    named = [p for p in [await session.get(Person, run.lead_id), await session.get(Person, playbook.owner_id)] if p]
    raise Forbidden(f"write the retrospective of {run.ref}", "the run's lead and the playbook's owner", named)


async def start(session: AsyncSession, *, run: PlaybookRun, person: Person, now: datetime) -> tuple[Retro, Playbook]:
    """The retrospective someone is about to write (made if the job has not got there yet)."""
    playbook = await session.get(Playbook, run.playbook_id)
    assert playbook is not None
    await require_writer(session, person, run, playbook)
    if run.status is not RunStatus.RESOLVED:
        raise NotNow(f"{run.ref} is still {run.status.value}: its retrospective opens once it is resolved.")
    retro = await retro_of(session, run=run) or await open_for(session, run=run, now=now)
    if retro is None:
        retro = await retro_of(session, run=run)
    assert retro is not None
    return retro, playbook


# saving -----------------------------------------------------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    """Each non-empty line, without the bullet people put in front, its spaces tidied."""
    tidy = (" ".join(line.strip().lstrip("-*•·").split()) for line in (text or "").splitlines())
    return [line for line in tidy if line]


def _check(form: RetroForm, blameless: bool) -> dict[Field, str]:
    errors: dict[Field, str] = {}
    for name in sections_of(blameless):
        if len(form.sections.get(name, "")) > MAX_SECTION:
            errors[name] = f"Keep it under {MAX_SECTION} characters."
    if not any(form.sections.get(name, "").strip() for name in sections_of(blameless)):
        errors[sections_of(blameless)[0]] = "Write at least one of the sections (any one will do)."
    for name, text in ((Field.SUGGESTIONS, form.suggestions), (Field.ACTIONS, form.actions),
                       (Field.EXPERIMENTS, form.experiments)):  # fmt: skip
        lines = lines_of(text)
        if len(lines) > MAX_LINES:
            errors[name] = f"Keep it to {MAX_LINES} lines (this has {len(lines)})."
        elif any(len(line) > MAX_LINE for line in lines):
            errors[name] = f"Keep each line under {MAX_LINE} characters."
    return errors


async def save(session: AsyncSession, *, workspace: Workspace, run: PlaybookRun, person: Person, form: RetroForm,
               now: datetime) -> Saved:  # fmt: skip
    """Writes (or rewrites) the retrospective; a line already there (the form sent again) is not added twice.
    Raises Invalid (by Field), Forbidden or NotNow, storing nothing."""
    retro, playbook = await start(session, run=run, person=person, now=now)
    retro = await retro_of(session, run=run, lock=True) or retro
    errors = _check(form, retro.blameless)
    if errors:
        raise Invalid(errors)
    # A refused line further down must leave nothing of the lines above it: the form's refusal still commits.
    async with session.begin_nested():
        return await _write(session, workspace, run, playbook, retro, person, form, now)


async def _write(session: AsyncSession, workspace: Workspace, run: PlaybookRun, playbook: Playbook, retro: Retro,
                 person: Person, form: RetroForm, now: datetime) -> Saved:  # fmt: skip
    today = people.today_for(person, workspace, now)
    saved = Saved(retro)
    saved.actions = await _actions(session, workspace, run, person, lines_of(form.actions), today, now)
    saved.experiments = await _experiments(session, workspace, run, retro, person, lines_of(form.experiments), today)
    retro.sections = {name.value: form.sections.get(name, "").strip() for name in sections_of(retro.blameless)}
    retro.status, retro.written_by_id, retro.updated_at = RetroStatus.DONE, person.id, now
    retro.completed_at = retro.completed_at or now
    had = {_same(c.suggestion) for c in await suggestions(session, retro=retro)}
    for line in lines_of(form.suggestions):
        if _same(line) in had:
            continue
        had.add(_same(line))
        change = ProposedChange(workspace_id=run.workspace_id, retro_id=retro.id, run_id=run.id,
                                playbook_id=playbook.id, suggestion=line, status=ChangeStatus.SUGGESTED,
                                proposed_by_id=person.id, created_at=now)  # fmt: skip
        session.add(change)
        saved.changes.append(change)
    await session.flush()
    return saved


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def retro_source(run: PlaybookRun) -> actions.Source:
    return actions.Source(kind=SourceKind.RETRO, ref=run.ref)


async def _actions(session: AsyncSession, workspace: Workspace, run: PlaybookRun, person: Person, lines: list[str],
                   today, now: datetime) -> list[Action]:  # fmt: skip
    """`@alex update the runbook by friday` per line, owned as named (`@me` for the writer)."""

    async def ensure(slack_user_id: str) -> Person:
        return await people.ensure_person(session, workspace=workspace, slack_user_id=slack_user_id)

    source = retro_source(run)
    made: list[Action] = []
    for n, line in enumerate(lines, start=1):
        parsed = owner = None
        try:
            parsed = actions.parse_line(line, today)
            owner = await actions.owner_of_line(session, workspace=workspace, caller=person, line=parsed,
                                                ensure=ensure)  # fmt: skip
            had = await actions.from_source(session, workspace_id=workspace.id, source=source, owner_id=owner.id,
                                            channel_id=run.channel_id)  # fmt: skip
            if any(_same(a.what) == _same(parsed.what) for a in had):
                continue
            made.append(await actions.create(session, workspace=workspace, creator=person, owner=owner,
                                             what=parsed.what, due_on=parsed.due, now=now, source=source,
                                             channel_id=run.channel_id))  # fmt: skip
        except Invalid as exc:
            if parsed and owner is None and not parsed.owner_id and parsed.owner_name:  # a name no one here goes by
                raise Invalid({Field.ACTIONS: _unknown_owner(n, parsed.owner_name)}) from None
            # The grammar's examples are typed after /action; here the line is typed alone.
            said = " ".join(exc.errors.values()).replace("`/action ", "`")
            raise Invalid({Field.ACTIONS: f"Line {n}: {said}"}) from None
    return made


def _unknown_owner(n: int, name: str) -> str:
    """Not /action's hint (pick from Slack's list, or the form): neither exists in this field."""
    return (f"Line {n}: I don't know anyone here called @{name[:40]}, so this line has no owner. Start it with the "
            "name a person goes by in Slack, or `@me`, e.g. `@alex send the pricing deck by friday`.")  # fmt: skip


async def _experiments(session: AsyncSession, workspace: Workspace, run: PlaybookRun, retro: Retro, person: Person,
                       lines: list[str], today) -> list[Experiment]:  # fmt: skip
    """`<hypothesis> by <date>` per line: an experiment of the writer's, tied to this retrospective."""
    had = {_same(x.hypothesis) for x in await experiments.of_retro(session, retro=retro)}
    made: list[Experiment] = []
    for n, line in enumerate(lines, start=1):
        try:
            hypothesis, ends_on = experiments.parse_line(line, today)
            if _same(hypothesis) in had:
                continue
            had.add(_same(hypothesis))
            made.append(await experiments.create(session, workspace=workspace, owner=person, hypothesis=hypothesis,
                                                 metric=None, expected_effect="", ends_on=ends_on, today=today,
                                                 channel_id=run.channel_id, retro=retro))  # fmt: skip
        except Invalid as exc:
            raise Invalid({Field.EXPERIMENTS: f"Line {n}: {' '.join(exc.errors.values())}"}) from None
    return made
