"""What counts as a blocker. The words people type to say nothing is in the way ("none", "nope", "n/a") are not
one: a progress update that says so clears its outcome's earlier blockers, and so does one that brings the
outcome back on track or to done. Until then a blocker stays in the way (the check-in digest, health's
bottlenecks)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy.orm import aliased

from models import OutcomeStatus, ProgressUpdate

CLEARED = ""  # stored as an update's blocker: nothing is in the way any more
_NOTHING = {"none", "nope", "no", "nah", "nothing", "na", "nil", "noblocker", "noblockers", "nothingblocking",
            "allclear", "clear", "cleared", "notreally", "nothingreally"}  # fmt: skip
_NOT_LETTER, _ALPHANUMERIC = re.compile(r"[^a-z]"), re.compile(r"[^\W_]")
_CLEARING = (OutcomeStatus.ON_TRACK, OutcomeStatus.DONE)


def says_nothing(text: str | None) -> bool:
    """Whether a typed blocker says there is none (`none`, `Nope.`, `n/a`, `no blockers`, `-`)."""
    if text is None or not text.strip():
        return False
    if not _ALPHANUMERIC.search(text):
        return True  # `-`, `—`, `...`
    return _NOT_LETTER.sub("", text.lower()) in _NOTHING


def typed(text: str | None) -> str | None:
    """An update's blocker from what was typed: None when none was given, CLEARED when it says there is none."""
    if text is None or not text.strip():
        return None
    return CLEARED if says_nothing(text) else text.strip()


def answered(text: str | None) -> str | None:
    """A check-in answer's blocker: None when nothing was typed or it says there is none."""
    found = typed(text)
    return found or None


def still_in_the_way(update: Any = ProgressUpdate) -> ColumnElement[bool]:
    """For a query over progress updates with a blocker: no later update on the same outcome cleared it."""
    later = aliased(ProgressUpdate)
    return ~exists().where(
        later.workspace_id == update.workspace_id,
        later.outcome_id == update.outcome_id,
        later.created_at > update.created_at,
        or_(later.blocker == CLEARED, later.status_after.in_(_CLEARING)),
    )
