"""Proposed changes: a retrospective's suggestion turned into a change to one step (add, edit, remove), put into
the playbook's draft for its owner; accepting publishes v(n+1) whose changelog names the run that taught it,
declining takes it back out of the draft.

A proposed step is typed exactly as a line of the playbook's edit form (`services.playbooks.steps`):
`+15 min | Post a status update in the channel | comms`, with `@person`, `approval: role` and a link as there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ChangeKind,
    ChangeStatus,
    Person,
    Playbook,
    PlaybookRun,
    PlaybookVersion,
    ProposedChange,
)
from services.errors import Forbidden, Invalid, NotNow
from services.playbooks import versions
from services.playbooks.library import people_index
from services.playbooks.steps import read_steps, to_steps, unknown_people
from services.playbooks.timing import Unit, parse_timing

STEP_HOW = "`timing | title | role or @person | approval: role | link`, as in the playbook's edit form"


class Field(StrEnum):
    KIND = "kind"
    STEP = "step"
    LINE = "line"


def step_from_line(line: str, *, people: Mapping[str, int], base: dict[str, Any] | None = None,
                   kind: str | None = None) -> dict[str, Any]:  # fmt: skip
    """One step typed in the edit form's grammar (`services.playbooks.steps`), replacing `base` (the step being
    edited) if any: it keeps that step's key, and its details when the line adds none (the field is one line);
    ValueError with a sentence. `people` maps names and Slack ids to person ids, as the edit form's does."""
    lines, problems = read_steps(line, kind)
    problems += unknown_people(lines, people)
    if len(lines) > 1:
        problems.append(f"Write one step: {STEP_HOW}.")
    if problems:
        raise ValueError(" ".join(_sentence(problem) for problem in problems))
    step = to_steps(lines, people=people, previous=[])[0]
    if base is not None:
        step["key"] = base.get("key") or step["key"]
        step["details"] = step["details"] or base.get("details") or ""
    return step


def _sentence(problem: str) -> str:
    """The grammar's problem without its line number (the field holds one line)."""
    text = _LINE_NUMBER.sub("", problem, count=1)
    return text[:1].upper() + text[1:]


_LINE_NUMBER = re.compile(r"^Line \d+: ")


def apply(steps: list[dict[str, Any]], change: ProposedChange) -> list[dict[str, Any]]:
    """`steps` with the change made; NotNow when the step it edits or removes is not there any more."""
    result = [dict(s) for s in steps]
    if change.kind is ChangeKind.ADD:
        assert change.step is not None
        result = [s for s in result if s.get("key") != change.step["key"]]
        return _in_timing_order(result, dict(change.step))
    at = next((i for i, s in enumerate(result) if s.get("key") == change.step_key), None)
    if at is None:
        raise NotNow("The step this change is about is no longer in the playbook; nothing was changed.")
    if change.kind is ChangeKind.EDIT:
        assert change.step is not None
        result[at] = dict(change.step)
    else:
        del result[at]
    return result


def _when(step: dict[str, Any]) -> float | None:
    """A step's timing as minutes from the anchor, to compare steps (None when it cannot be read)."""
    try:
        timing = parse_timing(str(step.get("timing") or ""))
    except ValueError:
        return None
    return timing.amount if timing.unit is Unit.MINUTE else timing.amount * 24 * 60


def _in_timing_order(steps: list[dict[str, Any]], step: dict[str, Any]) -> list[dict[str, Any]]:
    """`steps` with `step` placed before the first step due after it (after those due at the same time), so an
    added step lands where its timing puts it rather than at the end."""
    when = _when(step)
    at = len(steps)
    if when is not None:
        at = next((i for i, s in enumerate(steps) if (w := _when(s)) is not None and w > when), len(steps))
    return [*steps[:at], step, *steps[at:]]


