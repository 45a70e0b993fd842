"""The second trial's findings about learning from runs: a proposal never carries a colleague's unreviewed draft
into a "learned from" version, decided proposals and written retrospectives withdraw their queued DMs, a draft
that changes nothing is refused, dropped details are called removed, the owner's Home shows someone else's draft,
and the read-only retrospective lists its action items."""

from __future__ import annotations

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import ChangeStatus, ProposedChange
from tests.support.outcomes import all_text, opened_view, sent_view
from tests.support.playbook_learning import (
    change_values,
    dms,
    playbook_row,
    press,
    resolved_run,
    retro_values,
    rows,
    submit_opened,
    versions_of,
)
from tests.support.playbooks import edit, edit_values, opened_steps, say

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")


async def _suggest(harness, made, suggestion: str = "Tell support earlier") -> ProposedChange:
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm", suggestions=suggestion))
    [change] = await rows(harness, ProposedChange)
    return change


def _step_menu(harness) -> list[str]:
    view = sent_view(harness.standin.calls_to("views.open")[-1])
    block = next(b for b in view["blocks"] if b.get("block_id") == LearningIds.STEP.value)
    return [o["text"]["text"] for o in block["element"]["options"]]


async def _home(harness, user: str) -> str:
    await harness.slack.event(harness.actor(user), {"type": "app_home_opened", "user": user, "tab": "home"})
    return all_text(harness.standin.home(user)["blocks"])


async def test_a_proposal_changes_the_published_version_not_a_colleagues_draft(harness, learning, db) -> None:
    made = await resolved_run(db)  # PB-1 v1: 3 steps, owned by Alex; R-1 led by you
    priya, alex = harness.actor("U0PRIYA"), harness.actor("U0ALEX")
    await edit(harness, "PB-1", "+0 | Open the incident channel | incident lead", actor=priya)  # drops 2 steps
    change = await _suggest(harness, made)
    await press(harness, harness.me, LearningIds.PROPOSE, change.token)
    menu = _step_menu(harness)
    assert len(menu) == 3 and any("Check the dashboards again" in o for o in menu)  # v1's steps, not the draft's
    answer = await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"))
    assert answer["response_action"] == "update", answer

    playbook = await playbook_row(harness, made.playbook_ref)
    assert playbook.draft_by_id is not None
    draft_text = all_text((await say(harness, "PB-1 draft"))["blocks"])
    assert "saved by <@U0PRIYA>" in draft_text  # the proposer did not take the draft over

    await say(harness, "edit PB-1", alex)
    form = all_text(opened_view(harness)["blocks"])
    assert "The draft saved by <@U0PRIYA> changes v1: 1 added, 2 removed." in form
    assert "Check the dashboards again" in form  # what the draft removes is named, not only the proposal
    steps = opened_steps(harness)
    answer = await submit_opened(harness, edit_values(steps, changelog="Priya's trim"), actor=alex)
    assert answer["response_action"] == "update", answer
    _, v2 = await versions_of(harness, playbook)
    assert v2.changelog == "Priya's trim (learned from R-1: added step “Tell support what to say”)"
    assert v2.learned_from_run_id is None  # the version holds more than what R-1 taught


async def test_accept_publishes_v1_with_the_change_only(harness, learning, db) -> None:
    made = await resolved_run(db)
    await edit(harness, "PB-1", "+0 | Open the incident channel | incident lead", actor=harness.actor("U0PRIYA"))
    change = await _suggest(harness, made)
    await press(harness, harness.me, LearningIds.PROPOSE, change.token)
    await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"))
    await press(harness, harness.actor("U0ALEX"), LearningIds.ACCEPT, change.token)
    playbook = await playbook_row(harness, made.playbook_ref)
    _, v2 = await versions_of(harness, playbook)
    assert len(v2.steps) == 4 and v2.learned_from_run_id == made.run_id
    assert playbook.draft_steps is not None  # Priya's draft still waits for review, as hers
    assert "saved by <@U0PRIYA>" in all_text((await say(harness, "PB-1 draft"))["blocks"])


