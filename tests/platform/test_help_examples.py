"""Issue 10 item 7: every example in every help text works. The examples are read out of bot/surface.py and
out of the HELP_DETAILS of every feature, then typed, as written, into a workspace that has what they name (an
outcome with an `Activation rate` and a `Demos booked` metric, a priority, a decision, a meeting, the Standard
path). None may answer "I don't know", "has no metric", "can't find" or a question about what was meant."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime, timedelta

import pytest

import handlers
from bot.surface import COMMANDS
from tests.support.decisions import ask
from tests.support.meetings import schedule
from tests.support.outcomes import all_text, define
from tests.support.playbook_runs import start_run
from tests.support.playbooks import STEPS
from tests.support.playbooks import create as create_playbook
from tests.support.playbooks import edit as edit_playbook

_EXAMPLE = re.compile(r"`(/[a-z]+(?: [^`]*)?)`")
# The fixture's refs stand in for the examples' (O-12 is O-1 here), and a placeholder for a real name.
_STAND_INS = (
    (re.compile(r"\bO-\d+\b"), "O-1"),
    (re.compile(r"\bP-\d+\b"), "P-1"),
    (re.compile(r"\bD-\d+\b"), "D-1"),
    (re.compile(r"\bA-\d+\b"), "A-1"),  # the first /action example creates A-1
    (re.compile(r"\bM-\d+\b"), "M-1"),  # the fixture schedules M-1
    (re.compile(r"\bPB-\d+\b"), "PB-1"),  # the fixture publishes PB-1 v1 and v2
    (re.compile(r"\bR-\d+\b"), "R-1"),  # and runs PB-1 as R-1
)
_PLACEHOLDERS = {"<name>": "Standard"}
WRONG = ("I don't know", "has no metric", "can't find", "Did you mean", "could be `")


def help_details() -> list[str]:
    """Every HELP_DETAILS line of every feature's handlers."""
    lines: list[str] = []
    for info in pkgutil.walk_packages(handlers.__path__, "handlers."):
        module = importlib.import_module(info.name)
        lines += getattr(module, "HELP_DETAILS", [])
    return lines


def examples() -> dict[str, list[str]]:
    """Each command's examples as typed: `(command, text)` from the surface and from the help details."""
    found: dict[str, list[str]] = {c.name: [] for c in COMMANDS}
    typed = [f"{c.name} {example}" for c in COMMANDS for example, _ in c.examples]
    typed += [m.group(1) for line in help_details() for m in _EXAMPLE.finditer(line)]
    for text in typed:
        for placeholder, value in _PLACEHOLDERS.items():
            text = text.replace(placeholder, value)
        for pattern, ref in _STAND_INS:
            text = pattern.sub(ref, text)
        name, _, rest = text.partition(" ")
        if rest not in found[name]:
            found[name].append(rest)
    return found


def test_the_examples_are_found_in_every_help_text() -> None:
    found = examples()
    assert len(help_details()) >= 20  # outcomes, progress, priorities, check-ins, decisions, escalation paths
    assert "O-1 activation=31%" in found["/progress"]
    assert "log vendor" in found["/decision"] and "away off" in found["/checkin"]
    assert "edit Standard" in found["/escalation"]
    assert {"R-1", "resolve R-1", "retro R-1"} <= set(found["/playbook"])
    assert all(found.values()), found


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
async def test_every_help_example_works(harness, command: str) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    await define(harness, lagging_name="Activation rate", leading="Demos booked: 2 -> 10", parent="P-1")
    await ask(harness)
    assert (await schedule(harness, start=datetime.now(UTC) + timedelta(days=2)))["response_action"] == "update"
    await create_playbook(harness)
    await edit_playbook(harness, "PB-1", STEPS + "\n+1h | Write the timeline | incident lead", changelog="timeline")
    await start_run(harness, "PB-1", people_for={"comms": "U0LOCAL", "eng manager": "U0LOCAL"})
    failures = []
    for text in examples()[command]:
        response = await harness.slack.command(harness.me, command, text)
        assert response.status_code == 200, (command, text, response.text)
        body = response.json() if response.content else {}
        said = f"{body.get('text', '')}\n{all_text(body.get('blocks', []))}"
        if any(wrong in said for wrong in WRONG):
            failures.append(f"{command} {text} → {said.strip()[:300]}")
    assert failures == []