def describe(change: ProposedChange) -> str:
    """`added step “…”`, as the changelog and the owner's DM say it (plain: escaped where shown). A removal names
    the removed step by its title (kept on the change), never by its internal key."""
    title = (change.step or {}).get("title") or "a step"
    verb = {ChangeKind.ADD: "added", ChangeKind.EDIT: "changed", ChangeKind.REMOVE: "removed"}[change.kind]
    return f"{verb} step “{title}”"


async def by_token(session: AsyncSession, *, workspace_id: int, token: str, lock: bool = False):
    query = select(ProposedChange).where(ProposedChange.workspace_id == workspace_id, ProposedChange.token == token)
    return await session.scalar(query.with_for_update() if lock else query)


async def awaiting(session: AsyncSession, *, workspace_id: int, person: Person,
                   limit: int = 5) -> list[tuple[ProposedChange, PlaybookRun, Playbook]]:  # fmt: skip
    """Proposed changes waiting for this person's decision as the playbook's owner (the Home tab's ask)."""
    query = (
        select(ProposedChange, PlaybookRun, Playbook)
        .join(PlaybookRun, PlaybookRun.id == ProposedChange.run_id)
        .join(Playbook, Playbook.id == ProposedChange.playbook_id)
        .where(
            ProposedChange.workspace_id == workspace_id,
            ProposedChange.status == ChangeStatus.PROPOSED,
            Playbook.owner_id == person.id,
        )
        .order_by(ProposedChange.id)
        .limit(limit)
    )
    return [(change, run, playbook) for change, run, playbook in (await session.execute(query)).all()]


async def _current_steps(session: AsyncSession, playbook: Playbook) -> list[dict[str, Any]]:
    current = await versions.version(session, playbook=playbook)
    return list(current.steps) if current else []


async def propose(session: AsyncSession, *, change: ProposedChange, run: PlaybookRun, kind: str | None,
                  step_key: str | None, line: str, by: Person, now: datetime) -> Playbook:  # fmt: skip
    """Turns a suggestion into a change to one step and puts it into the playbook's draft; the caller locked the
    change. Raises Invalid (by Field), Forbidden or NotNow, changing nothing."""
    playbook = await session.scalar(select(Playbook).where(Playbook.id == change.playbook_id).with_for_update())
    assert playbook is not None
    if not (by.is_admin or by.id in (run.lead_id, playbook.owner_id)):
        named = [p for p in (await session.get(Person, run.lead_id), await session.get(Person, playbook.owner_id)) if p]
        raise Forbidden("propose a change to the playbook", "the run's lead and the playbook's owner", named)
    if change.status is not ChangeStatus.SUGGESTED:
        raise NotNow(f"This suggestion is already {change.status.value}; nothing was changed.")
    # The step is chosen from, and the change made to, the published version: a colleague's unreviewed draft
    # must not ride along into a version "learned from" this run.
    current = await _current_steps(session, playbook)
    errors: dict[Field, str] = {}
    chosen = ChangeKind(kind) if kind in {k.value for k in ChangeKind} else None
    if chosen is None:
        errors[Field.KIND] = "Choose whether it adds, changes or removes a step."
    base = next((s for s in current if s.get("key") == step_key), None)
    if chosen in (ChangeKind.EDIT, ChangeKind.REMOVE) and base is None:
        errors[Field.STEP] = "Choose the step it changes or removes."
    step = None
    if chosen in (ChangeKind.ADD, ChangeKind.EDIT):
        by_name, _ = await people_index(session, workspace_id=playbook.workspace_id)
        try:
            base = base if chosen is ChangeKind.EDIT else None
            step = step_from_line(line or "", people=by_name, base=base, kind=playbook.kind)
        except ValueError as exc:
            errors[Field.LINE] = str(exc)
    if errors:
        raise Invalid(errors)
    if chosen is ChangeKind.REMOVE and base is not None:
        step = dict(base)  # what is removed, so the owner's DM and the changelog can name it
    change.kind, change.step, change.status = chosen, step, ChangeStatus.PROPOSED
    change.step_key = step_key if chosen is not ChangeKind.ADD else None
    change.proposed_by_id = by.id
    _into_draft(playbook, current, change, by, now)
    return playbook


