"""The learning loop on a resolved run: its lead is asked once for the retrospective (a blameless postmortem for an
incident), the retrospective's suggestion becomes a proposed change in the owner's draft, and accepting it
publishes v2 whose changelog names the run, while the run stays on v1. Action items and experiments come out of
the same form; a refused line stores nothing. Run on SQLite and PostgreSQL, like every database test."""

from __future__ import annotations

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import Action, ChangeStatus, Experiment, PlaybookRun, ProposedChange, Retro, RetroStatus, SourceKind
from tests.support.outbox import make_sender
from tests.support.outcomes import all_text, sent_view
from tests.support.playbook_learning import (
    Learning,
    buttons_in,
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

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")
POSTMORTEM = dict(what_happened="Checkout returned errors for 40 minutes after the deploy.",
                  impact="About 300 orders failed.", went_well="The rollback took five minutes.",
                  was_hard="Nobody told support what to say.", factors="The deploy skipped the canary.")  # fmt: skip


def opened_blocks(harness) -> list[str]:
    return [b.get("block_id") for b in sent_view(harness.standin.calls_to("views.open")[-1])["blocks"]]


async def test_a_resolved_incident_asks_its_lead_once_for_a_blameless_postmortem(harness, learning, db, clients):
    made = await resolved_run(db)
    assert await learning.job() == 1
    assert await learning.job() == 0  # a second run (or a second scheduler) finds the retrospective open
    restarted = Learning(harness, learning.clock, clients, make_sender(db, clients, learning.clock, name="again"))
    assert await restarted.job() == 0
    await restarted.deliver()
    await learning.deliver()
    [asked] = dms(harness, "U0LOCAL")
    assert asked["text"] == "R-1 is resolved: time for its blameless postmortem"
    [button] = buttons_in(asked)
    assert button["action_id"] == LearningIds.OPEN_RETRO.value
    [retro] = await rows(harness, Retro)
    assert retro.blameless and retro.status is RetroStatus.OPEN

    await press(harness, harness.me, LearningIds.OPEN_RETRO, button["value"])
    fields = opened_blocks(harness)
    assert [f for f in fields if f and f.startswith("retro_")] == [
        "retro_what_happened", "retro_impact", "retro_went_well", "retro_was_hard", "retro_factors",
        "retro_suggestions", "retro_actions", "retro_experiments",
    ]  # fmt: skip
    assert "blame" not in " ".join(f for f in fields if f)  # no "who is to blame" field, on purpose
    assert "blameless postmortem" in all_text(sent_view(harness.standin.calls_to("views.open")[-1])["blocks"])
    assert made.run_ref == "R-1"


async def test_a_launch_retrospective_asks_what_went_well_and_what_was_hard(harness, learning, db) -> None:
    from models import PlaybookKind

    made = await resolved_run(db, kind=PlaybookKind.LAUNCH)
    await press(harness, harness.me, LearningIds.OPEN_RETRO, str(made.run_id))  # the resolved card's button
    fields = [f for f in opened_blocks(harness) if f and f.startswith("retro_")]
    assert fields == ["retro_went_well", "retro_was_hard", "retro_suggestions", "retro_actions", "retro_experiments"]


async def test_retro_to_proposed_change_to_v2_whose_changelog_names_the_run(harness, learning, db) -> None:
    made = await resolved_run(db)  # PB-1 owned by Alex, R-1 led by you, on v1
    said = await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    assert said.status_code == 200 and len(harness.standin.calls_to("views.open")) == 1, said.text
    answer = await submit_opened(harness, retro_values(
        **POSTMORTEM,
        suggestions="Tell support what to say within 30 minutes\n- Check the canary before every deploy",
        actions="@alex add the canary check to the deploy script by 2026-12-04",
        experiments="A canary stage halves failed deploys by 2027-01-29",
    ))  # fmt: skip
    assert answer["response_action"] == "update", answer
    assert "The retrospective of *R-1* is saved" in all_text(answer["view"]["blocks"])
    [retro] = await rows(harness, Retro)
    assert retro.status is RetroStatus.DONE and retro.sections["factors"] == "The deploy skipped the canary."
    changes = await rows(harness, ProposedChange)
    assert [(c.suggestion, c.status) for c in changes] == [
        ("Tell support what to say within 30 minutes", ChangeStatus.SUGGESTED),
        ("Check the canary before every deploy", ChangeStatus.SUGGESTED),
    ]
    [action] = await rows(harness, Action)
    assert (action.what, action.source_kind, action.source_ref) == (
        "add the canary check to the deploy script", SourceKind.RETRO, "R-1")  # fmt: skip
    [experiment] = await rows(harness, Experiment)
    assert (experiment.ref, experiment.hypothesis) == ("X-1", "A canary stage halves failed deploys")

    await learning.deliver()
    [suggested] = [m for m in dms(harness, "U0LOCAL") if "suggestion" in m["text"]]
    propose = [b for b in buttons_in(suggested) if b["action_id"] == LearningIds.PROPOSE.value]
    assert [b["value"] for b in propose] == [c.token for c in changes]
    await press(harness, harness.me, LearningIds.PROPOSE, propose[0]["value"])
    answer = await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"))
    assert answer["response_action"] == "update", answer
    playbook = await playbook_row(harness, made.playbook_ref)
    # +30 min goes between +15 min and +60 min, where its timing puts it, not at the end
    assert [s["title"] for s in playbook.draft_steps] == [
        "Open the incident channel", "Post the first status update", "Tell support what to say",
        "Check the dashboards again",
    ]  # fmt: skip
    assert playbook.current_version == 1  # nothing published yet: it waits in the owner's draft

    await learning.deliver()
    [proposal] = dms(harness, "U0ALEX")
    assert proposal["text"] == "A proposed change to PB-1, learned from R-1"
    accept = next(b for b in buttons_in(proposal) if b["action_id"] == LearningIds.ACCEPT.value)
    await press(harness, harness.actor("U0ALEX"), LearningIds.ACCEPT, accept["value"], message=proposal)

    playbook = await playbook_row(harness, made.playbook_ref)
    v1, v2 = await versions_of(harness, playbook)
    assert playbook.current_version == 2 and playbook.draft_steps is None
    assert v2.changelog == "Learned from R-1: added step “Tell support what to say”"
    assert v2.learned_from_run_id == made.run_id
    titles = [s["title"] for s in v1.steps]
    assert [s["title"] for s in v2.steps] == [*titles[:2], "Tell support what to say", *titles[2:]]
    assert v2.steps[2]["timing"] == "+30 min" and v2.steps[2]["role"] == "comms"
    [run] = await rows(harness, PlaybookRun)
    assert run.version_id == v1.id  # the run that taught it keeps the version it followed
    accepted = (await rows(harness, ProposedChange))[0]
    assert (accepted.status, accepted.version_id) == (ChangeStatus.ACCEPTED, v2.id)
    redrawn = [c for c in harness.standin.calls if c.method == "response_url"][-1]
    assert "Published *PB-1 v2*" in all_text(redrawn.args["blocks"])


async def test_the_same_retrospective_sent_twice_adds_nothing_twice(harness, learning, db) -> None:
    made = await resolved_run(db)
    values = retro_values(went_well="Fast rollback", suggestions="Page two people",
                          actions="@me write the runbook by 2026-12-04",
                          experiments="Two pagers help by 2027-01-29")  # fmt: skip
    for _ in range(2):
        await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
        assert (await submit_opened(harness, values))["response_action"] == "update"
    assert len(await rows(harness, ProposedChange)) == 1
    assert len(await rows(harness, Action)) == 1 and len(await rows(harness, Experiment)) == 1


async def test_a_refused_line_stores_nothing_and_says_which_line(harness, learning, db) -> None:
    made = await resolved_run(db)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    answer = await submit_opened(harness, retro_values(
        went_well="Fast rollback", suggestions="Page two people",
        actions="@me write the runbook by 2026-12-04\n@nobody fix it by 2026-12-04",
    ))  # fmt: skip
    assert answer["response_action"] == "errors"
    assert answer["errors"]["retro_actions"] == (
        "Line 2: I don't know anyone here called @nobody, so this line has no owner. Start it with the name a "
        "person goes by in Slack, or `@me`, e.g. `@alex send the pricing deck by friday`."
    )  # about the line, not about /action's form
    assert await rows(harness, ProposedChange) == [] and await rows(harness, Action) == []
    [retro] = await rows(harness, Retro)
    assert retro.status is RetroStatus.OPEN and retro.sections == {}
    answer = await submit_opened(harness, retro_values(went_well="ok", experiments="Something someday"))
    assert "by" in answer["errors"]["retro_experiments"]


async def test_declining_records_it_and_takes_the_change_out_of_the_draft(harness, learning, db) -> None:
    made = await resolved_run(db)
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="ok", suggestions="Drop the second dashboard check"))
    [change] = await rows(harness, ProposedChange)
    playbook = await playbook_row(harness, made.playbook_ref)
    [v1] = await versions_of(harness, playbook)
    await press(harness, harness.me, LearningIds.PROPOSE, change.token)
    answer = await submit_opened(harness, change_values("remove", step_key=None))
    assert answer["errors"] == {"change_step": "Choose the step it changes or removes."}
    answer = await submit_opened(harness, change_values("remove", step_key=v1.steps[2]["key"]))
    assert answer["response_action"] == "update"
    assert len((await playbook_row(harness, made.playbook_ref)).draft_steps) == 2

    await press(harness, harness.me, LearningIds.DECLINE, change.token)  # an admin may decide too
    [change] = await rows(harness, ProposedChange)
    playbook = await playbook_row(harness, made.playbook_ref)
    assert change.status is ChangeStatus.DECLINED and playbook.draft_steps is None and playbook.current_version == 1
    await press(harness, harness.actor("U0ALEX"), LearningIds.ACCEPT, change.token)
    assert (await playbook_row(harness, made.playbook_ref)).current_version == 1  # declined stays declined


