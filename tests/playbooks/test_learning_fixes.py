"""What a new team found in the learning loop, fixed: an experiment's result ask is not sent once its result is in;
publishing from `/playbook edit` accounts for the proposals its draft carries (the form says so first); a removed
step is named by its title; anyone reads a saved retrospective; an experiment needs no metric, and the list says
which ones have ended; the retrospective form says what it needs. Run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import ChangeStatus, Experiment, ProposedChange, Retro
from tests.support.decisions import private_answers
from tests.support.outcomes import all_text, define, opened_view, sent_view
from tests.support.playbook_learning import (
    buttons_in,
    change_values,
    dms,
    experiment_values,
    playbook_row,
    press,
    resolved_run,
    result_values,
    retro_values,
    rows,
    submit_opened,
    versions_of,
)
from tests.support.playbooks import edit_values, opened_steps, say

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")
END = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)  # Monday 14 December, 09:00 in New York


async def experiment_command(harness, text: str, actor=None) -> dict:
    response = await harness.slack.command(actor or harness.me, "/experiment", text)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def proposed(harness, made, kind: str, line: str = "", step_key: str | None = None) -> dict:
    """The lead writes the retrospective with one suggestion and turns it into a change; the form's answer."""
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm", suggestions="Change the checklist"))
    [change] = await rows(harness, ProposedChange)
    await press(harness, harness.me, LearningIds.PROPOSE, change.token)
    return await submit_opened(harness, change_values(kind, line, step_key=step_key))


async def test_a_result_recorded_before_the_ask_goes_out_cancels_the_ask(harness, learning, db) -> None:
    await define(harness, lagging_name="Activation rate")
    await experiment_command(harness, "new")
    await submit_opened(harness, experiment_values())
    learning.clock.set(END)
    assert await learning.job() == 1  # the ask is queued (it could be held for the day's budget)
    [experiment] = await rows(harness, Experiment)
    await press(harness, harness.me, LearningIds.RESULT, experiment.token)  # from `/experiment X-1`'s card
    recorded = await submit_opened(harness, result_values("validated", "Activation rose by six points."))
    assert recorded["response_action"] == "update"
    await learning.deliver()
    assert [m["text"] for m in dms(harness, "U0LOCAL") if "end date" in m["text"]] == []  # not asked for it again


async def test_the_edit_form_names_pending_proposals_and_publishing_accepts_them(harness, learning, db) -> None:
    made = await resolved_run(db)  # PB-1 owned by Alex, R-1 led by you
    await proposed(harness, made, "add", "+30 min | Tell support what to say | comms")
    await learning.deliver()  # the owner has the DM with its buttons
    alex = harness.actor("U0ALEX")
    await say(harness, "edit PB-1", alex)
    form = all_text(opened_view(harness)["blocks"])
    assert "This draft holds proposed changes nobody has accepted yet" in form
    assert "added step “Tell support what to say” (learned from R-1)" in form
    assert "Publishing accepts those still in the steps" in form
    steps = opened_steps(harness)
    answer = await submit_opened(harness, edit_values(steps, changelog="Tidy the checklist"), actor=alex)
    assert answer["response_action"] == "update", answer

    playbook = await playbook_row(harness, made.playbook_ref)
    _, v2 = await versions_of(harness, playbook)
    assert v2.changelog == "Tidy the checklist (learned from R-1: added step “Tell support what to say”)"
    assert v2.learned_from_run_id == made.run_id
    assert "Tell support what to say" in [s["title"] for s in v2.steps]
    [change] = await rows(harness, ProposedChange)
    assert (change.status, change.version_id) == (ChangeStatus.ACCEPTED, v2.id)
    await learning.deliver()
    [proposal] = [m for m in dms(harness, "U0ALEX") if m["text"].startswith("A proposed change")]
    accept = next(b for b in buttons_in(proposal) if b["action_id"] == LearningIds.ACCEPT.value)
    await press(harness, alex, LearningIds.ACCEPT, accept["value"], message=proposal)
    assert private_answers(harness)[-1] == "This change is already accepted; nothing was changed."
    assert len(await versions_of(harness, playbook)) == 2  # no v3 out of the stale button


async def test_a_proposal_taken_out_in_the_edit_stays_waiting(harness, learning, db) -> None:
    made = await resolved_run(db)
    await proposed(harness, made, "add", "+30 min | Tell support what to say | comms")
    alex = harness.actor("U0ALEX")
    await say(harness, "edit PB-1", alex)
    kept = "\n".join(line for line in opened_steps(harness).splitlines() if "Tell support" not in line)
    kept += "\n+2h | Write the timeline | incident lead"
    await submit_opened(harness, edit_values(kept, changelog="Add the timeline"), actor=alex)
    playbook = await playbook_row(harness, made.playbook_ref)
    _, v2 = await versions_of(harness, playbook)
    assert (v2.changelog, v2.learned_from_run_id) == ("Add the timeline", None)
    [change] = await rows(harness, ProposedChange)
    assert change.status is ChangeStatus.PROPOSED  # the owner may still accept or decline it