def _into_draft(playbook: Playbook, current: list[dict[str, Any]], change: ProposedChange, by: Person,
                now: datetime) -> None:  # fmt: skip
    """Puts the change into the draft too (publishing from the edit form accepts it). Someone else's draft keeps
    its author; when that draft already dropped the step, the change stays out of it (Accept still applies it
    to the published version)."""
    if playbook.draft_steps is None:
        playbook.draft_steps = apply(current, change)
        playbook.draft_by_id, playbook.draft_updated_at = by.id, now
        return
    try:
        playbook.draft_steps = apply(list(playbook.draft_steps), change)
    except NotNow:
        return
    playbook.draft_updated_at = now


def _decider(by: Person, playbook: Playbook, owner: Person | None, action: str) -> None:
    if not (by.is_admin or by.id == playbook.owner_id):
        raise Forbidden(action, "the playbook's owner", [owner] if owner else [])


async def accept(session: AsyncSession, *, change: ProposedChange, run: PlaybookRun, by: Person,
                 now: datetime) -> PlaybookVersion:  # fmt: skip
    """Publishes the current version with this change as v(n+1), its changelog naming the run; the rest of the
    owner's draft (other proposals, their own edits) stays a draft. The caller locked the change."""
    playbook = await session.scalar(select(Playbook).where(Playbook.id == change.playbook_id).with_for_update())
    assert playbook is not None
    _decider(by, playbook, await session.get(Person, playbook.owner_id), f"accept a change to {playbook.ref}")
    if change.status is not ChangeStatus.PROPOSED:
        raise NotNow(f"This change is already {change.status.value}; nothing was changed.")
    steps = apply(await _current_steps(session, playbook), change)
    draft, draft_by, draft_at = playbook.draft_steps, playbook.draft_by_id, playbook.draft_updated_at
    changelog = f"Learned from {run.ref}: {describe(change)}"
    published = await versions.publish(session, playbook=playbook, steps=steps, changelog=changelog, by=by, now=now,
                                       learned_from_run_id=run.id)  # fmt: skip
    if draft is not None and draft != steps:  # still whoever saved it: accepting one change reviews no more
        playbook.draft_steps, playbook.draft_by_id, playbook.draft_updated_at = draft, draft_by, draft_at
    change.status, change.decided_by_id, change.decided_at = ChangeStatus.ACCEPTED, by.id, now
    change.version_id = published.id
    return published


async def decline(session: AsyncSession, *, change: ProposedChange, by: Person, now: datetime) -> Playbook:
    """Records the owner's no and takes the change back out of the draft. The caller locked the change."""
    playbook = await session.scalar(select(Playbook).where(Playbook.id == change.playbook_id).with_for_update())
    assert playbook is not None
    _decider(by, playbook, await session.get(Person, playbook.owner_id), f"decline a change to {playbook.ref}")
    if change.status is not ChangeStatus.PROPOSED:
        raise NotNow(f"This change is already {change.status.value}; nothing was changed.")
    current = await _current_steps(session, playbook)
    if playbook.draft_steps is not None:
        playbook.draft_steps = _undo(list(playbook.draft_steps), current, change)
        if playbook.draft_steps == current:
            playbook.draft_steps, playbook.draft_by_id, playbook.draft_updated_at = None, None, None
    change.status, change.decided_by_id, change.decided_at = ChangeStatus.DECLINED, by.id, now
    return playbook


