"""The one-line form: `@alex send the pricing deck by friday O-12`, parsed without touching the database.

The command arrives with mentions escaped by Slack (`<@U123|alex>`, the command has `should_escape`); a plain
`@alex` is a name Slack did not recognise, left for the service to look up among the people it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from services.actions.dates import EXAMPLES, parse_by, parse_in
from services.actions.rules import Field
from services.errors import Invalid

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_PLAIN = re.compile(r"^@([\w.\-]{1,80})$")
_OUTCOME = re.compile(r"^[Oo]-?\d{1,9}$")
HOW = "`/action @alex send the pricing deck by friday`"


@dataclass(frozen=True)
class OneLine:
    """An action item as typed on one line: nothing checked against the database yet."""

    what: str
    due: date
    owner_id: str | None = None  # a Slack user id, from an escaped mention
    owner_name: str | None = None  # a plain @name, to look up; "me" for the caller
    outcome: str | None = None  # O-12


def parse_line(text: str, today: date) -> OneLine:
    """`today` is in the caller's zone. Raises Invalid with a sentence that shows what would work."""
    words = text.split()
    if not words:
        raise Invalid({Field.WHAT: f"Say who does what by when, e.g. {HOW}."})
    owner_id, owner_name = _owner(words[0])
    words = words[1:]
    outcome = _pop_outcome(words)
    due = _pop_due(words, today)
    outcome = outcome or _pop_outcome(words)
    return OneLine(what=" ".join(words), due=due, owner_id=owner_id, owner_name=owner_name, outcome=outcome)


def _owner(word: str) -> tuple[str | None, str | None]:
    mention = _MENTION.match(word)
    if mention:
        return mention[1], None
    plain = _PLAIN.match(word)
    if plain:
        return None, plain[1].lower()
    raise Invalid({Field.OWNER: f"Who owns it? Start with a mention: {HOW} (or `@me`)."})


def _pop_outcome(words: list[str]) -> str | None:
    if len(words) > 1 and _OUTCOME.match(words[-1]):
        return words.pop().upper().replace("O", "O-", 1).replace("--", "-")
    return None


def _pop_due(words: list[str], today: date) -> date:
    for size in (2, 3, 4):
        if len(words) < size:
            continue
        head, tail = words[-size].lower(), " ".join(words[-size + 1 :])
        found = parse_by(tail, today) if head == "by" else parse_in(tail, today) if head == "in" else None
        if found is not None:
            del words[-size:]
            return found
    if len(words) >= 2 and words[-2].lower() in ("by", "on", "due"):
        raise Invalid({Field.DUE: f"I can't read “{words[-1]}” as a date. Try {EXAMPLES}."})
    raise Invalid({Field.DUE: f"When is it due? End with {EXAMPLES}."})
