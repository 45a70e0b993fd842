"""The step-line grammar, the built-in templates and the diff, on their own (no database, no Slack)."""

from __future__ import annotations

import pytest

from models import PlaybookKind
from services.playbooks.diff import diff_steps
from services.playbooks.steps import StepErrors, as_text, carry_keys, parse_steps, to_steps
from services.playbooks.templates import template_for


def steps_of(text: str, previous: list[dict] | None = None, people: dict[str, int] | None = None) -> list[dict]:
    return to_steps(parse_steps(text), people=people or {}, previous=previous or [])


def test_a_full_line_reads_timing_title_role_approval_link_and_details() -> None:
    [step] = steps_of(
        "day 1 | Set up the laptop | new hire | approval: manager | https://wiki.example/laptop\n"
        "> Order it a week ahead.\n>   IT needs the *start date*."
    )
    assert step["timing"] == "day 1" and step["title"] == "Set up the laptop"
    assert step["role"] == "new hire" and step["person_id"] is None
    assert step["approval_role"] == "manager" and step["link"] == "https://wiki.example/laptop"
    assert step["details"] == "Order it a week ahead.\nIT needs the *start date*."
    assert len(step["key"]) == 8


def test_parts_after_the_title_come_in_any_order_and_a_person_is_named_by_name_or_mention() -> None:
    people = {"alex meyer": 7, "u0priya": 9}
    first, second = steps_of(
        "T-7d | Draft the notes | https://x.example/n | @Alex Meyer\nT | Ship | approval: lead | <@U0PRIYA|priya>",
        people=people,
    )
    assert (first["person_id"], first["role"], first["link"]) == (7, None, "https://x.example/n")
    assert (second["person_id"], second["approval_role"]) == (9, "lead")


def test_every_bad_line_is_named_by_its_number_and_nothing_is_returned() -> None:
    with pytest.raises(StepErrors) as caught:
        parse_steps(
            "day 1 | Fine\nsoon | Not a timing\n\nday 2 no bar\n> details\nday 3 | Link | https://a.example/x<y"
        )
    said = " ".join(caught.value.problems)
    assert "Line 2: I can't read “soon” as a timing" in said
    assert "Line 4: write the timing, then `|`" in said
    assert "Line 6:" in said and "angle bracket" in said
    assert "Line 1" not in said and "Line 5" not in said


def test_a_step_without_a_timing_is_asked_for_one() -> None:
    with pytest.raises(StepErrors) as caught:
        parse_steps("day 1 | Fine\n | No timing here")
    assert caught.value.problems == ["Line 2: Give each step a timing first, such as `day 1`, `week 2`, `T-14d`, "
                                     "`T+1d`, `T-3h`, `+15 min`, `now`."]  # fmt: skip


def test_details_before_any_step_two_roles_and_an_unknown_person_are_refused() -> None:
    with pytest.raises(StepErrors, match="Line 1: details"):
        parse_steps("> orphan\nday 1 | A")
    with pytest.raises(StepErrors, match="Line 1: one role per step"):
        parse_steps("day 1 | A | buddy | manager")
    with pytest.raises(StepErrors, match="Line 1: a step goes to a role or to a person, not both"):
        parse_steps("day 1 | A | buddy | @Alex")
    with pytest.raises(StepErrors, match="Line 1: I don't know @nobody"):
        steps_of("day 1 | A | @nobody")
    with pytest.raises(StepErrors, match="at least one step"):
        parse_steps("\n  \n")


@pytest.mark.parametrize("kind", list(PlaybookKind))
def test_every_built_in_template_parses_and_writes_back_as_typed(kind: PlaybookKind) -> None:
    steps = steps_of(template_for(kind))
    assert steps and as_text(steps, {}) == template_for(kind)


def test_an_edit_keeps_the_keys_of_moved_renamed_and_untouched_steps() -> None:
    before = steps_of(
        "day 1 | Welcome | buddy\nday 2 | Laptop | it\nday 3 | Pair | buddy\nweek 2 | One-to-one | manager"
    )
    keys = [s["key"] for s in before]
    after = steps_of(
        "day 1 | Laptop | it\nday 1 | Welcome | buddy\nday 3 | Pair on a first change | buddy\nday 4 | New step | x",
        previous=before,
    )
    assert [s["key"] for s in after[:3]] == [keys[1], keys[0], keys[2]]
    assert after[3]["key"] not in keys


def test_the_diff_names_added_removed_moved_and_edited_steps_and_which_fields_changed() -> None:
    older = steps_of(
        "now | Declare | lead\n+15 min | Roll back | lead\n+30 min | Status | comms\n+1h | Timeline | lead"
    )
    newer = carry_keys(
        [dict(older[2]), {**older[1], "timing": "+10 min", "approval_role": "manager"}, dict(older[0]),
         {"key": "", "title": "Tell customers", "details": "", "role": "support", "person_id": None,
          "timing": "+2h", "approval_role": None, "link": None}],
        older,
    )  # fmt: skip
    diff = diff_steps(older, newer)
    assert [(i, s["title"]) for i, s in diff.added] == [(4, "Tell customers")]
    assert [(i, s["title"]) for i, s in diff.removed] == [(4, "Timeline")]
    assert sorted((m.step["title"], m.was, m.now) for m in diff.moved) == [("Declare", 1, 3), ("Status", 3, 1)]
    assert [(e.after["title"], e.fields) for e in diff.edited] == [("Roll back", ("timing", "approval"))]
    assert diff_steps(older, older).unchanged
