"""`/followthrough <word> …`: /followthrough belongs to help, and a feature's listener for one subcommand matches
only its own first word (registered before help's; Bolt runs the first listener that matches)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.kit.text import from_command


def first_word(word: str) -> Callable[[dict], Awaitable[bool]]:
    """A Bolt matcher: `/followthrough <word> …` is this listener's; the rest of /followthrough is not."""

    async def matches(body: dict) -> bool:
        words = from_command(str(body.get("text") or "")).split(maxsplit=1)
        return bool(words) and words[0].lower() == word

    return matches


def split(command: dict) -> tuple[str, str]:
    """(the subcommand, what follows it), as typed."""
    word, _, rest = from_command(command.get("text") or "").strip().partition(" ")
    return word.lower(), rest.strip()
