"""/progress as a newcomer types it, quickly and loosely: found by trying the shell as a new team lead would.
A number followed by a metric's name, `%` where it does not belong, a fraction for a percentage, blockers written
the ways people write them, and a channel that hears the way back from trouble and the finish, not only the
trouble."""

from __future__ import annotations

from handlers.outcomes.blocks.ids import OutcomeIds
from models import Metric, Outcome, OutcomeStatus, ProgressUpdate
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
