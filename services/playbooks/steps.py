r"""The step-line grammar: how people type a playbook's steps in a form, one step per line, and back again.

    day 1 | Set up the laptop | new hire | approval: manager | https://wiki.example/laptop
    > Order it a week ahead; IT needs the start date.

A line is `timing | title`, then in any order: who does it (a role such as `new hire`, or a named person
`@Alex Meyer` / `<@U0ALEX>`), `approval: <role>` when someone must sign it off, and a link (http or https, bare or
Slack's `<https://…|label>`). A title or role that holds a `|` writes it `\|`. A line starting with `>` adds to the
details of the step above it (mrkdwn, several lines allowed). Blank lines are ignored. A step with no role and no
person goes to the run's lead. Each kind of playbook takes its own timings (timing.py). Errors name the line number.

Parsing is pure; naming people needs the workspace's people (`people` maps a lower-cased name or Slack id to a
person id), and `carry_keys` gives edited steps the keys of the steps they were, so a diff can follow them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.links import url_problem
from services.playbooks.timing import EXAMPLES, kind_problem, parse_timing
from services.playbooks.versions import new_step_key

MAX_STEPS = 40
MAX_TITLE = 200
MAX_ROLE = 40
MAX_DETAILS = 1500
DETAILS_MARK = ">"
APPROVAL = "approval:"
HOW = "`timing | title | role or @person | approval: role | link`, one step per line; `> more` adds details"
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)>$")
_LABELLED = re.compile(r"<@([UW][A-Z0-9]+)\|[^>]*>")  # a mention's label holds a `|`: dropped before splitting
# A part that is Slack's link, `<https://…|label>` or `<https://…>`: read as the bare link, its label dropped.
_LINKED = re.compile(r"(^|\|)\s*<(https?://[^|>\s]+)(?:\|[^>]*)?>\s*(?=\||$)", re.IGNORECASE)
_BAR = re.compile(r"(?<!\\)\|")  # a `|` not written `\|`
ESCAPED_BAR = "\\|"


@dataclass(frozen=True)
class StepLine:
    """One step as typed: `who` is a role, or a person when `person` holds the name or id typed after `@`."""

    line: int
    timing: str
    title: str
    role: str | None = None
    person: str | None = None
    approval_role: str | None = None
    link: str | None = None
    details: str = ""


class StepErrors(ValueError):
    """Every problem found, one sentence per line that has one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def parse_steps(text: str, kind: str | None = None) -> list[StepLine]:
    """The steps in `text`; raises StepErrors naming each bad line."""
    steps, problems = read_steps(text, kind)
    if problems:
        raise StepErrors(problems)
    return steps


