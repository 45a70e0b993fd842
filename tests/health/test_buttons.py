"""A finding's buttons: each remedy does what it says, is recorded on the finding (what, by whom), and is refused
in words, with nothing changed, to whoever may not (a button's value is only a key, so every press is checked
again); snoozed findings stay quiet for a week and then return. Through the real app, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.clock import MovableClock
from handlers.health.blocks.findings import finding_blocks
from handlers.health.blocks.ids import HealthIds
from handlers.kit.shared_ids import SharedIds
from handlers.meetings.blocks.ids import MeetingIds
from models import (
    Action,
    Decision,
    DecisionEvent,
    HealthFinding,
    Metric,
    MetricReading,
    Outcome,
    Person,
    ProgressUpdate,
)
from tests.support.checkins import deliver
from tests.support.decisions import install_clock, private_answers, submit_opened
from tests.support.health import (
    START,
    action_with,
    button,
    decision_with,
    health,
    one_finding,
    outcome_with,
    press,
    seed,
    stored,
)
from tests.support.outcomes import all_text, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
FALLING = [(30, 40.0), (20, 35.0), (10, 30.0)]


@pytest.fixture
def moving(harness, clock: MovableClock) -> MovableClock:
    clock.set(START)
    install_clock(harness, clock)
    return clock


def last_answer(harness) -> str:
    return private_answers(harness)[-1]


async def finding_button(harness, actor, scope: str, label: str, finding: str = "") -> dict:
    """The button `label` of the (first) finding whose text holds `finding`, as `actor` is shown it."""
    blocks = (await health(harness, scope, actor=actor))["blocks"]
    start = next(i for i, b in enumerate(blocks) if finding in (b.get("text") or {}).get("text", "\x00"))
    return button(blocks[start:], label)


async def falling_outcome_of_yours(session, workspace, people) -> None:
    await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=FALLING, channel="C0GENERAL")


# asking for an update, reminding a decider ------------------------------------------------------------------------


async def test_anyone_asks_the_owner_once_a_day_with_a_log_progress_button(harness, moving, sender) -> None:
    await seed(harness, falling_outcome_of_yours)
    alex = harness.actor("U0ALEX")
    ask = await finding_button(harness, alex, "O-1", "Ask for a recovery plan")

    await press(harness, alex, ask)
    await press(harness, alex, ask)  # the same day: nothing more is sent
    await deliver(sender)

    [dm] = harness.standin.messages("U0LOCAL")
    assert "<@U0ALEX> asks for an update on *O-1* Outcome 1: signups: expected 66% of the way by today" in dm["text"]
    [log] = [e for b in dm["blocks"] for e in b.get("elements") or [] if e.get("type") == "button"]
    assert (log["action_id"], log["value"]) == (SharedIds.LOG_PROGRESS, "O-1")
    assert "asked about *O-1* today already" in last_answer(harness)
    finding = await one_finding(harness, "behind_pace")
    assert (finding.acted, finding.acted_at) == ("ask_update", START)
    assert finding.acted_by_id is not None and finding.acted_by_id != finding.owner_id

    moving.set(START + timedelta(days=1))
    await press(harness, alex, ask)
    await deliver(sender)
    assert len(harness.standin.messages("U0LOCAL")) == 2


async def test_the_owner_is_pointed_at_logging_progress_rather_than_asking_themself(harness, moving) -> None:
    await seed(harness, falling_outcome_of_yours)
    ask = await finding_button(harness, harness.actor("U0ALEX"), "O-1", "Ask for a recovery plan")

    await press(harness, harness.me, ask)  # what alex saw, pressed (or forged) by the owner

    assert "O-1 is yours: log progress with `/progress O-1`" in last_answer(harness)
    assert (await one_finding(harness, "behind_pace")).acted is None


async def test_a_reminder_held_for_a_decider_who_is_away_says_so_instead_of_reminded(harness, moving) -> None:
    async def late_decision_of_someone_away(session, workspace, people) -> None:
        people["U0PRIYA"].away_until = (START + timedelta(days=3)).date()
        await decision_with(session, workspace, people["U0PRIYA"], 1, deadline=START - timedelta(days=4))

    await seed(harness, late_decision_of_someone_away)
    remind = await finding_button(harness, harness.me, "D-1", "Remind the decider")

    await press(harness, harness.me, remind)

    said = last_answer(harness)
    assert said.startswith("I'll remind") and "that *D-1* waits on their decision: they're away" in said
    assert "I've reminded" not in said


async def test_anyone_reminds_a_late_decider_once_a_day(harness, moving, sender) -> None:
    async def late_decision(session, workspace, people) -> None:
        await decision_with(session, workspace, people["U0PRIYA"], 1, deadline=START - timedelta(days=4))

    await seed(harness, late_decision)
    remind = await finding_button(harness, harness.me, "D-1", "Remind the decider")

    await press(harness, harness.me, remind)
    await press(harness, harness.me, remind)
    await deliver(sender)

    [dm] = harness.standin.messages("U0PRIYA")
    assert "<@U0LOCAL> reminds you that *D-1* Question 1? is waiting on your decision: 4 days past" in dm["text"]
    assert "I've reminded" in private_answers(harness)[-2] and "today already" in last_answer(harness)
    assert (await one_finding(harness, "decision_overdue")).acted == "remind_decider"
    # The decider sees no button to remind themself, only where to decide.
    mine = await health(harness, "D-1", actor=harness.actor("U0PRIYA"))
    assert "Remind the decider" not in all_text(mine["blocks"]) and "`/decision D-1` shows it with Decide" in all_text(
        mine["blocks"]
    )


async def test_busy_without_progress_opens_a_decision_for_the_owner_once(harness, moving, sender) -> None:
    async def busy_and_flat(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, channel="C0GENERAL",
                           values=[(30, 40.0), (18, 40.0), (11, 40.0), (4, 40.0)])  # fmt: skip

    await seed(harness, busy_and_flat)
    alex = harness.actor("U0ALEX")
    open_it = await finding_button(harness, alex, "O-1", "Open a decision", "none of its 1 metrics moved")

    await press(harness, alex, open_it)
    await press(harness, alex, open_it)  # while D-1 is open, the question is not put again
    await deliver(sender)

    [decision] = await harness.rows(Decision)
    assert decision.question == "O-1: keep going as planned, or change approach?"
    assert decision.options == ["Keep going as planned", "Change approach"] and decision.channel_id == "C0GENERAL"
    owner = (await harness.rows(Person, Person.slack_user_id == "U0LOCAL"))[0]
    assert decision.decider_id == owner.id and decision.outcome_id is not None and decision.deadline > START
    assert "I've opened *D-1* for" in private_answers(harness)[-2] and "*D-1* already puts that" in last_answer(harness)
    [dm] = harness.standin.messages("U0LOCAL")
    assert "<@U0ALEX> opened *D-1* for you to decide: O-1: keep going as planned, or change approach?" in dm["text"]
    finding = await one_finding(harness, "activity_no_progress")
    assert finding.acted == "open_decision" and finding.acted_by_id is not None


# changing the outcome: status, due date, owner, metrics ---------------------------------------------------------


async def test_the_owner_marks_it_at_risk_and_the_channel_hears(harness, moving) -> None:
    await seed(harness, falling_outcome_of_yours)
    mark = await finding_button(harness, harness.me, "O-1", "Mark at risk")

    await press(harness, harness.me, mark)

    [outcome] = await harness.rows(Outcome)
    assert outcome.status == "at_risk"
    [update] = await harness.rows(ProgressUpdate, ProgressUpdate.source == "card")
    assert update.note.startswith("From an execution health finding: Marked on track, but signups moved")
    [announced] = harness.standin.messages("C0GENERAL")
    assert "*O-1 · Outcome 1* is now *at risk* (was on track)" in announced["text"]
    assert "*O-1* is now at risk. I told <#C0GENERAL> about the status change." in last_answer(harness)
    finding = await one_finding(harness, "contradicted")
    assert finding.acted == "set_status" and finding.resolved_at == START  # the numbers no longer contradict it


async def test_only_its_managers_may_change_its_status(harness, moving) -> None:
    await seed(harness, falling_outcome_of_yours)
    alex = harness.actor("U0ALEX")
    mark = await finding_button(harness, alex, "O-1", "Mark at risk")

    await press(harness, alex, mark)

    assert "Only <@U0LOCAL> (the owner), or a workspace admin, can mark O-1 at risk." in last_answer(harness)
    [outcome] = await harness.rows(Outcome)
    assert outcome.status == "on_track" and harness.standin.messages("C0GENERAL") == []
    assert (await one_finding(harness, "contradicted")).acted is None


async def test_a_past_due_outcome_gets_a_new_date_from_the_form(harness, moving) -> None:
    async def past_due(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0ALEX"], 1, now=START, values=[(3, 90.0)], left=-5)

    await seed(harness, past_due)
    alex = harness.actor("U0ALEX")
    move = await finding_button(harness, alex, "O-1", "Move the due date")

    await press(harness, harness.actor("U0PRIYA"), move)  # not hers: no form
    assert "can move the due date of O-1" in last_answer(harness)
    assert harness.standin.calls_to("views.open") == []
    await press(harness, alex, move)
    picked = opened_view(harness)["blocks"][1]["element"]
    assert picked["action_id"] == HealthIds.DUE and picked["initial_date"] == "2026-12-14"  # two weeks on

    def due(day: str) -> dict:
        return {HealthIds.DUE.value: {HealthIds.DUE.value: {"type": "datepicker", "selected_date": day}}}

    refused = await submit_opened(harness, alex, due("2026-11-01"))
    assert refused["errors"] == {HealthIds.DUE.value: "1 Nov 2026 has passed: pick today or a later date."}
    assert (await harness.rows(Outcome))[0].due_date.isoformat() == "2026-11-25"
    done = await submit_opened(harness, alex, due("2026-12-18"))

    assert done["response_action"] == "update" and "is now due Fri 18 Dec 2026" in all_text(done["view"]["blocks"])
    [outcome] = await harness.rows(Outcome)
    assert outcome.due_date.isoformat() == "2026-12-18"
    [moved] = await harness.rows(ProgressUpdate, ProgressUpdate.note.like("Moved the due date%"))
    assert moved.note == "Moved the due date from Wed 25 Nov 2026 to Fri 18 Dec 2026."
    finding = await one_finding(harness, "past_due")
    assert finding.acted == "move_due" and finding.resolved_at == START


async def test_an_admin_reassigns_an_outcome_whose_owner_left(harness, moving, sender) -> None:
    async def owner_gone(session, workspace, people) -> None:
        people["U0ALEX"].is_deleted = True
        await outcome_with(session, workspace, people["U0ALEX"], 1, now=START, values=[(3, 60.0)])

    await seed(harness, owner_gone)
    priya = harness.actor("U0PRIYA")
    reassign = await finding_button(harness, priya, "O-1", "Reassign")
    await press(harness, priya, reassign)
    assert "Only " in last_answer(harness) and "can change the owner of O-1" in last_answer(harness)

    await press(harness, harness.me, reassign)
    chosen = {HealthIds.OWNER.value: {HealthIds.OWNER.value: {"type": "users_select", "selected_user": "U0PRIYA"}}}
    done = await submit_opened(harness, harness.me, chosen)
    await deliver(sender)

    assert done["response_action"] == "update"
    [outcome] = await harness.rows(Outcome)
    [finding] = await stored(harness, HealthFinding.kind == "owner_gone")
    assert outcome.owner_id != finding.owner_id and finding.acted == "reassign" and finding.resolved_at == START
    [dm] = harness.standin.messages("U0PRIYA")
    assert "<@U0LOCAL> handed these to you:\n• *O-1* Outcome 1" in dm["text"]


async def test_the_owner_retires_a_metric_nobody_reads_and_its_readings_stay(harness, moving) -> None:
    async def silent(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=[(40, 30.0)], age=60, left=60)

    await seed(harness, silent)
    retire = await finding_button(harness, harness.me, "O-1", "Retire signups")
    await press(harness, harness.actor("U0ALEX"), retire)
    assert "can retire a metric of O-1" in last_answer(harness)
    assert (await harness.rows(Metric))[0].retired_at is None

    await press(harness, harness.me, retire)

    [metric] = await harness.rows(Metric)
    assert metric.retired_at == START and len(await harness.rows(MetricReading)) == 1
    assert "signups on *O-1* is retired" in last_answer(harness)
    finding = await one_finding(harness, "silent_metric")
    assert finding.acted == "retire_metric" and finding.resolved_at == START
    card = await harness.slack.command(harness.me, "/outcome", "O-1")
    assert "*signups* (lagging, retired <!date^" in all_text(card.json()["blocks"])


# handing work over ------------------------------------------------------------------------------------------------


async def bottleneck(session, workspace, people) -> None:
    """Alex decides five open decisions (none due yet) and owns two of the four overdue action items."""
    for number in range(1, 6):
        await decision_with(session, workspace, people["U0ALEX"], number, deadline=START + timedelta(days=number))
    for number, owner in ((1, "U0ALEX"), (2, "U0ALEX"), (3, "U0PRIYA"), (4, "U0LOCAL")):
        await action_with(session, workspace, people[owner], number, now=START, due_in=-3)


def handover_values(refs: list[str], to: str | None) -> dict:
    options = [{"value": ref, "text": {"type": "plain_text", "text": ref}} for ref in refs]
    return {
        HealthIds.ITEMS.value: {HealthIds.ITEMS.value: {"type": "checkboxes", "selected_options": options}},
        HealthIds.TO.value: {HealthIds.TO.value: {"type": "users_select", "selected_user": to}},
    }


async def test_a_bottleneck_hands_decisions_and_items_to_someone_closer_to_the_work(harness, moving, sender) -> None:
    await seed(harness, bottleneck)
    alex = harness.actor("U0ALEX")
    delegate = await finding_button(harness, alex, "", "Delegate some")

    await press(harness, alex, delegate)
    form = opened_view(harness, actor=alex)
    offered = [
        o["value"] for b in form["blocks"] if b.get("block_id") == HealthIds.ITEMS for o in b["element"]["options"]
    ]
    assert offered == ["D-1", "D-2", "D-3", "D-4", "D-5", "A-1", "A-2"]
    refused = await submit_opened(harness, alex, handover_values(["D-1", "D-9"], "U0PRIYA"))
    assert "D-9 is no longer theirs to hand over" in refused["errors"][HealthIds.ITEMS]
    done = await submit_opened(harness, alex, handover_values(["D-1", "D-2", "A-1"], "U0PRIYA"))
    await deliver(sender)

    assert done["response_action"] == "update" and "D-1, D-2, A-1" in all_text(done["view"]["blocks"])
    deciders = {d.number: d.decider_id for d in await harness.rows(Decision)}
    owners = {a.number: a.owner_id for a in await harness.rows(Action)}
    assert deciders[1] == deciders[2] == owners[1] == owners[3] != deciders[3]  # priya's now
    changed = await harness.rows(DecisionEvent, DecisionEvent.kind == "decider_changed")
    assert len(changed) == 2
    [told] = [m for m in harness.standin.messages("U0PRIYA") if "handed these to you" in m["text"]]
    assert "• *D-1* Question 1?\n• *D-2* Question 2?\n• *A-1* Task 1" in told["text"]
    # Alex is left with three decisions and one of four overdue items; Priya now owns half of them.
    [alexs, priyas] = await stored(harness, HealthFinding.kind == "bottleneck")
    assert (alexs.acted, alexs.resolved_at, priyas.resolved_at) == ("reassign", START, None)
    history = all_text((await harness.slack.command(harness.me, "/decision", "D-1")).json()["blocks"])
    assert "<@U0ALEX> handed it from <@U0ALEX> to <@U0PRIYA>" in history


async def test_only_they_or_an_admin_hand_their_work_over_and_a_refusal_moves_nothing(harness, moving) -> None:
    await seed(harness, bottleneck)
    priya, alex = harness.actor("U0PRIYA"), harness.actor("U0ALEX")
    delegate = await finding_button(harness, alex, "", "Delegate some")

    await press(harness, priya, delegate)
    assert "Only <@U0ALEX> (whose work it is), or a workspace admin, can hand over their work." in last_answer(harness)
    assert harness.standin.calls_to("views.open") == []

    # Alex opens the form; priya, an app, is no one to hand work to: nothing moves, even what could have.
    await press(harness, alex, delegate)
    await harness.slack.command(priya, "/followthrough", "help")  # priya's profile, read from Slack
    async with harness.db.sessions.begin() as session:
        await session.execute(update(Person).where(Person.slack_user_id == "U0PRIYA").values(is_bot=True))
    refused = await submit_opened(harness, alex, handover_values(["D-1", "A-1"], "U0PRIYA"))
    assert "D-1:" in refused["errors"][HealthIds.TO] and "is an app, not a person" in refused["errors"][HealthIds.TO]
    assert {d.decider_id for d in await harness.rows(Decision)} == {(await one_finding(harness, "bottleneck")).owner_id}
    assert (await one_finding(harness, "bottleneck")).acted is None


# snoozing, and buttons that are not what they seem ---------------------------------------------------------------


async def test_a_snoozed_finding_stays_quiet_for_a_week_then_returns(harness, moving) -> None:
    await seed(harness, falling_outcome_of_yours)
    snooze = await finding_button(harness, harness.me, "O-1", "Snooze a week", finding="Status and numbers disagree")

    await press(harness, harness.actor("U0ALEX"), snooze)
    assert "Only the person it is on, or a workspace admin, can snooze this finding." in last_answer(harness)
    await press(harness, harness.me, snooze)
    assert "Snoozed: it stays quiet until <!date^" in last_answer(harness)

    moving.set(START + timedelta(days=6, hours=23))
    assert "Status and numbers disagree" not in all_text((await health(harness))["blocks"])
    moving.set(START + timedelta(days=7, hours=1))
    assert "Status and numbers disagree" in all_text((await health(harness))["blocks"])
    finding = await one_finding(harness, "contradicted")
    assert finding.acted == "snooze" and finding.snoozed_until == START + timedelta(days=7)


async def test_another_workspaces_finding_is_not_found_and_nothing_changes(harness, moving) -> None:
    await seed(harness, falling_outcome_of_yours)
    mark = await finding_button(harness, harness.me, "O-1", "Mark at risk")
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")

    await press(harness, stranger, mark)
    await press(harness, stranger, {**mark, "action_id": HealthIds.SNOOZE.value})

    assert private_answers(harness)[-2:] == ["I can't find that finding in this workspace."] * 2
    [outcome] = await harness.rows(Outcome)
    finding = await one_finding(harness, "contradicted")
    assert outcome.status == "on_track" and finding.acted is None and finding.snoozed_until is None


async def test_a_meeting_remedy_is_the_meeting_features_own_button() -> None:
    row = HealthFinding(id=1, key="meeting_not_ready:M-3:M-4", kind="meeting_not_ready", subject="M-3", severity=2,
                        owner_id=7, evidence="“Weekly”: 2 meetings in 30 days were flagged not ready.",
                        remedy="make_async", remedy_label="Make the next one async", remedy_value="M-4",
                        why="Run the next one as a written thread.")  # fmt: skip
    blocks = [b.to_dict() for b in finding_blocks(row, {"M-3": "Weekly"}, Person(id=9))]

    make = button(blocks, "Make the next one async")
    assert SharedIds.MAKE_MEETING_ASYNC == MeetingIds.MAKE_ASYNC == make["action_id"] and make["value"] == "M-4"
