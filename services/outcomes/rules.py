"""Who may manage an outcome: its owner or a workspace admin; anyone may log progress."""

from __future__ import annotations

from models import Outcome, Person
from services.errors import Forbidden

# Whoever is refused can still move the outcome forward: progress is open to everyone.
INSTEAD = "Ask them, or log progress instead, which anyone can."


def can_manage(person: Person, outcome: Outcome) -> bool:
    return person.is_admin or person.id == outcome.owner_id


def require_manager(person: Person, outcome: Outcome, action: str) -> None:
    if not can_manage(person, outcome):
        raise Forbidden(action, role="the owner", people=[outcome.owner], hint=INSTEAD)
