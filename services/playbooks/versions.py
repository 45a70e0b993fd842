"""Playbooks and their published versions: creating PB-n, finding one, and publishing v(n+1).

A step, in a draft and in a published version, is a dict:

    {"key": "3f9a1c2e",         # stays the same across versions (what a diff follows)
     "title": "Page the on-call engineer",
     "details": "mrkdwn, may be empty",
     "role": "incident lead",   # or None when `person_id` names someone
     "person_id": None,         # person.id of a named person, or None
     "timing": "+15 min",       # as typed: "day 1", "week 2", "T-14d", "T+1d", "+15 min"
     "approval_role": None,     # "needs approval by" role, or None
     "link": None}              # a checked URL, or None

Publishing copies the steps into an immutable version, moves `current_version`, clears the draft and counts
as a review (evergreen).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Person, Playbook, PlaybookKind, PlaybookVersion, Workspace
from models.playbook import PLAYBOOK_PREFIX
from services.refs import next_number, parse_ref

MAX_CHANGELOG = 500


def new_step_key() -> str:
    return uuid.uuid4().hex[:8]


async def create(
    session: AsyncSession,
    *,
    workspace: Workspace,
    owner: Person,
    name: str,
    kind: PlaybookKind,
    now: datetime,
    review_days: int | None = None,
) -> Playbook:
    """A new playbook with no version yet (its steps start as a draft)."""
    playbook = Playbook(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind=PLAYBOOK_PREFIX),
        name=name,
        kind=kind,
        owner_id=owner.id,
        reviewed_at=now,
        created_at=now,
    )
    if review_days is not None:
        playbook.review_days = review_days
    session.add(playbook)
    await session.flush()
    return playbook


async def get(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> Playbook | None:
    number = parse_ref(ref, PLAYBOOK_PREFIX)
    if number is None:
        return None
    query = select(Playbook).where(Playbook.workspace_id == workspace_id, Playbook.number == number)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def version(session: AsyncSession, *, playbook: Playbook, number: int | None = None) -> PlaybookVersion | None:
    """Version `number` of the playbook (the current one when None); None when there is no such version."""
    wanted = playbook.current_version if number is None else number
    if wanted < 1:
        return None
    return await session.scalar(
        select(PlaybookVersion).where(PlaybookVersion.playbook_id == playbook.id, PlaybookVersion.number == wanted)
    )


async def publish(
    session: AsyncSession,
    *,
    playbook: Playbook,
    steps: list[dict[str, Any]],
    changelog: str,
    by: Person | None,
    now: datetime,
    learned_from_run_id: int | None = None,
) -> PlaybookVersion:
    """v(n+1) with these steps; the caller has locked the playbook row (get(..., lock=True)) and checked who may."""
    published = PlaybookVersion(
        workspace_id=playbook.workspace_id,
        playbook_id=playbook.id,
        number=playbook.current_version + 1,
        steps=[dict(step) for step in steps],
        changelog=changelog[:MAX_CHANGELOG],
        learned_from_run_id=learned_from_run_id,
        published_by_id=by.id if by else None,
        published_at=now,
    )
    session.add(published)
    playbook.current_version = published.number
    playbook.draft_steps = None
    playbook.draft_by_id = None
    playbook.draft_updated_at = None
    playbook.reviewed_at = now
    playbook.review_asked_at = None
    await session.flush()
    return published
