"""The playbook library through the real app: /playbook new from a template or typed steps, list, show a version,
edit into a draft or a new version, the diff, who may publish, and another workspace's PB-1 (both databases)."""

from __future__ import annotations

from handlers.playbooks.library.ids import LibraryIds
from models import PlaybookKind
from services.playbooks.templates import template_for
from tests.support.outcomes import opened_view
from tests.support.playbooks import (
    STEPS,
    create,
    edit,
    edit_values,
    opened_steps,
    playbooks,
    say,
    shown,
    submit,
    versions_of,
)


async def test_new_publishes_v1_with_the_typed_steps_and_shows_them_step_by_step(harness) -> None:
    done = await create(harness)
    assert done["response_action"] == "update"
    assert "*PB-1* Checkout incident: 3 steps, v1 is published" in done["view"]["blocks"][0]["text"]["text"]

    [playbook] = await playbooks(harness)
    assert (playbook.kind, playbook.review_days, playbook.current_version) == (PlaybookKind.INCIDENT, 90, 1)
    [v1] = await versions_of(harness, playbook.id)
    assert v1.changelog == "first version"
    titles = ["Declare the incident", "Roll back the last deploy", "Post a status update"]
    assert [s["title"] for s in v1.steps] == titles

    text = shown(await say(harness, "PB-1"))
    assert "*2.* `+15 min` *Roll back the last deploy* · _incident lead_ · needs approval by _eng manager_" in text
    assert "<https://wiki.example/rollback|open it>" in text and ">Check the deploy log first." in text
    assert "owner <@U0LOCAL>" in text and "v1" in text and "first version" in text


async def test_an_empty_steps_field_starts_from_the_kinds_template_and_a_draft_publishes_nothing(harness) -> None:
    await create(harness, name="Onboarding", kind="onboarding", steps=None, publish="draft")
    [playbook] = await playbooks(harness)
    assert playbook.current_version == 0 and await versions_of(harness, playbook.id) == []
    assert [s["timing"] for s in playbook.draft_steps][:2] == ["day 1", "day 1"]

    assert "no published version yet" in shown(await say(harness, "PB-1"))
    assert "PB-1* Onboarding · no version yet · draft pending" in shown(await say(harness, "list"))


async def test_new_with_a_kind_opens_the_form_filled_with_that_template(harness) -> None:
    await say(harness, "new launch")
    assert opened_steps(harness) == template_for(PlaybookKind.LAUNCH)
    name = next(b for b in opened_view(harness)["blocks"] if b["block_id"] == LibraryIds.NAME.value)
    assert name["element"]["initial_value"] == "Launch"
    assert "Templates are" in (await say(harness, "new picnic"))["text"]


async def test_bad_lines_are_refused_on_the_steps_field_by_number_and_nothing_is_stored(harness) -> None:
    answer = await create(harness, steps="now | Declare\nsoon | Roll back\n+1h | Tell | @nobody", review="3")
    errors = answer["errors"]
    assert "Line 2: I can't read “soon” as a timing" in errors[LibraryIds.STEPS.value]
    assert "Line 3: I don't know @nobody" in errors[LibraryIds.STEPS.value]
    assert "from 7 to 730" in errors[LibraryIds.REVIEW.value]
    assert await playbooks(harness) == []


async def test_the_list_suggests_a_ref_that_exists_and_a_diff_shows_an_added_steps_approval(harness) -> None:
    await create(harness)
    listed = shown(await say(harness, "list"))
    assert "`/playbook PB-1` shows one" in listed and "PB-2" not in listed

    added = "+45 min | Tell the customers | comms | approval: support lead"
    await edit(harness, "PB-1", f"{STEPS}\n{added}", changelog="Tell the customers")
    diff = shown(await say(harness, "PB-1 diff v1 v2"))
    assert "➕ 4. `+45 min` Tell the customers · _comms_ · needs approval by _support lead_" in diff