async def test_removing_a_step_names_it_by_its_title(harness, learning, db) -> None:
    made = await resolved_run(db)
    v1 = (await versions_of(harness, await playbook_row(harness, made.playbook_ref)))[0]
    answer = await proposed(harness, made, "remove", step_key=v1.steps[2]["key"])
    said = all_text(answer["view"]["blocks"])
    assert "Proposed: removed step “Check the dashboards again”" in said and v1.steps[2]["key"] not in said
    await learning.deliver()
    [proposal] = [m for m in dms(harness, "U0ALEX") if m["text"].startswith("A proposed change")]
    owner_reads = all_text(proposal["blocks"])
    assert "removed step “Check the dashboards again”" in owner_reads and v1.steps[2]["key"] not in owner_reads
    accept = next(b for b in buttons_in(proposal) if b["action_id"] == LearningIds.ACCEPT.value)
    await press(harness, harness.actor("U0ALEX"), LearningIds.ACCEPT, accept["value"], message=proposal)
    _, v2 = await versions_of(harness, await playbook_row(harness, made.playbook_ref))
    assert v2.changelog == "Learned from R-1: removed step “Check the dashboards again”"


async def test_anyone_reads_a_saved_retrospective_and_its_writer_may_still_edit_it(harness, learning, db) -> None:
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Stone", tz="Europe/London")
    sam = harness.actor("U0SAM")
    made = await resolved_run(db)  # led by you
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(what_happened="Checkout failed after the deploy.",
                                              impact="About 300 orders.", suggestions="Page two people",
                                              experiments="A canary halves failed deploys by 2027-01-29"))  # fmt: skip
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(sam, "/playbook", f"retro {made.run_ref}")
    said = response.json()["text"]
    assert said.startswith("*The postmortem of R-1* Checkout down · PB-1 Incident response, written by <@U0LOCAL>")
    assert "*What happened*\nCheckout failed after the deploy." in said and "*Impact*\nAbout 300 orders." in said
    assert "• Page two people _(suggested)_" in said and "*X-1* A canary halves failed deploys" in said
    await press(harness, sam, LearningIds.OPEN_RETRO, str(made.run_id))  # the card's button reads it too
    assert "Checkout failed after the deploy." in private_answers(harness)[-1]
    assert len(harness.standin.calls_to("views.open")) == opened  # no form for Sam

    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")  # the lead may still edit
    form = sent_view(harness.standin.calls_to("views.open")[-1])
    assert "Checkout failed after the deploy." in str(form["blocks"])
    [retro] = await rows(harness, Retro)
    assert retro.written_by_id is not None


async def test_an_experiment_needs_no_metric_and_the_list_says_which_have_ended(harness, learning, db) -> None:
    await experiment_command(harness, "new")
    form = sent_view(harness.standin.calls_to("views.open")[-1])
    metric = next(b for b in form["blocks"] if b.get("block_id") == LearningIds.METRIC.value)
    assert metric["optional"] is True and "leave it empty if none fits yet" in metric["hint"]["text"]
    answer = await submit_opened(harness, experiment_values(metric=None, effect=""))
    assert answer["response_action"] == "update", answer
    await define(harness, lagging_name="Activation rate")
    await experiment_command(harness, "new")
    refused = await submit_opened(harness, experiment_values(effect=""))
    assert set(refused["errors"]) == {"experiment_effect"}  # how much, once a metric is named

    assert "ended, result awaited" not in all_text((await experiment_command(harness, "list"))["blocks"])
    learning.clock.set(END)
    listed = all_text((await experiment_command(harness, "list"))["blocks"])
    assert "⏳ *X-1* A shorter sign-up form lifts activation" in listed and "*ended, result awaited*" in listed


async def test_the_retrospective_form_says_what_it_needs(harness, learning, db) -> None:
    made = await resolved_run(db)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    form = all_text(sent_view(harness.standin.calls_to("views.open")[-1])["blocks"])
    assert "Write at least one of the sections below" in form and "starting with its owner" in form
    empty = await submit_opened(harness, retro_values(what_happened=""))
    assert empty["errors"]["retro_what_happened"] == "Write at least one of the sections (any one will do)."
    ownerless = await submit_opened(harness, retro_values(went_well="ok", actions="update the runbook by friday"))
    said = ownerless["errors"]["retro_actions"]
    assert said.startswith("Line 1: ") and "/action" not in said and "`@alex send the pricing deck" in said
