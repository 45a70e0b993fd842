"""The agenda as typed, one item per line: `Pricing options — @alex — 15 decide`, parsed without the database.

The parts are separated by an em or en dash, a pipe, or a hyphen with spaces around it (so `follow-up` in a
topic stays whole), and read from the right: the last part is the time-box and the kind, the one before it the
owner, everything before that the topic. The owner is a name as the workspace shows it (`@alex`, `Alex Meyer`),
or a mention when one is pasted in (`<@U0ALEX>`). Problems are collected line by line, for one field error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import ItemKind
from services.meetings.rules import MAX_ITEMS

EXAMPLE = "Pricing options — @alex — 15 decide"
TOPIC_EXAMPLE = "Churn numbers — 10 discuss"  # a topic added to an agenda: its owner is whoever adds it
_SEPARATOR = re.compile(r"\s*[—–]\s*|\s*\|(?![^<]*>)\s*|\s+-\s+")  # not the | inside <@U0ALEX|alex>
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_MINUTES = re.compile(r"^(\d{1,3})\s*(?:m|min|mins|minute|minutes|')?$", re.IGNORECASE)
MAX_TOPIC = 200
MAX_SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class ItemLine:
    """One agenda line as typed: the owner is a Slack id (from a mention) or a name still to look up."""

    number: int  # its line among the agenda's items, from 1
    topic: str
    minutes: int
    kind: ItemKind
    owner_id: str | None = None
    owner_name: str | None = None


def _time_and_kind(part: str) -> tuple[int | None, ItemKind | None, bool]:
    """`15 decide`, `decide 15`, `15 min`, `15`: the minutes, the kind, and whether it read as one at all."""
    words = part.split()
    kind = next((ItemKind(w.lower()) for w in words if w.lower() in set(ItemKind)), None)
    rest = " ".join(w for w in words if w.lower() not in set(ItemKind))
    match = _MINUTES.match(rest)
    minutes = int(match[1]) if match else None
    return minutes, kind, bool(match) or (kind is not None and not rest)


def _owner(part: str) -> tuple[str | None, str | None]:
    mention = _MENTION.match(part)
    if mention:
        return mention[1], None
    name = part.strip().lstrip("@").strip()
    return None, name or None


def parse_item(text: str, number: int) -> tuple[ItemLine | None, str | None]:
    """One line: the item, or a sentence saying what is wrong with it (for the person, plain text)."""
    parts = [p.strip() for p in _SEPARATOR.split(text.strip())]
    parts = [p for p in parts if p]
    shown = text.strip()[:40]
    if len(parts) < 2:
        return None, f"Line {number} (“{shown}”) needs an owner and minutes: write it as “{EXAMPLE}”."
    if len(parts) > 3 and parts[-1].lower() in set(ItemKind) and _MINUTES.match(parts[-2]):
        parts = [*parts[:-2], f"{parts[-2]} {parts[-1]}"]  # `… — 30 — decide`: the kind set apart too
    minutes, kind, timed = _time_and_kind(parts[-1])
    if not timed:
        last = parts[-1].split()
        if _MINUTES.match(last[0] if last else "") and len(last) == 2:  # `15 brainstorm`: an unknown kind
            return None, (f"Line {number} (“{shown}”): “{last[1][:20]}” isn't a kind here; use decide, discuss or "
                          "inform.")  # fmt: skip
        return None, f"Line {number} (“{shown}”) needs its minutes last, e.g. “15 decide”."
    if len(parts) < 3:
        return None, f"Line {number} (“{shown}”) has no owner: name who leads it, e.g. “{EXAMPLE}”."
    if not minutes:
        return None, f"Line {number} (“{shown}”) needs its minutes, e.g. “15 decide”."
    topic = " ".join(" — ".join(parts[:-2]).split())
    if len(topic) > MAX_TOPIC:
        return None, f"Line {number}'s topic is longer than {MAX_TOPIC} characters; link to the details."
    owner_id, owner_name = _owner(parts[-2])
    line = ItemLine(number, topic, minutes, kind or ItemKind.DISCUSS, owner_id=owner_id, owner_name=owner_name)
    return line, None


def parse_agenda(text: str) -> tuple[list[ItemLine], list[str]]:
    """Every non-empty line, in order; and the problems found, each naming its line."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    items: list[ItemLine] = []
    problems: list[str] = []
    if len(lines) > MAX_ITEMS:
        problems.append(f"Keep the agenda to {MAX_ITEMS} items (this has {len(lines)}); a shorter meeting is better.")
        return items, problems
    for number, text_line in enumerate(lines, start=1):
        item, problem = parse_item(text_line, number)
        if item:
            items.append(item)
        if problem:
            problems.append(problem)
    return items, problems


def summed(problems: list[str]) -> str:
    """The first few problems as one field error, with how many more there are."""
    shown = problems[:MAX_SHOWN_PROBLEMS]
    more = len(problems) - len(shown)
    return " ".join(shown) + (f" (and {more} more)" if more else "")


def over_time_problem(items: list[ItemLine], minutes: int | None) -> str | None:
    total = sum(item.minutes for item in items)
    if minutes is None or total <= minutes:
        return None
    return (
        f"The time-boxes add up to {total} minutes, {total - minutes} more than the meeting's {minutes}: shorten "
        "or drop an item, or make the meeting longer."
    )


def item_text(topic: str, owner: str, minutes: int, kind: ItemKind) -> str:
    """One item written back in the grammar (`owner` as `@Name` or `<@U0ALEX>`); `parse_item` reads it back."""
    return f"{topic} — {owner} — {minutes} {kind.value}"


def parse_topic(text: str) -> tuple[ItemLine | None, str | None]:
    """One topic added to an agenda: like a line of it, but the owner may be left out (`Churn numbers — 10
    discuss`), and the caller fills it in (owner_id and owner_name are then None)."""
    parts = [p.strip() for p in _SEPARATOR.split(text.strip()) if p.strip()]
    if len(parts) < 2:
        return None, f"Give the topic and its minutes, e.g. “{TOPIC_EXAMPLE}”; name an owner as in “{EXAMPLE}”."
    if len(parts) == 2 and _time_and_kind(parts[-1])[2]:
        minutes, kind, _ = _time_and_kind(parts[-1])
        topic = " ".join(parts[0].split())
        if not minutes:
            return None, "Say how many minutes it needs, e.g. “15 decide”."
        if len(topic) > MAX_TOPIC:
            return None, f"Keep the topic within {MAX_TOPIC} characters; link to the details."
        return ItemLine(1, topic, minutes, kind or ItemKind.DISCUSS), None
    line, problem = parse_item(text, 1)
    return line, problem.replace("Line 1 ", "The line ", 1) if problem else None
