"""The three ways a service refuses, each carrying what the person should be told.

Handlers turn them into replies: `Invalid` into field errors on the form (or a reply listing them),
`Forbidden` into who may do it instead, `NotFound` into "I can't find …".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models import Person


class Invalid(Exception):
    """What was typed cannot be stored; `errors` says why, field by field (keys are a feature's field enum)."""

    def __init__(self, errors: Mapping[Any, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class NotFound(Exception):
    def __init__(self, ref: str) -> None:
        super().__init__(f"I can't find {ref[:30]} in this workspace.")
        self.ref = ref


class Forbidden(Exception):
    """Only `people` (described by `role`, e.g. "the owner") or a workspace admin may do `action`.

    With no people and no role, only admins may; `hint` says what the person can do instead."""

    def __init__(self, action: str, role: str = "", people: Sequence[Person] = (), hint: str = "") -> None:
        # One person in two roles is named once ("Only @a, @a" read oddly); a person not yet stored is kept.
        unique = {(p.id if p.id is not None else f"new:{id(p)}"): p for p in people}
        self.action, self.role, self.people, self.hint = action, role, list(unique.values()), hint
        super().__init__(self.describe(lambda p: p.display_name or p.slack_user_id))

    def describe(self, name: Any) -> str:
        """The refusal as a sentence; `name(person)` writes each person (a mention, or a plain name in forms)."""
        if not self.people and not self.role:
            return f"Only workspace admins can {self.action}. Ask one of them; nothing was changed."
        names = ", ".join(name(p) for p in self.people)
        who = f"{names} ({self.role})" if names else self.role
        text = f"Only {who}, or a workspace admin, can {self.action}. Nothing was changed."
        return f"{text} {self.hint}" if self.hint else text


class NotNow(Exception):
    """Allowed in general, but not in the present state of the thing; the message says why and what to do."""
