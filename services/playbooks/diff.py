"""What changed between two lists of steps: added, removed, moved and edited, followed by each step's key.

A step is *moved* when its place among the steps both versions share changed: the steps kept in order are the
longest common subsequence of the shared keys, and every other shared step moved. A step is *edited* when any
of its fields changed; the fields are named in the words people use (title, details, timing, who, approval, link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "details": ("details",),
    "timing": ("timing",),
    "who": ("role", "person_id"),
    "approval": ("approval_role",),
    "link": ("link",),
}


@dataclass(frozen=True)
class Edited:
    before: dict[str, Any]
    after: dict[str, Any]
    fields: tuple[str, ...]  # names from FIELDS, in that order
    position: int = 0  # 1-based, in the newer steps


@dataclass(frozen=True)
class Moved:
    step: dict[str, Any]
    was: int  # 1-based positions
    now: int


@dataclass(frozen=True)
class StepDiff:
    added: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (position in the newer, step)
    removed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (position in the older, step)
    moved: list[Moved] = field(default_factory=list)
    edited: list[Edited] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.moved or self.edited)


def diff_steps(older: list[dict[str, Any]], newer: list[dict[str, Any]]) -> StepDiff:
    old_at = {s["key"]: i for i, s in enumerate(older, start=1)}
    new_at = {s["key"]: i for i, s in enumerate(newer, start=1)}
    shared_old = [s["key"] for s in older if s["key"] in new_at]
    shared_new = [s["key"] for s in newer if s["key"] in old_at]
    kept = set(_lcs(shared_old, shared_new))
    by_old = {s["key"]: s for s in older}
    result = StepDiff(
        added=[(i, s) for i, s in enumerate(newer, start=1) if s["key"] not in old_at],
        removed=[(i, s) for i, s in enumerate(older, start=1) if s["key"] not in new_at],
        moved=[
            Moved(s, old_at[s["key"]], i)
            for i, s in enumerate(newer, start=1)
            if s["key"] in old_at and s["key"] not in kept
        ],  # fmt: skip
    )
    for position, step in enumerate(newer, start=1):
        before = by_old.get(step["key"])
        if before is not None and (changed := changed_fields(before, step)):
            result.edited.append(Edited(before, step, changed, position))
    return result


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        name for name, keys in FIELDS.items() if any((before.get(k) or None) != (after.get(k) or None) for k in keys)
    )


def _lcs(a: list[str], b: list[str]) -> list[str]:
    """The longest common subsequence; among equally long ones, the one keeping most steps at their own place,
    so swapping two steps moves those two, not a third that stayed put (at most 40 steps: the table is small)."""
    table = [[(0, 0)] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            best = max(table[i + 1][j], table[i][j + 1])
            if a[i] == b[j]:
                length, placed = table[i + 1][j + 1]
                best = max(best, (length + 1, placed + (i == j)))
            table[i][j] = best
    found, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j] and table[i][j] == (table[i + 1][j + 1][0] + 1, table[i + 1][j + 1][1] + (i == j)):
            found.append(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return found
