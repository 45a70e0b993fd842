"""Asking for a modal's inputs one by one, with defaults, re-asking after an error, and external options."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from bot.devtools.shell.directory import Directory
from bot.devtools.shell.modal import (
    AnswerError,
    Field,
    check_max,
    describe_state,
    empty_state,
    field_help,
    has_value,
    initial_state,
    parse_answer,
    pick_option,
    split_list,
)
from bot.devtools.shell.render import option_text

CANCEL = ":cancel"
CLEAR = ":clear"
MODAL_HELP = (
    "Answer each field in turn. Enter keeps the [default] (or skips an optional field); :clear empties an"
    " optional field; :cancel closes the modal; :quit closes it and leaves the shell."
)


class Cancelled(Exception):
    """The person typed :cancel (or input ended) inside a modal."""


class QuitRequested(Cancelled):
    """:quit typed inside a modal: close it and leave the shell."""


Ask = Callable[[str], Awaitable[str | None]]
Say = Callable[[str], None]
FetchOptions = Callable[[Field, str], Awaitable[list[dict[str, Any]]]]


class ModalFiller:
    """Asks for each input in turn; `ask` returns the next typed line (None at end of input)."""

    def __init__(self, directory: Directory, ask: Ask, say: Say, fetch_options: FetchOptions, *, tz: str = "UTC"):
        self.directory = directory
        self.ask = ask
        self.say = say
        self.fetch_options = fetch_options
        self.tz = tz

    async def line(self, prompt: str) -> str:
        while True:
            raw = await self.ask(prompt)
            word = (raw or "").strip()
            if raw is None or word == CANCEL:
                raise Cancelled
            if word in (":quit", ":exit"):
                raise QuitRequested
            if word == ":help":
                self.say(MODAL_HELP)
                continue
            return raw

    async def fill(
        self,
        fields: list[Field],
        values: dict[str, dict[str, Any]] | None = None,
        *,
        errors: dict[str, str] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """State values for every field; with `errors`, only the fields named there are asked again."""
        values = copy.deepcopy(values or {})
        for f in fields:
            current = (values.get(f.block_id) or {}).get(f.action_id)
            if errors is not None and f.block_id not in errors:
                values.setdefault(f.block_id, {})[f.action_id] = current or empty_state(f.element)
                continue
            if current is None:
                current = initial_state(f.element)
            error = (errors or {}).get(f.block_id)
            values.setdefault(f.block_id, {})[f.action_id] = await self.field(f, current, error)
        return values

    async def field(self, f: Field, current: dict[str, Any] | None, error: str | None = None) -> dict[str, Any]:
        default = describe_state(current, self.directory, self.tz) if current and has_value(current) else ""
        if error:
            self.say(f"  ! {error}")
        for extra in (f.hint, field_help(f)):
            if extra:
                self.say("  " + extra.replace("\n", "\n  "))
        prompt = f.label + (" (optional)" if f.optional else "")
        if default:
            first = default.splitlines()[0]
            prompt += f" [{first}{'...' if first != default else ''}]"
        while True:
            answer = await self.read_answer(f, prompt)
            if answer.strip() in ("", CLEAR):
                # Empty keeps the default; :clear drops it.
                if answer.strip() == "" and current is not None and has_value(current):
                    return current
                if f.optional:
                    return empty_state(f.element)
                self.say("  ! required")
                continue
            try:
                if f.kind in ("external_select", "multi_external_select"):
                    return await self.external(f, answer.strip())
                return parse_answer(f.element, answer, self.directory, tz=self.tz)
            except AnswerError as exc:
                self.say(f"  ! {exc}")

    async def read_answer(self, f: Field, prompt: str) -> str:
        if not f.multiline:
            return await self.line(f"{prompt}: ")
        lines: list[str] = []
        while True:
            raw = await self.line(f"{prompt}| " if not lines else "| ")
            if not lines and not raw.strip():
                return ""  # an empty first line keeps the default, as for one-line fields
            if raw.rstrip("\n") == ".":
                return "\n".join(lines)
            lines.append(raw.rstrip("\n"))

    async def external(self, f: Field, query: str) -> dict[str, Any]:
        least = int(f.element.get("min_query_length", 3) or 0)
        if len(query) < least:
            raise AnswerError(f"type at least {least} characters to search")
        options = await self.fetch_options(f, query)
        if not options:
            raise AnswerError(f"nothing matches {query!r}; try another search")
        self.say("  " + "  ".join(f"{i}) {option_text(o)}" for i, o in enumerate(options, 1)))
        many = f.kind == "multi_external_select"
        while True:
            answer = await self.line("pick (numbers, comma-separated): " if many else "pick: ")
            try:
                if many:
                    picked = [pick_option(options, part) for part in split_list(answer)]
                    if not picked:
                        raise AnswerError("choose at least one")
                    check_max(f.element, picked)
                    return {"type": f.kind, "selected_options": copy.deepcopy(picked)}
                return {"type": f.kind, "selected_option": copy.deepcopy(pick_option(options, answer))}
            except AnswerError as exc:
                self.say(f"  ! {exc}")
