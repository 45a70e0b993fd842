"""/progress as a newcomer types it, quickly and loosely: found by trying the shell as a new team lead would.
A number followed by a metric's name, `%` where it does not belong, a fraction for a percentage, blockers written
the ways people write them, a channel that hears the way back from trouble and the finish, not only the
trouble, and `undo` for the slip noticed after it was stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import MovableClock
from handlers.outcomes.blocks.ids import OutcomeIds
from models import Metric, MetricReading, Outcome, OutcomeStatus, ProgressUpdate
from tests.support.decisions import install_clock
from tests.support.outcomes import define, reply_text

LEADING = "Demos booked: 2 -> 10\nSetup time: 5 days -> 1 days"


async def progress(harness, text: str, actor=None) -> str:
    return reply_text(await harness.slack.command(actor or harness.me, "/progress", text))


async def current(harness, name: str) -> float | None:
    [metric] = await harness.rows(Metric, Metric.name == name)
    return metric.current_value


async def test_a_number_followed_by_a_metrics_whole_name_is_that_metrics_value(harness) -> None:
    await define(harness, leading=LEADING)

    named = await progress(harness, "O-1 3 demos booked today\nand two more next week")
    unnamed = await progress(harness, "O-1 22 flows shipped")

    assert "Demos booked 2 → 3" in named and "Activation" not in named
    assert "Activation 20% → 22%" in unnamed and "Note: flows shipped" in unnamed
    assert (await current(harness, "Demos booked"), await current(harness, "Activation")) == (3.0, 22.0)
    notes = [u.note for u in await harness.rows(ProgressUpdate)]
    assert notes == ["today\nand two more next week", "flows shipped"]  # the note keeps its lines


async def test_a_percent_on_a_count_and_a_fraction_for_a_percentage_are_questioned(harness) -> None:
    await define(harness, leading=LEADING)
    await progress(harness, "O-1 34.5")

    percent = await progress(harness, "O-1 demos=50%")
    fraction = await progress(harness, "O-1 activation=0.38")
    meant = await progress(harness, "O-1 demos=50%! the campaign's share")

    assert "Demos booked is not a percentage, so `50%` looks like a typo" in percent and "`demos=50%!`" in percent
    assert "Activation is in percent, and 0.38 is under one percent (for 38%, type `38`)" in fraction
    assert "Nothing was stored." in percent and "Nothing was stored." in fraction
    assert "Demos booked 2 → 50" in meant
    assert (await current(harness, "Activation"), await current(harness, "Demos booked")) == (34.5, 50.0)


async def test_blockers_written_the_ways_people_write_them_are_recorded_and_prose_stays_a_note(harness) -> None:
    await define(harness)
    typed = [
        "O-1 shipped the flow, blocked on legal review",
        "O-1 blocked: need the DPA signed",
        "O-1 Blocker - sales team busy",
        "O-1 blockers: legal",
        "O-1 we were blocked on legal last week",
        "O-1 a blocker-free release",
    ]
    for text in typed:
        await progress(harness, text)

    stored = [(u.note, u.blocker) for u in await harness.rows(ProgressUpdate)]
    assert stored == [
        ("shipped the flow", "legal review"),
        (None, "need the DPA signed"),
        (None, "sales team busy"),
        (None, "legal"),
        ("we were blocked on legal last week", None),
        ("a blocker-free release", None),
    ]


async def test_the_channel_hears_the_way_back_and_the_finish_not_only_trouble(harness) -> None:
    await define(harness, owner="U0ALEX")
    alex = harness.actor("U0ALEX")

    await progress(harness, "O-1 at-risk pilot slipped")
    recovered = await progress(harness, "O-1 on-track pilot back on the plan")
    await progress(harness, "O-1 on-track still fine")  # no change: nothing to tell
    card = (await harness.slack.command(alex, "/outcome", "O-1")).json()
    actions = next(b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    done = next(e for e in actions["elements"] if e["action_id"] == OutcomeIds.MARK_DONE)
    await harness.slack.block_action(alex, {**done, "block_id": OutcomeIds.CARD_ACTIONS}, message=card)

    posted = [c.args["text"] for c in harness.standin.calls_to("chat.postMessage") if "is now" in c.args["text"]]
    assert len(posted) == 3
    assert "*O-1 · " in posted[0] and "is now *at risk* (was on track)" in posted[0]
    assert "is now *on track* (was at risk), says <@U0LOCAL>" in posted[1] and "> pilot back on the plan" in posted[1]
    assert "is now *done* (was on track), says <@U0ALEX>" in posted[2]
    assert "I told <#C0GENERAL> about the status change." in recovered
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE


async def test_undo_takes_back_my_last_update_and_puts_the_values_back(harness) -> None:
    clock = MovableClock(datetime.now(UTC))
    install_clock(harness, clock)
    await define(harness, leading=LEADING)
    await progress(harness, "O-1 25 first cohort")
    clock.advance(timedelta(hours=1))
    first_at = (await harness.rows(Outcome))[0].last_progress_at
    await progress(harness, "O-1 3 demos=4 meant for demos blocker: none really")
    clock.advance(timedelta(minutes=5))

    undone = await progress(harness, "O-1 undo")

    assert "Took back your update on *O-1 · " in undone and "from 5 min ago" in undone
    assert "• Activation back to 25% (was 3%)" in undone and "• Demos booked back to 2 (was 4)" in undone
    assert "• Note removed: meant for demos" in undone and "• Blocker removed: none really" in undone
    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["first cohort"]
    assert sorted(r.value for r in await harness.rows(MetricReading)) == [25.0]
    assert (await current(harness, "Activation"), await current(harness, "Demos booked")) == (25.0, None)
    [outcome] = await harness.rows(Outcome)
    assert outcome.last_progress_at == first_at

    # Again: the first update goes too, and the metric is back at its baseline.
    again = await progress(harness, "O-1 undo")
    assert "• Activation back to 20% (was 25%)" in again
    assert await harness.rows(ProgressUpdate) == [] and (await harness.rows(Outcome))[0].last_progress_at is None


async def test_undo_refuses_what_others_built_on_old_history_and_status_changes(harness) -> None:
    clock = MovableClock(datetime.now(UTC))
    install_clock(harness, clock)
    await define(harness)
    priya = harness.actor("U0PRIYA")

    await progress(harness, "O-1 25 mine")
    await progress(harness, "O-1 26 hers", actor=priya)
    not_latest = await progress(harness, "O-1 undo")
    clock.advance(timedelta(hours=25))
    too_old = await progress(harness, "O-1 undo", actor=priya)
    await progress(harness, "O-1 at-risk pilot slipped")
    status = await progress(harness, "O-1 undo")

    assert "nothing of yours to take back on O-1" in not_latest and "Nothing was changed." in not_latest
    assert "more than a day old" in too_old
    assert "changed O-1's status" in status and "`/progress O-1 on-track`" in status
    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["mine", "hers", "pilot slipped"]
    assert await current(harness, "Activation") == 26.0
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.AT_RISK


async def test_plus_a_number_one_letter_names_and_a_spaced_percent_are_read_as_meant(harness) -> None:
    await define(harness, leading=LEADING)
    await progress(harness, "O-1 demos=6")

    plus = await progress(harness, "O-1 demos=+2 two more calls")
    letter = await progress(harness, "O-1 s=3")
    spaced = await progress(harness, "O-1 34 % after the webinar")
    insisted = await progress(harness, "O-1 demos=+2! the count was wrong")

    assert "Demos booked takes where it stands now, not the change: it is at 6, so for 2 more type `demos=8`" in plus
    assert "`s` is too short to tell which metric you mean. Type more of its name, e.g. `setup-time=3`" in letter
    assert "Nothing was stored." in plus and "Nothing was stored." in letter
    assert "Activation 20% → 34%" in spaced and "Note: after the webinar" in spaced
    assert "Demos booked 6 → 2" in insisted
    assert [u.note for u in await harness.rows(ProgressUpdate)] == [None, "after the webinar", "the count was wrong"]
    assert (await current(harness, "Setup time"), await current(harness, "Activation")) == (None, 34.0)


async def test_finished_words_keep_the_outcome_open_and_a_done_outcome_says_it_is_closed(harness) -> None:
    await define(harness)

    finished = await progress(harness, "O-1 31 Finished the first cohort")
    await progress(harness, "O-1 done")
    after = await progress(harness, "O-1 36 still climbing")

    assert "Your note begins with “Finished”, so O-1 stays open" in finished
    assert "Activation 31% → 36%" in after
    assert "O-1 is done, so this is kept in its history. `/progress O-1 on-track` reopens it" in after
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE


async def test_a_metric_really_named_with_one_letter_is_chosen_in_any_case(harness) -> None:
    await define(harness, leading="X: 0 -> 5")

    text = await progress(harness, "O-1 x=3 first three")

    assert "X 0 → 3" in text and "too short" not in text
    assert await current(harness, "X") == 3.0
