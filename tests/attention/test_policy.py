"""When a DM may interrupt someone, decided once for every feature: working hours in the person's own zone,
the daily budget, focus, Do Not Disturb and away dates, on a clock we set."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.attention import Person, Urgency, Verdict, WorkingHours, decide, parse
from services.errors import Invalid

KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
TUESDAY_10_IST = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 10:00 in Kolkata
WEDNESDAY_9_IST = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)


def test_people_type_their_hours_the_way_they_say_them() -> None:
    assert parse("08:00-16:00 mon-thu") == WorkingHours(time(8), time(16), frozenset({0, 1, 2, 3}))
    assert parse("9-17") == WorkingHours(time(9), time(17), frozenset(range(5)))
    assert parse("mon,wed,fri 10:00-15:30").days == frozenset({0, 2, 4})
    assert parse("sun-thu 08:00-17:00").days == frozenset({6, 0, 1, 2, 3})  # a week that wraps
    assert parse("08:00-16:00 mon-thu").describe() == "08:00–16:00 Mon–Thu"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("whenever", "Give a start and an end"),
        ("17:00-09:00", "The end must come after the start"),
        ("09:00-09:30", "at least an hour"),
        ("25:00-26:00", "I couldn't read"),
        ("09:00-17:00 someday", "I couldn't read"),
    ],
)
def test_hours_that_cannot_be_read_say_why(typed: str, says: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse(typed)
    assert says in refused.value.errors["hours"]


def test_a_person_in_kolkata_gets_three_normal_dms_then_the_rest_wait_for_the_next_morning() -> None:
    verdicts = [decide(Urgency.NORMAL, Person(KOLKATA, sent_today=n), TUESDAY_10_IST).verdict for n in range(6)]
    assert verdicts == [Verdict.SEND] * 3 + [Verdict.ROUND_UP] * 3
    held = decide(Urgency.NORMAL, Person(KOLKATA, sent_today=3), TUESDAY_10_IST)
    assert held.until == WEDNESDAY_9_IST and held.reason == "over today's budget"


def test_an_escalation_goes_at_once_even_over_budget_or_at_night() -> None:
    night = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # 01:30 in Kolkata
    assert decide(Urgency.URGENT, Person(KOLKATA, sent_today=9), TUESDAY_10_IST).verdict is Verdict.SEND
    assert decide(Urgency.URGENT, Person(KOLKATA), night).verdict is Verdict.SEND
    held = decide(Urgency.URGENT, Person(KOLKATA), night, urgent_outside_hours=False)
    assert held.verdict is Verdict.HOLD and held.until == WEDNESDAY_9_IST


def test_saturday_holds_everything_normal_until_monday_morning_in_their_zone() -> None:
    saturday = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    held = decide(Urgency.NORMAL, Person(NEW_YORK), saturday)
    assert held.verdict is Verdict.HOLD and held.until == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_focus_time_and_do_not_disturb_hold_until_they_end() -> None:
    focus_end = datetime(2026, 12, 1, 6, 30, tzinfo=UTC)  # 12:00 in Kolkata
    held = decide(Urgency.LOW, Person(KOLKATA, focus_until=focus_end), TUESDAY_10_IST)
    assert (held.verdict, held.until, held.reason) == (Verdict.HOLD, focus_end, "focus time")
    late_dnd = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 19:30, after hours: back at the next morning
    held = decide(Urgency.NORMAL, Person(KOLKATA, dnd_until=late_dnd), TUESDAY_10_IST)
    assert (held.until, held.reason) == (WEDNESDAY_9_IST, "do not disturb")
    assert decide(Urgency.NORMAL, Person(KOLKATA, focus_until=TUESDAY_10_IST), TUESDAY_10_IST).verdict is Verdict.SEND


def test_nothing_reaches_an_away_person_until_their_first_working_morning_back() -> None:
    away = Person(KOLKATA, away_until=date(2026, 12, 4))  # back on Monday the 7th
    held = decide(Urgency.URGENT, away, TUESDAY_10_IST)
    assert held.verdict is Verdict.ROUND_UP and held.until == datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def test_the_round_up_itself_is_never_sent_on_to_another_round_up() -> None:
    spent = Person(KOLKATA, sent_today=9)
    assert decide(Urgency.LOW, spent, TUESDAY_10_IST, budgeted=False).verdict is Verdict.SEND


def test_the_next_morning_is_found_across_a_daylight_saving_change() -> None:
    friday_evening = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)  # 18:00 EST, Friday; clocks go forward on Sunday 8th
    held = decide(Urgency.NORMAL, Person(NEW_YORK), friday_evening)
    assert held.until == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Monday 09:00 EDT


@pytest.mark.parametrize(
    ("typed", "days", "window"),
    [
        ("8-16 mon wed fri", {0, 2, 4}, (time(8), time(16))),  # every day listed is kept
        ("8-16 mon-thu sat", {0, 1, 2, 3, 5}, (time(8), time(16))),
        ("8-16 sat mon-thu", {0, 1, 2, 3, 5}, (time(8), time(16))),  # and nothing is added
        ("9am-5pm", {0, 1, 2, 3, 4}, (time(9), time(17))),
        ("09:00 - 17:00 weekdays", {0, 1, 2, 3, 4}, (time(9), time(17))),
        ("08:00–16:00 Mon–Thu", {0, 1, 2, 3}, (time(8), time(16))),  # as the bot writes them back
    ],
)
def test_hours_are_read_as_people_type_them(typed: str, days: set[int], window: tuple[time, time]) -> None:
    hours = parse(typed)
    assert (hours.days, (hours.start, hours.end)) == (frozenset(days), window)


def test_an_end_equal_to_the_start_is_refused_as_such() -> None:
    with pytest.raises(Invalid) as refused:
        parse("09:00-09:00")
    assert "end must come after the start" in refused.value.errors["hours"]
