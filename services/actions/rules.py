"""The rules of action items, once: limits, fields, who may change one, and when a due date is acceptable."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from models import Action, Person
from services.errors import Forbidden, Invalid, NotNow

MAX_WHAT = 300
MAX_REASON = 300
MAX_AHEAD = timedelta(days=5 * 366)  # further than this is a typo, not a plan


class Field(StrEnum):
    WHAT = "what"
    OWNER = "owner"
    DUE = "due"
    OUTCOME = "outcome"
    REASON = "reason"


class ListScope(StrEnum):
    MINE = "mine"
    CHANNEL = "channel"
    OVERDUE = "overdue"


def check_what(what: str, errors: dict[Field, str]) -> str:
    what = " ".join((what or "").split())
    if not what:
        errors[Field.WHAT] = "Say what needs doing."
    elif len(what) > MAX_WHAT:
        errors[Field.WHAT] = f"Keep it within {MAX_WHAT} characters (this has {len(what)}); link to the details."
    return what


def check_due(due: date | None, today: date, errors: dict[Field, str]) -> None:
    """`today` is in the zone of whoever chose the date."""
    if due is None:
        errors[Field.DUE] = "Choose when it is due."
    elif due < today:
        errors[Field.DUE] = f"{due:%a %-d %b %Y} has passed; choose today or later."
    elif due - today > MAX_AHEAD:
        errors[Field.DUE] = "That is more than five years away; choose a nearer date."


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({Field.REASON: "Say why it is dropped, so whoever asked for it knows."})
    if len(reason) > MAX_REASON:
        raise Invalid({Field.REASON: f"Keep the reason within {MAX_REASON} characters."})
    return reason


def can_change(person: Person, action: Action) -> bool:
    return person.is_admin or person.id in (action.owner_id, action.created_by_id)


def require_changer(person: Person, action: Action, doing: str) -> None:
    """Owner, creator or an admin; checked on every press, never trusted from a button's value."""
    if not can_change(person, action):
        people = [action.owner]
        if action.created_by and action.created_by_id != action.owner_id:
            people.append(action.created_by)
        raise Forbidden(f"{doing} {action.ref}", "its owner or who created it", people)


def require_open(action: Action, doing: str) -> None:
    if not action.is_open:
        raise NotNow(f"{action.ref} is {action.status.value} already, so there is nothing to {doing}.")
