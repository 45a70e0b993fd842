"""Capturing an action item on one line: every form of the grammar, read in the caller's zone (New York and
Kolkata) around a weekend, a month end and the end of daylight saving; and each bad form refused with a
sentence that shows what works, storing nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import MovableClock
from models import ActionStatus
from services.actions import parse_line
from services.errors import Invalid
from tests.support.actions import ALEX, action_rows, capture_text, install_clock, only_action

NEW_YORK, KOLKATA = "U0LOCAL", "U0PRIYA"
FRIDAY = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # 10:00 Friday in New York, 20:30 Friday in Kolkata
MONTH_END = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 15:00 Mon 30 Nov in New York, 01:30 Tue 1 Dec in Kolkata
DST_END = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)  # 22:00 Sat 31 Oct (EDT) in New York, 07:30 Sun 1 Nov in Kolkata

CASES = [
    # (caller, moment, typed after the owner, due date)
    (NEW_YORK, FRIDAY, "send the pricing deck by friday", date(2026, 12, 11)),
    (NEW_YORK, FRIDAY, "send the pricing deck by monday", date(2026, 12, 7)),
    (NEW_YORK, FRIDAY, "send the pricing deck by tomorrow", date(2026, 12, 5)),
    (NEW_YORK, FRIDAY, "send the pricing deck in 3 days", date(2026, 12, 7)),
    (NEW_YORK, FRIDAY, "send the pricing deck in 1 working day", date(2026, 12, 7)),
    (KOLKATA, FRIDAY, "send the pricing deck by next tue", date(2026, 12, 8)),
    (NEW_YORK, MONTH_END, "send the pricing deck by tomorrow", date(2026, 12, 1)),
    (KOLKATA, MONTH_END, "send the pricing deck by tomorrow", date(2026, 12, 2)),
    (NEW_YORK, MONTH_END, "send the pricing deck in 3 days", date(2026, 12, 3)),
    (KOLKATA, MONTH_END, "send the pricing deck by 2026-12-04", date(2026, 12, 4)),
    (NEW_YORK, MONTH_END, "send the pricing deck by today", date(2026, 11, 30)),
    (KOLKATA, MONTH_END, "send the pricing deck by today", date(2026, 12, 1)),
    (NEW_YORK, DST_END, "send the pricing deck by tomorrow", date(2026, 11, 1)),
    (KOLKATA, DST_END, "send the pricing deck by tomorrow", date(2026, 11, 2)),
    (NEW_YORK, DST_END, "send the pricing deck in a week", date(2026, 11, 7)),
    (KOLKATA, DST_END, "send the pricing deck by sunday", date(2026, 11, 8)),
]


@pytest.mark.parametrize(("caller", "moment", "typed", "due"), CASES)
def test_every_form_reads_the_date_in_the_callers_day(caller, moment, typed, due) -> None:
    zone = {NEW_YORK: "America/New_York", KOLKATA: "Asia/Kolkata"}[caller]
    from zoneinfo import ZoneInfo

    today = moment.astimezone(ZoneInfo(zone)).date()
    line = parse_line(f"{ALEX} {typed} O-12", today)
    assert (line.owner_id, line.what, line.due, line.outcome) == ("U0ALEX", "send the pricing deck", due, "O-12")


@pytest.mark.parametrize(
    ("caller", "moment", "typed", "due"),
    [c for c in CASES if c[1] != FRIDAY or c[3] == date(2026, 12, 11)],
)
async def test_a_one_line_capture_stores_the_date_read_in_the_callers_zone(harness, caller, moment, typed, due) -> None:
    install_clock(harness, MovableClock(moment))
    said = await capture_text(harness, f"{ALEX} {typed}", harness.actor(caller))
    action = await only_action(harness)
    assert (action.ref, action.what, action.due_on, action.status) == ("A-1", "send the pricing deck", due,
                                                                       ActionStatus.OPEN)  # fmt: skip
    assert "A-1" in said and "Nothing was saved" not in said


async def test_an_outcome_ref_at_the_end_links_the_outcome(harness) -> None:
    from tests.support.outcomes import define

    install_clock(harness, MovableClock(datetime.now(UTC)))
    outcome = await define(harness)
    await capture_text(harness, f"{ALEX} send the pricing deck in 3 days {outcome.ref}")
    assert (await only_action(harness)).outcome_id == outcome.id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("send the pricing deck by friday", "Who owns it?"),
        ("@nobody send the pricing deck by friday", "I don't know anyone called @nobody"),
        (f"{ALEX} send the pricing deck by 2020-01-01", "has passed"),
        (f"{ALEX} {'x' * 301} by friday", "within 300 characters"),
        (f"{ALEX} send the pricing deck by someday", "I can't read “someday” as a date"),
        (f"{ALEX} send the pricing deck", "When is it due?"),
        (f"{ALEX} by friday", "Say what needs doing"),
        (f"{ALEX} send the pricing deck by friday O-99", "I can't find O-99"),
    ],
)
async def test_each_bad_form_is_refused_with_a_sentence_and_stores_nothing(harness, typed, expected) -> None:
    install_clock(harness, MovableClock(FRIDAY))
    said = await capture_text(harness, typed)
    assert said.startswith("Nothing was saved.") and expected in said, said
    assert "/action @alex send the pricing deck by friday" in said
    assert await action_rows(harness) == []


def test_the_grammar_refuses_before_anything_is_looked_up() -> None:
    with pytest.raises(Invalid) as refused:
        parse_line(f"{ALEX} send it by someday", date(2026, 12, 4))
    assert "`by friday`, `by tomorrow`, `by 2026-12-04` or `in 3 days`" in str(refused.value)


async def test_a_plain_name_of_someone_known_here_is_accepted(harness) -> None:
    install_clock(harness, MovableClock(FRIDAY))
    await capture_text(harness, "list", harness.actor("U0PRIYA"))  # the app now knows Priya Raman
    await capture_text(harness, "@priya send the pricing deck by monday")
    assert (await only_action(harness)).owner_id is not None


async def test_me_means_the_caller_and_no_one_is_told_of_their_own_item(harness) -> None:
    install_clock(harness, MovableClock(FRIDAY))
    said = await capture_text(harness, "@me send the pricing deck by monday")
    assert "let" not in said
    assert harness.standin.calls_to("chat.postMessage") == []