@pytest.mark.parametrize("decide", ["accept", "decline", "publish"])
async def test_a_decided_proposal_withdraws_its_queued_dm(harness, learning, db, decide: str) -> None:
    made = await resolved_run(db, lead="U0PRIYA")  # the owner's DM is queued, not answering them
    priya, alex = harness.actor("U0PRIYA"), harness.actor("U0ALEX")
    await harness.slack.command(priya, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm", suggestions="Tell support earlier"), actor=priya)
    [change] = await rows(harness, ProposedChange)
    await press(harness, priya, LearningIds.PROPOSE, change.token)
    await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"), actor=priya)
    if decide == "publish":
        await say(harness, "edit PB-1", alex)
        await submit_opened(harness, edit_values(opened_steps(harness), changelog="Support first"), actor=alex)
    else:
        await press(harness, alex, LearningIds.ACCEPT if decide == "accept" else LearningIds.DECLINE, change.token)
    [change] = await rows(harness, ProposedChange)
    assert change.status is not ChangeStatus.PROPOSED
    await learning.deliver()
    assert [m for m in dms(harness, "U0ALEX") if m["text"].startswith("A proposed change")] == []


async def test_a_written_retrospective_withdraws_the_leads_request(harness, learning, db) -> None:
    made = await resolved_run(db)
    assert await learning.job() == 1  # the request is queued (it could be held for the day's budget)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm"))
    await learning.deliver()
    assert [m["text"] for m in dms(harness, "U0LOCAL") if "is resolved: time for" in m["text"]] == []


async def test_a_draft_that_changes_nothing_is_refused_and_nobody_is_told(harness, learning, db) -> None:
    await resolved_run(db)
    priya = harness.actor("U0PRIYA")
    await say(harness, "edit PB-1", priya)
    answer = await submit_opened(harness, edit_values(opened_steps(harness)), actor=priya)
    assert answer["errors"] == {"playbook_steps": "These steps are v1's exactly; change something to save a draft."}
    assert (await playbook_row(harness, "PB-1")).draft_steps is None
    await edit(harness, "PB-1", "+0 | Open the incident channel | incident lead", actor=priya)
    await say(harness, "edit PB-1", priya)
    answer = await submit_opened(harness, edit_values(opened_steps(harness)), actor=priya)
    assert answer["errors"] == {"playbook_steps": "These steps are the saved draft's exactly; nothing was saved."}
    await learning.deliver()
    assert len([m for m in dms(harness, "U0ALEX") if "draft" in m["text"]]) == 1  # told once, for the real one


async def test_dropped_details_are_called_removed_and_the_draft_is_on_the_owners_home(harness, learning, db) -> None:
    await resolved_run(db)
    alex, priya = harness.actor("U0ALEX"), harness.actor("U0PRIYA")
    steps = "+0 | Open the incident channel | incident lead\n> Name it after the date\n+15 min | Post it | comms"
    await edit(harness, "PB-1", steps, changelog="Details", actor=alex)
    await edit(
        harness, "PB-1", "+0 | Open the incident channel | incident lead\n+15 min | Post it | comms", actor=priya
    )
    shown = all_text((await say(harness, "PB-1 diff draft"))["blocks"])
    assert "Open the incident channel: details removed" in shown
    home = await _home(harness, "U0ALEX")
    assert "*PB-1* Incident response: a draft by <@U0PRIYA> waits for you" in home
    assert "a draft by" not in await _home(harness, "U0PRIYA")


async def test_the_read_only_retrospective_lists_its_action_items(harness, learning, db) -> None:
    made = await resolved_run(db)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm", actions="@me write the runbook by 2026-12-04"))
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Stone", tz="Europe/London")
    response = await harness.slack.command(harness.actor("U0SAM"), "/playbook", f"retro {made.run_ref}")
    said = response.json().get("text", "")
    assert "*Action items* *A-1* write the runbook _(open)_" in said