async def test_an_edit_saves_a_draft_then_publishes_v2_and_the_diff_reads_what_changed(harness) -> None:
    await create(harness)
    await say(harness, "edit PB-1")
    assert opened_steps(harness) == STEPS  # the current steps, written back as typed

    changed = STEPS.replace("+15 min | Roll back", "+10 min | Roll back").replace(
        "+30 min | Post a status update | comms", "+30 min | Post a status update | @Alex Meyer"
    )
    changed = "+5 min | Page the on-call engineer | incident lead\n" + changed.replace(
        "now | Declare the incident | incident lead\n", ""
    )
    await harness.slack.command(harness.actor("U0ALEX"), "/playbook", "list")  # alex is known to the workspace
    draft = await edit(harness, "PB-1", changed)
    assert "the draft is saved" in draft["view"]["blocks"][0]["text"]["text"]
    [playbook] = await playbooks(harness)
    assert playbook.current_version == 1 and playbook.draft_steps is not None

    await say(harness, "edit PB-1")
    assert opened_steps(harness).startswith("+5 min | Page the on-call engineer")  # the draft, not v1
    published = await edit(harness, "PB-1", opened_steps(harness), changelog="Page on-call first; faster rollback")
    said = published["view"]["blocks"][0]["text"]["text"]
    assert "*PB-1* v2 is published: Page on-call first; faster rollback" in said

    diff = shown(await say(harness, "PB-1 diff v1 v2"))
    assert "➕ 1. `+5 min` Page the on-call engineer · _incident lead_" in diff
    assert "➖ 1. `now` Declare the incident" in diff
    assert "✏️ 2. `+10 min` Roll back the last deploy: timing: +15 min → +10 min" in diff
    assert "✏️ 3. `+30 min` Post a status update: who: _comms_ → <@U0ALEX>" in diff
    assert "Moved" not in diff
    page, roll_back, its_details, status = opened_steps(harness).splitlines()
    await edit(harness, "PB-1", "\n".join([roll_back, its_details, page, status]), changelog="Roll back first")
    moved = shown(await say(harness, "PB-1 diff v2 v3"))
    assert "PB-1 v2 → v3: 0 added, 0 removed, 1 moved, 0 edited" in moved
    assert "*Moved*\n↕️ `+5 min` Page the on-call engineer: step 1 → step 2" in moved
    v1_again = shown(await say(harness, "PB-1 v1"))
    assert "An older version: the current one is v3." in v1_again and "Declare the incident" in v1_again


async def test_only_the_owner_or_an_admin_publishes_and_anyone_may_save_a_draft(harness) -> None:
    await create(harness)
    alex = harness.actor("U0ALEX")
    await say(harness, "edit PB-1", alex)
    view = opened_view(harness, actor=alex)
    assert LibraryIds.CHANGELOG.value not in [b.get("block_id") for b in view["blocks"]]
    forged = await submit(harness, edit_values(STEPS + "\n+2h | Timeline | lead", changelog="mine"), alex)
    assert "Only Dana Scully (its owner), or a workspace admin, can publish" in forged["errors"][LibraryIds.STEPS.value]
    [playbook] = await playbooks(harness)
    assert playbook.current_version == 1 and playbook.draft_steps is None

    draft = await edit(harness, "PB-1", STEPS + "\n+2h | Timeline | lead", actor=alex)
    assert "the draft is saved" in draft["view"]["blocks"][0]["text"]["text"]
    same = await edit(harness, "PB-1", STEPS, changelog="nothing really")
    assert "v1's exactly" in same["errors"][LibraryIds.STEPS.value]


async def test_another_workspaces_pb_1_is_not_found_anywhere(harness) -> None:
    await create(harness)
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    for line in ("PB-1", "PB-1 v1", "PB-1 diff v1 v1", "edit PB-1"):
        assert "I can't find PB-1 in this workspace." in (await say(harness, line, stranger))["text"], line
    assert "No playbooks yet" in shown(await say(harness, "list", stranger))
    assert len(harness.standin.calls_to("views.open")) == 1  # only the creator's form: no edit form opened
    assert "Checkout incident" in shown(await say(harness, "list"))


async def test_help_and_unknown_words_answer_with_the_grammar_and_leave_run_words_to_their_part(harness) -> None:
    helped = shown(await say(harness, "help"))  # all three parts: the library, running and learning
    assert "timing | title | role or @person" in helped
    for said in ("`/playbook run PB-2` opens the form", "`/playbook resolve R-4`", "`/playbook retro R-4` opens it",
                 "resolve R-4 | retro R-4 | help", "`/experiment new`"):  # fmt: skip
        assert said in helped, said
    assert "I don't know `frobnicate`" in shown(await say(harness, "frobnicate"))
    assert "I can't find PB-9" in (await say(harness, "PB-9 v2"))["text"]
    response = await harness.slack.command(harness.me, "/playbook", "run PB-1")
    assert "timing | title" not in response.text


async def test_a_workspace_admin_publishes_someone_elses_playbook_and_a_member_cannot(harness) -> None:
    await create(harness, owner="U0ALEX")
    refused = await edit(harness, "PB-1", STEPS + "\n+2h | Timeline | lead", "mine", actor=harness.actor("U0PRIYA"))
    assert "Only Alex Meyer (its owner), or a workspace admin, can publish" in refused["errors"][LibraryIds.STEPS.value]
    published = await edit(harness, "PB-1", STEPS + "\n+2h | Timeline | lead", changelog="add the timeline")
    assert "*PB-1* v2 is published: add the timeline" in published["view"]["blocks"][0]["text"]["text"]
