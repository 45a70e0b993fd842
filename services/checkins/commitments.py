"""The answer form's "I will…" line: each line someone writes becomes an action item they own, due on the next
round's day (when the team hears how it went), made through `services.actions` like every other item."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, Person, Round, Workspace
from services import actions, people
from services.checkins.rules import CheckinError
from services.errors import Invalid

MAX_COMMITMENTS = 10  # lines of one answer; more is a plan, not a week's promises
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")


class BadCommitment(CheckinError):
    """A line of "I will…" cannot become an action item; nothing was stored."""


def commitment_lines(text: str | None) -> list[str]:
    """Each non-empty line, without the bullet or number people put in front, its spaces tidied."""
    lines = (" ".join(_BULLET.sub("", line).split()) for line in (text or "").splitlines())
    return [line for line in lines if line]


def check_commitments(lines: Sequence[str]) -> None:
    """Before anything is stored: a refusal must leave the whole answer unstored."""
    if len(lines) > MAX_COMMITMENTS:
        raise BadCommitment(f"Keep it to {MAX_COMMITMENTS} lines (this has {len(lines)}); `/action` takes more.")
    for n, line in enumerate(lines, start=1):
        errors: dict[actions.Field, str] = {}
        actions.check_what(line, errors)
        if errors:
            raise BadCommitment(f"Line {n}: {' '.join(errors.values())}")


def commitment_due(round_: Round, today: date) -> date:
    """The next round's day; with none planned (a paused check-in), a period after this round. Never before
    `today` (the person's), since a date that has passed cannot be chosen."""
    cadence = round_.cadence
    if cadence.next_on is not None and cadence.next_on > round_.occurs_on:
        due = cadence.next_on
    else:
        due = round_.occurs_on + timedelta(weeks=cadence.interval_weeks)
    return max(due, today)


def _same(text: str) -> str:
    return " ".join(text.lower().split())


async def record_commitments(session: AsyncSession, *, round_: Round, person: Person, lines: Sequence[str],
                             now: datetime) -> list[Action]:  # fmt: skip
    """One item per line, owned by the person answering; a line they already have from this answer (the form
    sent again, changed) is not made twice."""
    if not lines:
        return []
    workspace = await session.get(Workspace, round_.workspace_id)
    assert workspace is not None
    source = actions.checkin_source(round_.occurs_on)
    had = await actions.from_source(
        session, workspace_id=workspace.id, source=source, owner_id=person.id, channel_id=round_.channel_id
    )
    known = {_same(a.what) for a in had}
    due = commitment_due(round_, people.today_for(person, workspace, now))
    made: list[Action] = []
    for line in lines:
        if _same(line) in known:
            continue
        known.add(_same(line))
        try:
            made.append(await actions.create(
                session, workspace=workspace, creator=person, owner=person, what=line, due_on=due, now=now,
                source=source, channel_id=round_.channel_id,
            ))  # fmt: skip
        except Invalid as exc:
            raise BadCommitment(" ".join(exc.errors.values())) from None
    return made
