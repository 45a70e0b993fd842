"""Refs people type: parsing, and numbers handed out once each even when people create at the same moment."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from models import Person, Workspace
from services import people
from services.outcomes import OutcomeForm
from services.refs import parse_ref
from tests.support.outcomes import create_directly


@pytest.mark.parametrize(
    ("typed", "number"),
    [("O-12", 12), ("o-12", 12), ("12", 12), ("O12", 12), (" O-7 ", 7), ("P-3", None), ("O-0", None), ("O-", None),
     ("twelve", None), ("O-12x", None)],
)  # fmt: skip
def test_parse_ref(typed: str, number: int | None) -> None:
    assert parse_ref(typed, "O") == number


async def test_concurrent_definitions_get_distinct_consecutive_refs(db) -> None:
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0RACE")
        person = await people.ensure_person(session, workspace=workspace, slack_user_id="U0RACE")
    form = OutcomeForm(
        title="Race",
        definition_of_done="done",
        due=(date.today() + timedelta(days=5)).isoformat(),
        lagging_name="Count",
        unit="",
        baseline="0",
        target="1",
        leading="Calls: 0 -> 1",
        owner_user_id="U0RACE",
    )

    async def define_one() -> int:
        async with db.sessions.begin() as session:
            ws = await session.get(Workspace, workspace.id)
            author = await session.get(Person, person.id)
            made = await create_directly(session, workspace=ws, author=author, form=form)
            return made.number

    numbers = await asyncio.gather(*(define_one() for _ in range(8)))

    assert sorted(numbers) == list(range(1, 9))
