"""Hostile text through playbooks, as test_hostile_text.py does for the other features: a playbook's name, steps
and changelog; a run's names, titles and reasons; a retrospective's sections, suggestions, action and experiment
lines, a proposed step, the owner's DM and the published changelog; experiments' hypotheses, effects and learnings
on the card, the list and the result form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.playbooks.library.ids import LibraryIds
from tests.support.decisions import (
    START,
    install_clock,
)
from tests.support.hostile import (
    BREAKING_LINK,
    GOOD_LINK,
    MENTIONED,
    SHORT,
    assert_nothing_foreign,
    command,
    hostile,
    open_home,
    record_acks,
    with_hostile_names,
)
from tests.support.outcomes import define, opened_view
from tests.support.playbook_runs import MONDAY as RUN_MONDAY
from tests.support.playbook_runs import Scheduler as RunScheduler
from tests.support.playbook_runs import give_reason, make_playbook, start_run
from tests.support.playbook_runs import press as press_step
from tests.support.playbooks import Reviews
from tests.support.playbooks import edit_values as playbook_edit_values
from tests.support.playbooks import new_values as playbook_values
from tests.support.playbooks import press as press_playbook

pytest_plugins = ["tests.support.outbox_fixtures"]


# playbooks (the library) -----------------------------------------------------------------------------------------

NO_BAR = "<!channel> <!here> <@U0ALEX> &lt;!channel&gt; *bold* _x_"  # step lines split on `|`, so none here


async def test_playbooks_show_hostile_names_steps_and_changelogs_as_text(harness, clock, clients, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    me = harness.me
    name, title, role = hostile("playbook name"), hostile("step title", NO_BAR), hostile("role", "<!here> *r*")
    details, approval, changelog = hostile("details", NO_BAR), hostile("ok", "<!here>"), hostile("changelog")
    steps = f"now | {title} | {role[:40]} | approval: {approval} | {GOOD_LINK}\n> {details}\n+1h | Second | lead"
    await command(harness, me, "/playbook", "new")
    refused = await harness.slack.view_submission(me, opened_view(harness), playbook_values(
        name=name, steps=f"now | x | {BREAKING_LINK}\n<!channel> | y"))  # fmt: skip
    assert "Line 1:" in refused.json()["errors"][LibraryIds.STEPS.value]
    await harness.slack.view_submission(me, opened_view(harness), playbook_values(name=name, steps=steps, review="7"))
    await command(harness, me, "/playbook", "edit PB-1")
    await harness.slack.view_submission(me, opened_view(harness), playbook_edit_values(
        steps.replace("+1h | Second", "+2h | Second"), changelog=changelog))  # fmt: skip
    priya = harness.actor("U0PRIYA")  # her draft, shown and diffed
    await command(harness, priya, "/playbook", "edit PB-1")
    await harness.slack.view_submission(priya, opened_view(harness), playbook_edit_values(steps))
    for typed in ("list", "PB-1", "PB-1 v1", "PB-1 diff v1 v2", "PB-1 diff <!here>", "<!channel>", "edit <!here>",
                  "PB-1 draft", "PB-1 diff v2 draft", "PB-1 diff v2 v1"):  # fmt: skip
        await command(harness, me, "/playbook", typed)
    await command(harness, me, "/playbook", "edit PB-1")  # the owner's form: what Priya's draft changes
    await open_home(harness, me)  # and her draft waiting on the Home tab
    await Reviews(harness, clock, clients, sender).at(START + timedelta(days=8))
    await press_playbook(harness, me, LibraryIds.CONFIRM)
    await press_playbook(harness, harness.actor("U0PRIYA"), LibraryIds.CONFIRM)  # refused, naming the owner

    seen = assert_nothing_foreign(harness, acks, typed=[name, title, role[:40], details, approval, changelog],
                                  mentioned=MENTIONED)  # fmt: skip
    assert "needs approval by" in seen.joined() and "I don't know `&lt;!channel&gt;`" in seen.joined()
    assert "the pending draft" in seen.joined() and "PB-1 v2 → draft" in seen.joined()
    assert "The draft saved by <@U0PRIYA> changes v2" in seen.joined() and "a draft by <@U0PRIYA>" in seen.joined()


# the learning loop: retrospectives, proposed changes, experiments ------------------------------------------------


@pytest.mark.usefixtures("around_the_clock")
async def test_retrospectives_proposed_changes_and_experiments_show_hostile_text_as_text(
    harness, clock, clients, sender
) -> None:
    from handlers.playbooks.learning.ids import LearningIds
    from tests.support import playbook_learning as learning

    clock.set(learning.START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    me, priya = harness.me, harness.actor("U0PRIYA")
    name, title = hostile("playbook name", SHORT), hostile("run title", SHORT)
    made = await learning.resolved_run(harness.db, owner="U0PRIYA", lead="U0LOCAL", name=name, title=title)
    jobs = learning.Learning(harness, clock, clients, sender)
    await jobs.at(learning.START)  # the lead's "write the postmortem"

    sections = {key: hostile(key) for key in ("what_happened", "impact", "went_well", "was_hard", "factors")}
    suggestion, step_title = (
        hostile("suggestion", SHORT),
        hostile("step", SHORT).replace("|", "/"),
    )  # `|` separates a step line's parts
    action, experiment = hostile("action", SHORT), hostile("retro experiment", SHORT)
    await command(harness, me, "/playbook", f"retro {made.run_ref}")
    answer = await learning.submit_opened(harness, learning.retro_values(
        suggestions=suggestion, actions=f"@me {action} by 2026-12-04", experiments=f"{experiment} by 2027-01-29",
        **sections,
    ))  # fmt: skip
    assert answer["response_action"] == "update", answer
    await jobs.deliver()
    [change] = await learning.rows(harness, learning.ProposedChange)
    await learning.press(harness, me, LearningIds.PROPOSE, change.token)
    await learning.submit_opened(harness, learning.change_values("add", f"+30 min | {step_title} | comms"))  # no `|`
    await jobs.deliver()
    [proposal] = harness.standin.messages("U0PRIYA")
    await command(harness, priya, "/playbook", "edit PB-1")  # the draft's pending proposal, named
    await command(harness, harness.actor("U0ALEX"), "/playbook", f"retro {made.run_ref}")  # read by anyone
    await open_home(harness, priya)  # "Learning from runs": the change waits for its owner
    await learning.press(harness, priya, LearningIds.ACCEPT, change.token, message=proposal)
    await command(harness, me, "/playbook", f"retro {hostile('ref', SHORT)}")

    hypothesis, effect, learned = hostile("hypothesis", SHORT), hostile("effect", SHORT)[:150], hostile("learned")
    await command(harness, me, "/experiment", "new")
    await learning.submit_opened(harness, learning.experiment_values(hypothesis=hypothesis, metric=None,
                                                                     effect=effect))  # fmt: skip
    await define(harness, lagging_name="Activation rate")
    await command(harness, me, "/experiment", "new")
    await learning.submit_opened(harness, learning.experiment_values(hypothesis=hypothesis, effect=effect,
                                                                     ends_on="2026-11-30"))  # fmt: skip
    *_, ended = await learning.rows(harness, learning.Experiment)  # a metric is optional: X-2 started too
    await learning.press(harness, me, LearningIds.RESULT, ended.token)
    await learning.submit_opened(harness, learning.result_values("invalidated", learned))
    await jobs.at(learning.START + timedelta(hours=1))
    for typed in ("X-1", "X-2", "list", hostile("unknown", SHORT)):
        await command(harness, me, "/experiment", typed)

    typed = [name, title, *sections.values(), suggestion, step_title, action, experiment, hypothesis, effect, learned]
    seen = assert_nothing_foreign(harness, acks, typed=typed, mentioned=MENTIONED)
    assert "Learned from R-1: added step" in seen.joined() and "*Invalidated* ·" in seen.joined()
    assert "This draft holds proposed changes" in seen.joined() and "*The postmortem of R-1*" in seen.joined()
    assert "waits for you: accept or decline it in its message" in seen.joined()  # the owner's Home tab
    assert "*Action items* *A-1*" in seen.joined()  # the read-only retrospective lists them


# playbook runs ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("around_the_clock")  # what is shown, whenever it is sent
async def test_a_playbook_run_shows_hostile_names_titles_and_reasons_as_text(harness, clock, clients, sender) -> None:
    """The card and its redraws, the thread's notes, the step's DM, the reason forms, /playbook R-1 with its
    timeline, what a refusal repeats, the resolve answer and the Home tab's "My steps"."""
    from handlers.playbooks.running.ids import RunIds

    clock.set(RUN_MONDAY)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    name, first, second, third = hostile("playbook", SHORT), hostile("step one"), hostile("step two"), hostile("three")
    fourth = hostile("approved step")
    steps = [(first, "buddy", "day 1"), (second, "buddy", "day 1"), (third, None, "day 2"),
             {"title": fourth, "role": "buddy", "timing": "day 1", "approval_role": "checker"}]  # fmt: skip
    ref = await make_playbook(harness, steps, name=name)
    title = hostile("run", SHORT)
    await start_run(harness, ref, people_for={"buddy": "U0PRIYA", "checker": "U0LOCAL"}, title=title)
    runs = RunScheduler(harness, clock, clients, sender)
    await runs.run()
    priya = harness.actor("U0PRIYA")
    skipped, blocked = hostile("skipped because"), hostile("blocked by")
    await give_reason(harness, priya, RunIds.SKIP, "R-1:1", skipped)
    await give_reason(harness, priya, RunIds.BLOCKED, "R-1:2", blocked)
    await press_step(harness, priya, RunIds.DONE, "R-1:3")  # the lead's step: refused, naming who may
    await press_step(harness, harness.me, RunIds.BLOCKED, "R-1:1")  # closed: refused, naming who closed it
    await press_step(harness, priya, RunIds.DONE, "R-1:4")  # awaits the checker, who is asked and sends it back
    await runs.deliver()
    await open_home(harness, harness.me)  # "My steps" shows it awaiting the checker's approval
    sent_back = hostile("sent back because")
    await give_reason(harness, harness.me, RunIds.SEND_BACK, "R-1:4", sent_back)
    await command(harness, harness.me, "/playbook", "R-1")
    await command(harness, harness.me, "/playbook", "R-1 <!here>")  # a run has no versions: explained
    await command(harness, harness.me, "/playbook", "resolve <!here>")  # no such run: repeated back
    await command(harness, harness.me, "/playbook", "run <!channel>")
    await open_home(harness, priya)
    await command(harness, harness.me, "/playbook", "resolve R-1")
    await runs.deliver()
    await open_home(harness, harness.me)  # "Learning from runs": the lead's retrospective is owed

    typed = [name, first, second, third, fourth, title, skipped, blocked, sent_back]
    seen = assert_nothing_foreign(harness, acks, typed=typed, mentioned=MENTIONED)
    assert "Time for the retrospective" in seen.joined() and "*R-1* step 2:" in seen.joined()  # the Home tab
    assert "is resolved: write its retrospective (`/playbook retro R-1`)" in seen.joined()
