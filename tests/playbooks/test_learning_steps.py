"""Proposed changes to steps: one step line (the edit form's grammar), and two proposals
from one retrospective accepted one at a time, each publishing its own version naming the run, while the other
waits in the owner's draft; an edit keeps the step's key, so a diff follows the step across versions."""

from __future__ import annotations

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import ProposedChange
from services.playbooks.proposals import step_from_line
from tests.support.decisions import install_clock
from tests.support.playbook_learning import (
    START,
    change_values,
    playbook_row,
    press,
    resolved_run,
    retro_values,
    rows,
    submit_opened,
    versions_of,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")


def test_a_proposed_step_is_written_like_a_line_of_the_edit_form() -> None:
    people = {"u0alex": 7, "alex meyer": 7}
    made = step_from_line("+30 min | Tell support what to say | comms | approval: incident lead", people=people)
    assert (made["timing"], made["title"], made["role"], made["approval_role"]) == (
        "+30 min", "Tell support what to say", "comms", "incident lead")  # fmt: skip
    named = step_from_line("day 2 | Meet the team | @Alex Meyer | https://wiki.example/team", people=people)
    assert (named["person_id"], named["role"], named["link"]) == (7, None, "https://wiki.example/team")
    base = {"key": "k1", "title": "Old", "details": "Keep me", "role": "buddy", "person_id": None, "timing": "week 2",
            "approval_role": None, "link": None}  # fmt: skip
    edited = step_from_line("week 2 | Meet the whole team | buddy", people=people, base=base)
    assert (edited["key"], edited["title"], edited["timing"], edited["details"], edited["role"]) == (
        "k1", "Meet the whole team", "week 2", "Keep me", "buddy")  # fmt: skip
    for bad, says in (("Meet the team", "Write the timing, then `|`, then the title"),
                      ("soon | Do it | lead", "can't read “soon” as a timing"),
                      ("now | Do it | @Nobody Here", "I don't know @Nobody Here"),
                      ("now | Do it | lead | comms", "One role per step"), ("now | " + "x" * 201, "within 200"),
                      ("", "Add at least one step")):  # fmt: skip
        with pytest.raises(ValueError, match=says):
            step_from_line(bad, people=people)


async def test_two_proposals_are_published_one_at_a_time_and_the_other_waits_in_the_draft(harness, clock, db):
    clock.set(START)
    install_clock(harness, clock)
    made = await resolved_run(db)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="ok", suggestions="Tell support\nRename the dashboards check"))
    first, second = await rows(harness, ProposedChange)
    v1 = (await versions_of(harness, await playbook_row(harness, made.playbook_ref)))[0]
    await press(harness, harness.me, LearningIds.PROPOSE, first.token)
    await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"))
    await press(harness, harness.me, LearningIds.PROPOSE, second.token)
    edit = "+60 min | Check the dashboards and the error budget | incident lead"
    await submit_opened(harness, change_values("edit", edit, step_key=v1.steps[2]["key"]))
    draft = (await playbook_row(harness, made.playbook_ref)).draft_steps
    assert [s["title"] for s in draft][2:] == ["Tell support what to say", "Check the dashboards and the error budget"]

    alex = harness.actor("U0ALEX")
    await press(harness, alex, LearningIds.ACCEPT, second.token)
    playbook = await playbook_row(harness, made.playbook_ref)
    _, v2 = await versions_of(harness, playbook)
    assert [s["title"] for s in v2.steps][2:] == ["Check the dashboards and the error budget"]
    assert v2.steps[2]["key"] == v1.steps[2]["key"]  # the same step, edited
    assert v2.changelog == "Learned from R-1: changed step “Check the dashboards and the error budget”"
    assert [s["title"] for s in playbook.draft_steps][2] == "Tell support what to say"  # still waiting

    await press(harness, alex, LearningIds.ACCEPT, first.token)
    playbook = await playbook_row(harness, made.playbook_ref)
    *_, v3 = await versions_of(harness, playbook)
    assert [s["title"] for s in v3.steps][2:] == [
        "Tell support what to say",  # +30 min, before the +60 min step
        "Check the dashboards and the error budget",
    ]
    assert v3.changelog == "Learned from R-1: added step “Tell support what to say”" and v3.learned_from_run_id
    assert playbook.draft_steps is None  # nothing left that is not published
