"""A `/progress` line whose note starts like a reading is asked about, and nothing is stored: found by a newcomer
trial, where `/progress O-1 7 demos` stored 7 as the conversion rate and `demos booked 8` stored a note alone,
each answered "Logged"."""

from __future__ import annotations

from models import MetricReading, ProgressUpdate
from tests.support.outcomes import define, reply_text

LEADING = "Demos booked: 5 -> 20\nFirst response time: 10 h -> 2 h"


async def progress(harness, text: str) -> str:
    return reply_text(await harness.slack.command(harness.me, "/progress", text))


async def test_a_number_then_the_start_of_a_leading_metrics_name_asks_which_metric(harness) -> None:
    await define(harness, lagging_name="Trial conversion", baseline="8", target="12", leading=LEADING)

    text = await progress(harness, "O-1 7 demos")

    assert text.startswith("Is 7 for Demos booked? A number with no name goes to Trial conversion")
    assert "send `/progress O-1 demos-booked=7`" in text
    assert "send `/progress O-1 trial-conversion=7 demos`" in text and text.endswith("Nothing was stored.")
    assert await harness.rows(ProgressUpdate) == [] and await harness.rows(MetricReading) == []


async def test_either_suggested_line_stores_the_reading_where_it_says(harness) -> None:
    await define(harness, lagging_name="Trial conversion", baseline="8", target="12", leading=LEADING)

    assert "Demos booked 5 → 7" in await progress(harness, "O-1 demos-booked=7")
    assert "Trial conversion 8% → 9%" in await progress(harness, "O-1 trial-conversion=9 demos went well")

    [update_1, update_2] = sorted(await harness.rows(ProgressUpdate), key=lambda u: u.id)
    assert (update_1.note, update_2.note) == (None, "demos went well")
    assert sorted(r.value for r in await harness.rows(MetricReading)) == [7.0, 9.0]


async def test_a_metrics_name_then_a_number_with_no_values_asks_instead_of_storing_a_note(harness) -> None:
    await define(harness, lagging_name="Trial conversion", baseline="8", target="12", leading=LEADING)

    whole = await progress(harness, "O-1 demos booked 8")
    first_word = await progress(harness, "O-1 demos 8 this week")
    spelled = await progress(harness, "O-1 first response time 6 h after the triage day")

    assert whole.startswith("Is 8 a reading of Demos booked?") and "`/progress O-1 demos-booked=8`" in whole
    assert first_word.startswith("Is 8 a reading of Demos booked?")
    assert "`/progress O-1 first-response-time=6`" in spelled
    assert all(t.endswith("Nothing was stored.") for t in (whole, first_word, spelled))
    assert await harness.rows(ProgressUpdate) == []


async def test_notes_that_only_mention_a_metric_or_a_number_are_stored_as_before(harness) -> None:
    await define(harness, lagging_name="Trial conversion", baseline="8", target="12", leading=LEADING)

    plain = await progress(harness, "O-1 demos went well, 3 new this week")
    number_first = await progress(harness, "O-1 9 after the pricing change")
    short_word = await progress(harness, "O-1 10 de-risked the launch")

    assert "Note: demos went well, 3 new this week" in plain
    assert "Trial conversion 8% → 9%" in number_first and "Note: after the pricing change" in number_first
    assert "Trial conversion 9% → 10%" in short_word
    assert len(await harness.rows(ProgressUpdate)) == 3
