"""What a finding's subject is called, for showing it: an outcome's or a meeting's title, a decision's question, a
person's name. One query per kind of subject, all scoped to the workspace."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Decision, Meeting, Outcome, Person, Playbook

_NAMED = {
    "O": (Outcome, Outcome.title),
    "D": (Decision, Decision.question),
    "M": (Meeting, Meeting.title),
    "PB": (Playbook, Playbook.name),
}


def person_id_of(subject: str) -> int | None:
    """The person a subject such as `@12` names (bottlenecks, too many outcomes); None for anything else."""
    return int(subject[1:]) if subject.startswith("@") and subject[1:].isdigit() else None


async def names_of(session: AsyncSession, *, workspace_id: int, subjects: Iterable[str]) -> dict[str, str]:
    """Subject -> its title, question or name, as typed (escape it to show it); unknown subjects are left out."""
    numbers: dict[str, set[int]] = {prefix: set() for prefix in _NAMED}
    people: set[int] = set()
    for subject in subjects:
        prefix, _, number = subject.partition("-")
        if prefix in numbers and number.isdigit():
            numbers[prefix].add(int(number))
        elif (person := person_id_of(subject)) is not None:
            people.add(person)
    found: dict[str, str] = {}
    for prefix, wanted in numbers.items():
        if wanted:
            model, column = _NAMED[prefix]
            query = select(model.number, column).where(model.workspace_id == workspace_id, model.number.in_(wanted))
            found.update({f"{prefix}-{number}": text for number, text in await session.execute(query)})
    if people:
        query = select(Person.id, Person.display_name, Person.slack_user_id).where(
            Person.workspace_id == workspace_id, Person.id.in_(people)
        )
        found.update({f"@{pid}": name or user for pid, name, user in await session.execute(query)})
    return found
