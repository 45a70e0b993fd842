"""What a new team tripped over in the library (issue 16's trial, findings 5, 14, 15 and 16): timings that don't
fit the playbook's kind, the handle people know, a `|` in a title, Slack's own link syntax, `day 99999` and the
template's placeholder link. Through the real app on SQLite and PostgreSQL, or the pure grammar."""

from __future__ import annotations

import pytest

from handlers.playbooks.learning.ids import LearningIds
from handlers.playbooks.library.ids import LibraryIds
from handlers.playbooks.messages.reviews import draft_dm
from models import Person, Playbook, PlaybookKind, ProposedChange
from services.playbooks.diff import diff_steps
from services.playbooks.steps import StepErrors, as_text, parse_steps, steps_from
from services.playbooks.templates import template_for
from tests.support.outcomes import all_text
from tests.support.playbook_learning import (
    change_values,
    playbook_row,
    press,
    resolved_run,
    retro_values,
    rows,
    submit_opened,
)
from tests.support.playbooks import START, STEPS, Reviews, create, dm_texts, edit, install_clock, playbooks, say, shown

pytest_plugins = ["tests.support.outbox_fixtures"]


async def test_an_onboarding_playbook_refuses_launch_and_incident_timings_naming_the_forms_it_takes(harness) -> None:
    steps = "day 1 | Welcome | buddy\nT-14d | Order the laptop | it\n+15 min | Say hello | buddy"
    answer = await create(harness, name="Onboarding", kind="onboarding", steps=steps)
    said = answer["errors"][LibraryIds.STEPS.value]
    assert "Line 2: “T-14d” doesn't fit this kind of playbook. Onboarding steps count working days" in said
    assert "`day 1`, `day 3`, `week 2`" in said and "Line 3: “+15 min” doesn't fit" in said
    assert await playbooks(harness) == []

    await create(harness, name="Onboarding", kind="onboarding", steps="day 1 | Welcome | buddy\nweek 2 | Check in")
    [playbook] = await playbooks(harness)
    answer = await edit(harness, "PB-1", "day 1 | Welcome | buddy\nT+1d | Check in")
    assert "“T+1d” doesn't fit" in answer["errors"][LibraryIds.STEPS.value]


@pytest.mark.parametrize(
    ("kind", "fits", "refused"),
    [
        ("launch", "T-14d | A\nT-3h | B\nT | C\nT+1d | D", "+15 min | E"),
        ("incident", "now | A\n+15 min | B\n+1h | C", "day 2 | D"),
        ("incident", "now | A", "T-1d | D"),
        ("other", "day 1 | A\nT-3h | B\n+5 min | C", None),
    ],
)
async def test_each_kind_takes_its_own_timings(harness, kind: str, fits: str, refused: str | None) -> None:
    if refused:
        answer = await create(harness, kind=kind, steps=f"{fits}\n{refused}")
        assert "doesn't fit this kind of playbook" in answer["errors"][LibraryIds.STEPS.value]
    answer = await create(harness, kind=kind, steps=fits)
    assert answer["response_action"] == "update", answer


async def test_a_proposed_step_must_fit_the_playbooks_kind_too(harness, db) -> None:
    made = await resolved_run(db, kind=PlaybookKind.ONBOARDING)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="ok", suggestions="Order the laptop earlier"))
    [change] = await rows(harness, ProposedChange)
    await press(harness, harness.me, LearningIds.PROPOSE, change.token)
    answer = await submit_opened(harness, change_values("add", "T-14d | Order the laptop | it"))
    assert answer["errors"]["change_line"].startswith("“T-14d” doesn't fit this kind of playbook. Onboarding")
    assert (await playbook_row(harness, made.playbook_ref)).draft_steps is None


async def test_a_person_is_named_by_their_handle_as_well_as_by_their_slack_name(harness) -> None:
    await harness.slack.command(harness.actor("U0ALEX"), "/playbook", "list")  # alex is known to the workspace
    steps = "now | Declare | @alex\n+5 min | Roll back | @alex.meyer\n+10 min | Tell | @Alex Meyer"
    answer = await create(harness, steps=steps)
    assert answer["response_action"] == "update", answer
    text = shown(await say(harness, "PB-1"))
    assert text.count("<@U0ALEX>") == 3


def test_a_bar_in_a_title_is_written_as_an_escaped_bar_and_slack_links_read_as_links() -> None:
    typed = r"day 1 | Read A \| B | <https://wiki.example/ab|the page> | buddy"
    [step] = steps_from(typed, people={}, previous=[])
    assert (step["title"], step["link"], step["role"]) == ("Read A | B", "https://wiki.example/ab", "buddy")
    written = as_text([step], {})
    assert written == r"day 1 | Read A \| B | buddy | https://wiki.example/ab"
    assert steps_from(written, people={}, previous=[])[0]["title"] == "Read A | B"
    with pytest.raises(StepErrors) as refused:
        parse_steps("day 1 | A | B | C")
    assert "write a `|` inside a title as `\\|`" in str(refused.value)


def test_a_huge_number_is_too_far_and_the_onboarding_template_has_no_placeholder_link() -> None:
    with pytest.raises(StepErrors) as refused:
        parse_steps("day 99999 | Far away\nT+123456789012d | Further")
    said = str(refused.value)
    assert "Line 1: “day 99999” is too far from the start" in said and "Line 2: “T+123456789012d” is too far" in said
    assert "I can't read" not in said
    assert "example.com" not in template_for(PlaybookKind.ONBOARDING)