async def test_a_lead_who_owns_the_playbook_gets_answers_to_their_own_forms_at_once_over_budget(
    harness, learning, db
) -> None:
    """The suggestions DM and, when the owner proposes a change themselves, the proposal DM answer a form they
    have just submitted: no interruption to hold for the daily budget (spent here), unlike a proposal that goes to
    someone else."""
    from sqlalchemy import update

    from models import AttentionSettings, Delivery

    made = await resolved_run(db, owner="U0LOCAL")
    async with db.sessions.begin() as session:
        await session.execute(update(AttentionSettings).values(daily_budget=0))
    await harness.slack.command(harness.me, "/playbook", f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(**POSTMORTEM, suggestions="Tell support what to say"))
    await learning.deliver()
    [suggested] = [m for m in dms(harness, "U0LOCAL") if "suggestion" in m["text"]]
    [propose] = [b for b in buttons_in(suggested) if b["action_id"] == LearningIds.PROPOSE.value]
    await press(harness, harness.me, LearningIds.PROPOSE, propose["value"])
    await submit_opened(harness, change_values("add", "+30 min | Tell support what to say | comms"))
    await learning.deliver()
    assert [m["text"] for m in dms(harness, "U0LOCAL") if "proposed change" in m["text"]] == [
        "A proposed change to PB-1, learned from R-1"
    ]
    answered = await rows(harness, Delivery, Delivery.kind.in_(["playbook.suggestions", "playbook.proposal"]))
    assert len(answered) == 2 and all(d.interrupts is None for d in answered)
