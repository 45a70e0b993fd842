"""Issue 10 items 6, 7 and 10 through the real app: loose status words and metric names are understood, a
misspelt status or an out-of-range value is questioned and nothing is stored, `!` stores a value as typed."""

from __future__ import annotations

from models import MetricReading, Outcome, OutcomeStatus, ProgressUpdate
from tests.support.outcomes import define, reply_text

LEADING = "Demos booked: 2 -> 10\nSetup time: 5 days -> 1 days"


async def progress(harness, typed: str) -> str:
    return reply_text(await harness.slack.command(harness.me, "/progress", typed))


async def test_at_risk_written_as_two_words_changes_the_status_and_keeps_the_reason(harness) -> None:
    await define(harness)

    text = await progress(harness, "O-1 at risk legal")

    assert "On track → At risk" in text and "Note: legal" in text
    [update] = await harness.rows(ProgressUpdate)
    assert (update.status_after, update.note) == (OutcomeStatus.AT_RISK, "legal")


async def test_offtrack_in_one_word_is_a_status_not_a_note(harness) -> None:
    await define(harness)

    text = await progress(harness, "O-1 offtrack")

    assert "On track → Off track" in text and "Note" not in text
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.OFF_TRACK


async def test_a_misspelt_status_asks_and_stores_nothing(harness) -> None:
    await define(harness)

    text = await progress(harness, "O-1 at-rsik legal")

    assert text == "Did you mean `at-risk`? Nothing was stored."
    assert await harness.rows(ProgressUpdate) == []


async def test_metric_names_by_prefix_or_words_in_any_case(harness) -> None:
    await define(harness, lagging_name="Activation rate", leading=LEADING)

    text = await progress(harness, "O-1 activation=31% DEMOS=4 time=3days")

    assert "Activation rate 20% → 31%" in text
    assert "Demos booked 2 → 4" in text
    assert "Setup time 5 days → 3 days" in text
    assert sorted(r.value for r in await harness.rows(MetricReading)) == [3.0, 4.0, 31.0]


async def test_an_ambiguous_metric_name_lists_the_candidates(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10\nDemo calls: 1 -> 5")

    text = await progress(harness, "O-1 demo=4")

    assert "`demo` could be `demos-booked` or `demo-calls`" in text
    assert await harness.rows(MetricReading) == []


async def test_a_negative_percentage_is_questioned_and_a_bang_stores_it_as_typed(harness) -> None:
    await define(harness)

    refused = await progress(harness, "O-1 -3% churn ate it")
    assert "Activation is a percentage, so `-3%` looks like a typo" in refused
    assert "add `!` to the value: `-3%!`" in refused and refused.endswith("Nothing was stored.")
    assert await harness.rows(MetricReading) == []

    stored = await progress(harness, "O-1 -3%! churn ate it")
    assert "Activation 20% → -3%" in stored
    [reading] = await harness.rows(MetricReading)
    assert reading.value == -3.0


async def test_a_percentage_over_100_and_a_negative_count_are_questioned_in_the_form_too(harness) -> None:
    from tests.support.outcomes import opened_view, progress_values

    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1")
    body = (
        await harness.slack.view_submission(harness.me, opened_view(harness), progress_values("O-1", "140 demos=-2"))
    ).json()

    assert body["response_action"] == "errors"
    assert "Activation is a percentage" in str(body["errors"])
    assert await harness.rows(MetricReading) == []