def read_steps(text: str, kind: str | None = None) -> tuple[list[StepLine], list[str]]:
    """The steps that read well, and a sentence for each line that does not (a timing `kind` doesn't take too)."""
    steps: list[StepLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(DETAILS_MARK):
            if not steps:
                problems.append(f"Line {number}: details (`>`) belong under a step; put the step first.")
                continue
            more = line[len(DETAILS_MARK) :].strip()
            last = steps[-1]
            steps[-1] = _with_details(last, f"{last.details}\n{more}" if last.details else more)
            continue
        try:
            steps.append(_parse_line(number, line, kind))
        except ValueError as exc:
            problems.append(f"Line {number}: {exc}")
    if not steps and not problems:
        problems.append(f"Add at least one step: {HOW}.")
    if len(steps) > MAX_STEPS:
        problems.append(f"Keep a playbook within {MAX_STEPS} steps (this has {len(steps)}).")
    problems += [f"Line {s.line}: keep the details within {MAX_DETAILS} characters." for s in steps
                 if len(s.details) > MAX_DETAILS]  # fmt: skip
    return steps, problems


def _with_details(step: StepLine, details: str) -> StepLine:
    return StepLine(step.line, step.timing, step.title, step.role, step.person, step.approval_role, step.link, details)


def _parse_line(number: int, line: str, kind: str | None = None) -> StepLine:
    bare = _LINKED.sub(r"\1\2", _LABELLED.sub(r"<@\1>", line))
    parts = [part.strip().replace(ESCAPED_BAR, "|") for part in _BAR.split(bare)]
    if len(parts) < 2 or not parts[1]:
        raise ValueError(f"write the timing, then `|`, then the title (as in {HOW}).")
    if not parts[0]:
        raise ValueError(f"Give each step a timing first, such as {EXAMPLES}.")
    parse_timing(parts[0])  # only to check it: raises ValueError with a sentence for the person
    if problem := kind_problem(parts[0], kind):
        raise ValueError(problem)
    title = parts[1]
    if len(title) > MAX_TITLE:
        raise ValueError(f"keep the title within {MAX_TITLE} characters.")
    found: dict[str, str] = {}
    for part in parts[2:]:
        if not part:
            continue
        what, value = _classify(part)
        if what in found:
            raise ValueError(
                f"one {what.replace('_', ' ')} per step (“{part[:30]}” is a second; write a `|` "
                "inside a title as `\\|`)."
            )
        found[what] = value
    if "role" in found and "person" in found:
        raise ValueError("a step goes to a role or to a person, not both.")
    return StepLine(number, " ".join(parts[0].split()), title, **found)


def _classify(part: str) -> tuple[str, str]:
    lowered = part.lower()
    if lowered.startswith(("http://", "https://")):
        if problem := url_problem(part):
            raise ValueError(problem)
        return "link", part
    if lowered.startswith(APPROVAL):
        role = part[len(APPROVAL) :].strip()
        if not role:
            raise ValueError("say whose approval it needs: `approval: manager`.")
        return "approval_role", _role(role)
    if match := _MENTION.match(part):
        return "person", match.group(1)
    if part.startswith("@"):
        name = part[1:].strip()
        if not name:
            raise ValueError("write the person's name after `@`.")
        return "person", name
    return "role", _role(part)


def _role(text: str) -> str:
    role = " ".join(text.split())
    if len(role) > MAX_ROLE:
        raise ValueError(f"keep a role within {MAX_ROLE} characters (“{role[:20]}…”).")
    return role


def unknown_people(lines: list[StepLine], people: Mapping[str, int]) -> list[str]:
    return [f"Line {s.line}: I don't know @{s.person} (or more than one person goes by it); write their name as "
            "Slack shows it (`@Priya Raman`), their handle, or a role instead."
            for s in lines if s.person and s.person.lower() not in people]  # fmt: skip


def steps_from(text: str, *, people: Mapping[str, int], previous: list[dict[str, Any]],
               kind: str | None = None) -> list[dict]:  # fmt: skip
    """Typed steps as step dicts; StepErrors with every problem, by line, when any line is wrong."""
    lines, problems = read_steps(text, kind)
    problems += unknown_people(lines, people)
    if problems:
        number = re.compile(r"^Line (\d+):")
        raise StepErrors(sorted(problems, key=lambda p: int(m.group(1)) if (m := number.match(p)) else 10**6))
    return to_steps(lines, people=people, previous=previous)


def to_steps(lines: list[StepLine], *, people: Mapping[str, int], previous: list[dict[str, Any]]) -> list[dict]:
    """The step dicts (versions.py's shape) for `lines`, people named resolved, keys carried from `previous`."""
    if unknown := unknown_people(lines, people):
        raise StepErrors(unknown)
    steps = [
        {
            "key": "",
            "title": s.title,
            "details": s.details,
            "role": None if s.person else s.role,
            "person_id": people[s.person.lower()] if s.person else None,
            "timing": s.timing,
            "approval_role": s.approval_role,
            "link": s.link,
        }
        for s in lines
    ]
    return carry_keys(steps, previous)


def carry_keys(steps: list[dict], previous: list[dict[str, Any]]) -> list[dict]:
    """Each step keeps the key of the step it was: first the same title (moved, or edited in other ways), then
    the same place with the same timing and the same person or role (only its title edited); anything else is new."""
    unused = {step["key"]: step for step in previous}
    for step in steps:
        same = next((k for k, old in unused.items() if old["title"].lower() == step["title"].lower()), None)
        if same:
            step["key"] = unused.pop(same)["key"]
    for position, step in enumerate(steps):
        if step["key"]:
            continue
        old = previous[position] if position < len(previous) else None
        if old is not None and old["key"] in unused and _alike(old, step):
            step["key"] = unused.pop(old["key"])["key"]
        else:
            step["key"] = new_step_key()
    return steps


def as_text(steps: list[dict[str, Any]], names: Mapping[int, str]) -> str:
    """The steps written back in the grammar (what the edit form shows); `names` holds each person's name."""
    lines = []
    for step in steps:
        parts = [step["timing"], _bars(step["title"])]
        if step.get("person_id"):
            parts.append(f"@{names.get(step['person_id'], 'someone')}")
        elif step.get("role"):
            parts.append(_bars(step["role"]))
        if step.get("approval_role"):
            parts.append(f"{APPROVAL} {step['approval_role']}")
        if step.get("link"):
            parts.append(step["link"])
        lines.append(" | ".join(parts))
        lines += [f"{DETAILS_MARK} {more}" for more in (step.get("details") or "").splitlines() if more.strip()]
    return "\n".join(lines)


def _bars(text: str) -> str:
    return text.replace("|", ESCAPED_BAR)


def _alike(old: dict[str, Any], new: dict[str, Any]) -> bool:
    same_who = (old.get("person_id"), old.get("role")) == (new.get("person_id"), new.get("role"))
    return old["timing"] == new["timing"] and same_who