def _undo(draft: list[dict[str, Any]], current: list[dict[str, Any]], change: ProposedChange) -> list[dict[str, Any]]:
    if change.kind is ChangeKind.ADD and change.step:
        return [s for s in draft if s.get("key") != change.step["key"]]
    was = next((i for i, s in enumerate(current) if s.get("key") == change.step_key), None)
    if was is None:
        return draft
    at = next((i for i, s in enumerate(draft) if s.get("key") == change.step_key), None)
    if at is not None:
        draft[at] = dict(current[was])
    else:
        draft.insert(min(was, len(draft)), dict(current[was]))
    return draft


# publishing from the edit form ------------------------------------------------------------------------------------


async def pending(session: AsyncSession, *, playbook: Playbook) -> list[tuple[ProposedChange, PlaybookRun]]:
    """Proposed changes to this playbook still waiting for its owner, oldest first, with the run each came from."""
    query = (
        select(ProposedChange, PlaybookRun)
        .join(PlaybookRun, PlaybookRun.id == ProposedChange.run_id)
        .where(ProposedChange.playbook_id == playbook.id, ProposedChange.status == ChangeStatus.PROPOSED)
        .order_by(ProposedChange.id)
    )
    return [(change, run) for change, run in (await session.execute(query)).all()]


def _made_in(change: ProposedChange, steps: list[dict[str, Any]], current: list[dict[str, Any]]) -> bool:
    """Whether `steps` (a draft, or what is being published) carry this change, as against `current`."""
    keys = {s.get("key"): s for s in steps}
    if change.kind is ChangeKind.ADD:
        return bool(change.step) and change.step["key"] in keys
    if change.kind is ChangeKind.REMOVE:
        return change.step_key not in keys
    was = next((s for s in current if s.get("key") == change.step_key), None)
    return change.step_key in keys and keys[change.step_key] != was


async def carried(session: AsyncSession, *, playbook: Playbook,
                  steps: list[dict[str, Any]]) -> list[tuple[ProposedChange, PlaybookRun]]:  # fmt: skip
    """The pending proposals these steps carry (the edit form shows them; publishing them accepts them)."""
    current = await _current_steps(session, playbook)
    return [(c, r) for c, r in await pending(session, playbook=playbook) if _made_in(c, steps, current)]


def learned_changelog(line: str, found: list[tuple[ProposedChange, PlaybookRun]], *, current: list[dict[str, Any]],
                      steps: list[dict[str, Any]]) -> tuple[str, int | None]:  # fmt: skip
    """The owner's changelog line naming, for each run, only the changes that came from it; and the one run the
    version was learned from (None when none, several, or when the steps also hold changes no run proposed)."""
    refs = list(dict.fromkeys(run.ref for _, run in found))
    if not refs:
        return line, None
    said = "; ".join(f"{run.ref}: {describe(change)}" for change, run in found)
    learned = f"{line} (learned from {said})"
    if len(learned) > versions.MAX_CHANGELOG:
        learned = learned[: versions.MAX_CHANGELOG - 2] + "…)"
    only = current
    try:
        for change, _ in found:
            only = apply(only, change)
    except NotNow:
        only = []
    solely = [_bare(s) for s in only] == [_bare(s) for s in steps]
    return learned, found[0][1].id if len(refs) == 1 and solely else None


def _bare(step: dict[str, Any]) -> dict[str, Any]:
    return {k: (v or None) for k, v in step.items()}


def mark_accepted(found: list[tuple[ProposedChange, PlaybookRun]], *, version: PlaybookVersion, by: Person,
                  now: datetime) -> None:  # fmt: skip
    """Published from the edit form: these proposals are accepted with that version (their buttons then say so)."""
    for change, _ in found:
        change.status, change.decided_by_id, change.decided_at = ChangeStatus.ACCEPTED, by.id, now
        change.version_id = version.id


async def decided_by(session: AsyncSession, *, version: PlaybookVersion) -> list[ProposedChange]:
    """The proposals this version accepted (their owner's DM, if still queued, is then withdrawn)."""
    query = select(ProposedChange).where(ProposedChange.version_id == version.id)
    return list(await session.scalars(query))