async def test_help_names_every_word_of_the_three_parts_and_the_step_buttons(harness) -> None:
    helped = shown(await say(harness, "help"))
    for word in ("/playbook retro R-4", "/playbook resolve R-4", "*Done*", "*Skip…*", "*Blocked…*", "/experiment"):
        assert word in helped


async def test_a_diff_reads_in_the_order_named_and_edited_steps_carry_their_number(harness) -> None:
    await create(harness)
    await edit(harness, "PB-1", STEPS.replace("+30 min | Post", "+45 min | Post"), changelog="Later update")
    forward = shown(await say(harness, "PB-1 diff v1 v2"))
    assert "PB-1 v1 → v2: 0 added, 0 removed, 0 moved, 1 edited" in forward
    assert "✏️ 3. `+45 min` Post a status update: timing: +30 min → +45 min" in forward
    back = shown(await say(harness, "PB-1 diff v2 v1"))
    assert "PB-1 v2 → v1: 0 added, 0 removed, 0 moved, 1 edited" in back
    assert "✏️ 3. `+30 min` Post a status update: timing: +45 min → +30 min" in back
    assert "Read from v2 to v1, as you named them" in back


async def test_anyone_sees_and_diffs_a_pending_draft_and_an_unpublished_playbook_claims_no_review(harness) -> None:
    await create(harness)
    assert "PB-1 has no pending draft" in shown(await say(harness, "PB-1 draft"))
    await harness.slack.command(harness.actor("U0ALEX"), "/playbook", "list")
    await edit(harness, "PB-1", STEPS + "\n+1h | Tell customers | comms", actor=harness.actor("U0ALEX"))
    draft = shown(await say(harness, "PB-1 draft"))
    assert "Not published: saved by <@U0ALEX>" in draft and "it would follow v1" in draft
    assert "*4.* `+1h` *Tell customers* · _comms_" in draft
    assert "`/playbook PB-1 draft` shows it" in shown(await say(harness, "PB-1"))
    diff = shown(await say(harness, "PB-1 diff draft"))
    assert "PB-1 v1 → draft: 1 added" in diff and "➕ 4. `+1h` Tell customers · _comms_" in diff
    assert "PB-1 v1 → draft" in shown(await say(harness, "PB-1 diff v1 draft"))

    await create(harness, name="Onboarding", kind="onboarding", steps=None, publish="draft")
    listed = shown(await say(harness, "list"))
    unpublished = listed.split("*PB-2*")[1]
    assert "not published yet" in unpublished and "last reviewed" not in unpublished
    assert "`/playbook PB-2 draft` shows its draft" in shown(await say(harness, "PB-2"))


@pytest.mark.usefixtures("around_the_clock")
async def test_the_owner_is_told_once_when_someone_else_starts_a_draft(harness, clock, clients, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    reviews = Reviews(harness, clock, clients, sender)
    await create(harness)
    await edit(harness, "PB-1", STEPS + "\n+1h | Mine | comms")  # the owner's own draft tells no one
    await reviews.deliver()
    assert dm_texts(harness, "U0LOCAL") == []

    alex = harness.actor("U0ALEX")
    await harness.slack.command(alex, "/playbook", "list")
    saved = await edit(harness, "PB-1", STEPS + "\n+1h | Tell customers | comms", actor=alex)
    assert "<@U0LOCAL> is told it is waiting" in all_text(saved["view"]["blocks"])
    clock.advance(60)
    await edit(harness, "PB-1", STEPS + "\n+2h | Tell customers | comms", actor=alex)  # the same draft, again
    await reviews.deliver()
    [told] = harness.standin.messages("U0LOCAL")
    assert told["text"] == "A draft of PB-1 is waiting"
    assert "<@U0ALEX> saved a draft of *PB-1* Checkout incident. `/playbook PB-1 draft` shows it" in all_text(
        told["blocks"]
    )


def test_a_step_whose_title_and_timing_both_changed_is_a_new_step_while_one_change_keeps_it() -> None:
    older = steps_from("now | Declare | lead\n+15 min | Roll back | lead", people={}, previous=[])
    both = steps_from("now | Declare | lead\n+20 min | Revert the deploy | lead", people={}, previous=older)
    diff = diff_steps(older, both)
    assert [(i, s["title"]) for i, s in diff.removed] == [(2, "Roll back")]
    assert [(i, s["title"]) for i, s in diff.added] == [(2, "Revert the deploy")]
    one = steps_from("now | Declare | lead\n+15 min | Revert the deploy | lead", people={}, previous=older)
    assert [(e.position, e.fields) for e in diff_steps(older, one).edited] == [(2, ("title",))]


def test_the_owners_draft_note_shows_a_hostile_name_as_text() -> None:
    playbook = Playbook(number=1, name="<!channel> *x* <https://evil.example|y>")
    playbook.owner = Person(slack_user_id="U0LOCAL")
    note = draft_dm(playbook, Person(slack_user_id="U0ALEX"))
    said = note["blocks"][0]["text"]["text"]
    assert "<!channel>" not in said and "&lt;!channel&gt;" in said and "<https://evil" not in said
    assert note["channel"] == "U0LOCAL" and said.startswith("<@U0ALEX> saved a draft of *PB-1*")
