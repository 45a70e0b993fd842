"""/progress O-n ...: every way of logging in one line, what is stored and what the reply says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import MovableClock
from models import Metric, MetricReading, Outcome, OutcomeStatus, ProgressSource, ProgressUpdate
from services import outcomes
from tests.support.decisions import install_clock
from tests.support.outcomes import define, reply_text

LEADING = "Demos booked: 2 -> 10\nSetup time: 5 days -> 1 days"


async def stored(harness) -> tuple[list[ProgressUpdate], list[MetricReading]]:
    return await harness.rows(ProgressUpdate), await harness.rows(MetricReading)


async def test_a_number_records_the_lagging_metric_and_the_reply_shows_the_move(harness) -> None:
    outcome = await define(harness)

    first = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 28 first cohort in"))
    second = reply_text(await harness.slack.command(harness.me, "/progress", "o-1 31% onboarding flow shipped"))

    assert "Activation 20% → 28% (target 40%)" in first
    assert "Activation 28% → 31% (target 40%)" in second
    assert "Note: onboarding flow shipped" in second
    updates, readings = await stored(harness)
    assert sorted(u.note for u in updates) == ["first cohort in", "onboarding flow shipped"]
    assert {u.source for u in updates} == {ProgressSource.COMMAND}
    assert sorted(r.value for r in readings) == [28.0, 31.0]
    [lagging] = await harness.rows(Metric, Metric.name == "Activation")
    assert lagging.current_value == 31.0
    [after] = await harness.rows(Outcome)
    assert after.last_progress_at is not None and after.status is OutcomeStatus.ON_TRACK
    assert outcome.last_progress_at is None


async def test_a_bare_number_is_a_ref_too(harness) -> None:
    await define(harness)
    text = reply_text(await harness.slack.command(harness.me, "/progress", "1 25"))
    assert "Activation 20% → 25%" in text


async def test_a_status_with_a_note(harness) -> None:
    await define(harness)

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 at-risk waiting on legal"))

    assert "On track → At risk" in text
    assert "Note: waiting on legal" in text
    [update] = await harness.rows(ProgressUpdate)
    assert (update.status_before, update.status_after, update.note) == (
        OutcomeStatus.ON_TRACK,
        OutcomeStatus.AT_RISK,
        "waiting on legal",
    )
    assert await harness.rows(MetricReading) == []
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.AT_RISK


async def test_named_metrics_in_any_case_with_dashes_or_underscores(harness) -> None:
    await define(harness, leading=LEADING)

    text = reply_text(
        await harness.slack.command(
            harness.me, "/progress", "O-1 activation=31% Demos_Booked=4 SETUP-TIME=3days a good week"
        )
    )

    assert "Activation 20% → 31% (target 40%)" in text
    assert "Demos booked 2 → 4 (target 10)" in text
    assert "Setup time 5 days → 3 days (target 1 days)" in text
    assert "Note: a good week" in text
    readings = {r.value for r in await harness.rows(MetricReading)}
    assert readings == {31.0, 4.0, 3.0}
    [update] = await harness.rows(ProgressUpdate)
    assert update.note == "a good week"


async def test_value_status_note_and_blocker_together(harness) -> None:
    await define(harness)

    text = reply_text(
        await harness.slack.command(harness.me, "/progress", "O-1 24 off-track churn spiked blocker: no data export")
    )

    assert "Activation 20% → 24%" in text
    assert "On track → Off track" in text
    assert "Blocker: no data export" in text
    [update] = await harness.rows(ProgressUpdate)
    assert (update.note, update.blocker, update.status_after) == (
        "churn spiked",
        "no data export",
        OutcomeStatus.OFF_TRACK,
    )


async def test_a_note_alone_counts_as_an_update(harness) -> None:
    await define(harness)
    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 interviews booked for next week"))
    assert "Note: interviews booked for next week" in text
    [update] = await harness.rows(ProgressUpdate)
    assert update.status_after is None


async def test_the_same_status_again_is_stored_as_a_check_in(harness) -> None:
    await define(harness)
    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 on-track"))
    assert "Still on track" in text
    [update] = await harness.rows(ProgressUpdate)
    assert update.status_before is None and update.status_after is None


async def test_the_owner_marks_done_and_anyone_else_is_told_who_can(harness) -> None:
    await define(harness, owner="U0ALEX")
    priya = harness.actor("U0PRIYA")

    refused = reply_text(await harness.slack.command(priya, "/progress", "O-1 40 done"))
    assert "<@U0ALEX> (the owner), or a workspace admin, can mark O-1 done" in refused
    assert await harness.rows(ProgressUpdate) == []

    accepted = reply_text(await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 40 done"))
    assert "On track → Done" in accepted and "Activation 20% → 40%" in accepted
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE and outcome.closed_at is not None


async def test_done_that_begins_a_note_leaves_the_outcome_open_and_says_how_to_close_it(harness) -> None:
    """A newcomer wrote `25 done with the first cohort` and closed the outcome without meaning to."""
    await define(harness)

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 25 done with the first cohort"))

    assert "Activation 20% → 25%" in text and "Note: done with the first cohort" in text
    assert "→ Done" not in text
    assert "Your note begins with “done”, so O-1 stays open" in text and "`/progress O-1 done` closes it" in text
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.ON_TRACK and outcome.closed_at is None
    [update] = await harness.rows(ProgressUpdate)
    assert (update.note, update.status_after) == ("done with the first cohort", None)

    closed = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 done"))
    assert "On track → Done" in closed and "stays open" not in closed


async def test_a_metric_named_with_its_spaces_takes_the_value_and_prose_with_an_equals_sign_stays_a_note(
    harness,
) -> None:
    """`demos booked=4` used to vanish into the note, the metric unchanged and nothing said."""
    await define(harness, leading=LEADING)

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 Demos Booked=4 setup time=3 good week"))
    prose = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 fixed the a=b mix-up"))

    assert "Demos booked 2 → 4" in text and "Setup time 5 days → 3 days" in text and "Note: good week" in text
    assert "Note: fixed the a=b mix-up" in prose
    [demos] = await harness.rows(Metric, Metric.name == "Demos booked")
    [setup] = await harness.rows(Metric, Metric.name == "Setup time")
    assert (demos.current_value, setup.current_value) == (4.0, 3.0)
    assert sorted(u.note for u in await harness.rows(ProgressUpdate)) == ["fixed the a=b mix-up", "good week"]


async def test_a_done_outcome_still_takes_readings_but_only_its_owner_reopens_it(harness) -> None:
    await define(harness, owner="U0ALEX")
    alex, priya = harness.actor("U0ALEX"), harness.actor("U0PRIYA")
    await harness.slack.command(alex, "/progress", "O-1 done")

    later = reply_text(await harness.slack.command(priya, "/progress", "O-1 38 impact keeps landing"))
    assert "Activation 20% → 38%" in later
    refused = reply_text(await harness.slack.command(priya, "/progress", "O-1 at-risk"))
    assert "can reopen O-1" in refused
    reopened = reply_text(await harness.slack.command(alex, "/progress", "O-1 at-risk"))
    assert "Done → At risk" in reopened
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.AT_RISK and outcome.closed_at is None


async def test_a_refused_status_change_keeps_the_rest_of_the_line_at_hand(harness) -> None:
    """Priya may log on Alex's done outcome but not reopen it: the whole line is refused, and the reply gives her
    the line without the status, so her reading and note are not typed twice."""
    await define(harness, owner="U0ALEX")
    alex, priya = harness.actor("U0ALEX"), harness.actor("U0PRIYA")
    await harness.slack.command(alex, "/progress", "O-1 done")

    refused = reply_text(await harness.slack.command(priya, "/progress", "O-1 41 On Track  found <more> users"))
    assert "can reopen O-1" in refused and "Nothing was changed." in refused
    assert "`/progress O-1 41 found &lt;more&gt; users`" in refused
    alone = reply_text(await harness.slack.command(priya, "/progress", "O-1 on-track"))
    assert "can reopen O-1" in alone and "without the status" not in alone  # nothing else to keep
    assert len(await harness.rows(ProgressUpdate)) == 1  # Alex's done; nothing of Priya's
    sent_again = reply_text(await harness.slack.command(priya, "/progress", "O-1 41 found <more> users"))
    assert "Activation 20% → 41%" in sent_again
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE

    # A dropped outcome takes nothing until its owner reopens it: no line to send that would be refused again.
    async with harness.db.sessions.begin() as session:  # Alex drops it from its card
        loaded = await outcomes.get_outcome(session, workspace_id=outcome.workspace_id, ref="O-1")
        await outcomes.log_progress(
            session,
            outcome=loaded,
            author=loaded.owner,
            status=OutcomeStatus.DROPPED,
            note="pilot cancelled",
            source=ProgressSource.CARD,
            now=datetime.now(UTC),
        )
    dropped = reply_text(await harness.slack.command(priya, "/progress", "O-1 44 on-track pilot is back"))
    assert "can reopen O-1" in dropped and "without the status" not in dropped
    assert len(await harness.rows(ProgressUpdate)) == 3  # Alex's done and drop, Priya's 41


async def test_anyone_in_the_workspace_may_log_progress(harness) -> None:
    await define(harness)
    text = reply_text(await harness.slack.command(harness.actor("U0PRIYA"), "/progress", "O-1 22 small bump"))
    assert "Activation 20% → 22%" in text


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("O-99 42 shipped", "can't find O-99"),
        ("P-1 42", "can't find P-1"),
        ("O-1 4o2 shipped", "`4o2` is not a number"),
        ("O-1 activation=lots", "`lots` is not a number"),
        ("O-1 1,5", "use a dot for decimals"),
        ("O-1 42kg", "not a number in %"),
        ("O-1 act!vation=31", "O-1 has no metric called `act!vation`"),
        ("O-1 !!=31", "`!!` is not a metric name"),
        ("O-1 at-rsik legal", "Did you mean `at-risk`? Nothing was stored."),
        ("O-1 demo=3", "`demo` could be `demos-booked` or `demo-calls`: type more of the name."),
        (
            "O-1 -5%",
            "Activation is a percentage, so `-5%` looks like a typo. If you meant it, add `!` to the value: `-5%!`.",
        ),
        ("O-1 activation=140", "`activation=140!`"),
        ("O-1 demos=-1", "Demos booked is an amount that does not go below 0"),
        (
            "O-1 revenue=31",
            "O-1 has no metric called `revenue`. Its metrics: `activation`, `demos-booked`, `demo-calls`",
        ),
        ("O-1 activation= shipped", "Give a value after `activation=`"),
        ("O-1 31 activation=32", "Activation is given twice"),
        ("O-1 " + "x" * 5000, "5,000 characters; the limit is 2,000"),
        ("O-1 42 blocker: " + "y" * 2500, "Your blocker is 2,500 characters"),
    ],
)
async def test_bad_input_is_explained_and_nothing_is_stored(harness, typed, says) -> None:
    await define(harness, leading="Demos booked: 2 -> 10\nDemo calls: 1 -> 5")

    text = reply_text(await harness.slack.command(harness.me, "/progress", typed))

    assert says in text
    assert text.lower().count("nothing was") <= 1  # said at most once, however the refusal ends
    assert await harness.rows(ProgressUpdate) == []
    assert await harness.rows(MetricReading) == []
    [metric] = await harness.rows(Metric, Metric.name == "Activation")
    assert metric.current_value is None
    [outcome] = await harness.rows(Outcome)
    assert outcome.last_progress_at is None and outcome.status is OutcomeStatus.ON_TRACK


async def test_a_dropped_outcome_takes_no_progress(harness) -> None:
    outcome = await define(harness)
    async with harness.db.sessions.begin() as session:
        loaded = await outcomes.get_outcome(session, workspace_id=outcome.workspace_id, ref="O-1")
        [me] = [loaded.owner]
        await outcomes.log_progress(
            session,
            outcome=loaded,
            author=me,
            status=OutcomeStatus.DROPPED,
            note="strategy changed",
            source=ProgressSource.CARD,
            now=datetime.now(UTC),
        )

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 30"))

    assert "was dropped" in text and "/progress O-1 on-track" in text
    assert len(await harness.rows(ProgressUpdate)) == 1


@pytest.mark.parametrize("typed", ["help", "?", "frobnicate now"])
async def test_help_and_unknown_words_show_the_grammar(harness, typed) -> None:
    body = (await harness.slack.command(harness.me, "/progress", typed)).json()
    text = body["text"] + str(body["blocks"])
    assert "activation=31%" in text and "at-risk" in text
    assert ("I don't know" in text) == (typed == "frobnicate now")
    assert await harness.rows(ProgressUpdate) == []


async def test_text_is_stored_as_typed_and_shown_escaped(harness) -> None:
    await define(harness, title="R&D <fast>")

    # Slack escapes &, < and > in a command's text.
    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 a &lt; b &amp; c"))

    assert "Logged on *O-1 · R&amp;D &lt;fast&gt;*" in text and "Note: a &lt; b &amp; c" in text
    [update] = await harness.rows(ProgressUpdate)
    assert update.note == "a < b & c"
    [outcome] = await harness.rows(Outcome)
    assert outcome.title == "R&D <fast>"


async def test_the_same_line_sent_again_within_ten_minutes_is_stored_once(harness) -> None:
    """A newcomer pressed the up arrow and Enter: the same update was stored twice."""
    clock = MovableClock(datetime.now(UTC))
    install_clock(harness, clock)
    await define(harness, leading=LEADING)
    line = "O-1 26 demos=4 shipped the flow blocker: legal review"

    first = reply_text(await harness.slack.command(harness.me, "/progress", line))
    clock.advance(timedelta(minutes=3))
    again = reply_text(await harness.slack.command(harness.me, "/progress", line))
    note_only = [reply_text(await harness.slack.command(harness.me, "/progress", "O-1 waiting on legal")) for _ in "ab"]

    assert "Activation 20% → 26%" in first
    assert "You logged exactly this on O-1 3 minutes ago, so it is not stored twice" in again
    assert "Nothing was stored." in again
    assert "Note: waiting on legal" in note_only[0] and "You logged exactly this on O-1 moments ago" in note_only[1]
    updates, readings = await stored(harness)
    assert [u.note for u in updates] == ["shipped the flow", "waiting on legal"]
    assert sorted(r.value for r in readings) == [4.0, 26.0]

    # The same words from someone else, a different value, or the same line later on are news.
    other = reply_text(await harness.slack.command(harness.actor("U0PRIYA"), "/progress", "O-1 waiting on legal"))
    moved = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 27 waiting on legal"))
    clock.advance(timedelta(minutes=11))
    later = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 27 waiting on legal"))
    assert all("Logged on *O-1" in text for text in (other, moved, later))
    updates, readings = await stored(harness)
    assert len(updates) == 5 and sorted(r.value for r in readings) == [4.0, 26.0, 27.0, 27.0]
