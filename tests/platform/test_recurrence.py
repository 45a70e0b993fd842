"""Recurrence in the right zone: exact UTC instants across the Berlin and New York daylight-saving changes,
the spring gap and the autumn overlap, every-other-week anchoring, and a +05:30 zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from services.recurrence import (
    Rule,
    describe,
    local_instant,
    next_occurrence,
    next_occurrences,
    next_round,
    occurrence_dates,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY, SUNDAY = 0, 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekly(at: time, *days: int, anchor: date = date(2026, 1, 1), every: int = 1) -> Rule:
    return Rule(interval_weeks=every, weekdays=days or (MONDAY,), at=at, anchor=anchor)


def test_a_weekly_berlin_cadence_keeps_its_wall_time_across_the_october_change() -> None:
    # Clocks go back on Sunday 25 October 2026: 09:00 is 07:00 UTC before, 08:00 UTC after.
    rule = weekly(time(9, 0))
    assert next_occurrences(rule, BERLIN, after=utc(2026, 10, 12), count=3) == [
        utc(2026, 10, 12, 7, 0),
        utc(2026, 10, 19, 7, 0),
        utc(2026, 10, 26, 8, 0),
    ]


def test_a_weekly_berlin_cadence_keeps_its_wall_time_across_the_march_change() -> None:
    # Clocks go forward on Sunday 28 March 2027.
    assert next_occurrences(weekly(time(9, 0)), BERLIN, after=utc(2027, 3, 15, 12), count=3) == [
        utc(2027, 3, 22, 8, 0),
        utc(2027, 3, 29, 7, 0),
        utc(2027, 4, 5, 7, 0),
    ]


def test_a_weekly_new_york_cadence_across_the_november_and_march_changes() -> None:
    # First Sunday of November 2026 (the 1st) and second Sunday of March 2027 (the 14th).
    rule = weekly(time(9, 30))
    assert next_occurrences(rule, NEW_YORK, after=utc(2026, 10, 20), count=3) == [
        utc(2026, 10, 26, 13, 30),
        utc(2026, 11, 2, 14, 30),
        utc(2026, 11, 9, 14, 30),
    ]
    assert next_occurrences(rule, NEW_YORK, after=utc(2027, 3, 2), count=2) == [
        utc(2027, 3, 8, 14, 30),
        utc(2027, 3, 15, 13, 30),
    ]


def test_the_weeks_between_the_european_and_american_changes_differ_in_utc_but_not_locally() -> None:
    # 26 Oct 2026: Berlin has changed, New York not yet; both are still at their own 09:00.
    monday = date(2026, 10, 26)
    assert local_instant(monday, time(9), BERLIN) == utc(2026, 10, 26, 8)
    assert local_instant(monday, time(9), NEW_YORK) == utc(2026, 10, 26, 13)


def test_every_two_weeks_is_anchored_on_its_start_date_across_both_berlin_changes() -> None:
    rule = weekly(time(9, 0), anchor=date(2026, 10, 14), every=2)  # a Wednesday: the first Monday is the 19th
    assert next_occurrences(rule, BERLIN, after=utc(2026, 10, 1), count=3) == [
        utc(2026, 10, 19, 7, 0),
        utc(2026, 11, 2, 8, 0),
        utc(2026, 11, 16, 8, 0),
    ]
    assert next_occurrences(rule, BERLIN, after=utc(2027, 3, 16), count=2) == [
        utc(2027, 3, 22, 8, 0),
        utc(2027, 4, 5, 7, 0),
    ]
    # Mondays and Thursdays from that Wednesday: Thursday the 15th opens the first week.
    both = weekly(time(9, 0), 0, 3, anchor=date(2026, 10, 14), every=2)
    assert next_occurrences(both, BERLIN, after=utc(2026, 10, 1), count=3) == [
        utc(2026, 10, 15, 7, 0),
        utc(2026, 10, 26, 8, 0),
        utc(2026, 10, 29, 8, 0),
    ]


def test_every_two_weeks_in_new_york_across_both_changes() -> None:
    rule = weekly(time(9, 30), anchor=date(2026, 10, 19), every=2)  # a Monday: the 19th itself is the first
    assert next_occurrences(rule, NEW_YORK, after=utc(2026, 10, 1), count=3) == [
        utc(2026, 10, 19, 13, 30),
        utc(2026, 11, 2, 14, 30),
        utc(2026, 11, 16, 14, 30),
    ]
    assert next_occurrences(rule, NEW_YORK, after=utc(2027, 3, 1), count=2) == [
        utc(2027, 3, 8, 14, 30),
        utc(2027, 3, 22, 13, 30),
    ]


def test_a_time_in_the_spring_gap_moves_to_the_first_instant_after_it() -> None:
    # 02:30 does not exist on 28 March 2027 in Berlin (02:00 -> 03:00) nor on 14 March 2027 in New York.
    assert local_instant(date(2027, 3, 28), time(2, 30), BERLIN) == utc(2027, 3, 28, 1, 0)  # 03:00 CEST
    assert local_instant(date(2027, 3, 14), time(2, 30), NEW_YORK) == utc(2027, 3, 14, 7, 0)  # 03:00 EDT
    sunday = weekly(time(2, 30), SUNDAY)
    assert next_occurrences(sunday, BERLIN, after=utc(2027, 3, 20), count=2) == [
        utc(2027, 3, 21, 1, 30),
        utc(2027, 3, 28, 1, 0),
    ]


def test_a_time_in_the_autumn_overlap_is_its_first_occurrence() -> None:
    # 02:30 happens twice on 25 October 2026 in Berlin, 01:30 twice on 1 November 2026 in New York.
    assert local_instant(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)  # still CEST
    assert local_instant(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)  # still EDT
    sunday = weekly(time(1, 30), SUNDAY)
    assert next_occurrences(sunday, NEW_YORK, after=utc(2026, 10, 30), count=2) == [
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 8, 6, 30),
    ]


def test_a_half_hour_zone_is_asked_at_its_own_wall_time() -> None:
    assert next_occurrence(weekly(time(9, 30)), KOLKATA, after=utc(2026, 11, 25)) == utc(2026, 11, 30, 4, 0)


def test_next_means_strictly_after_and_the_same_day_counts_when_still_ahead() -> None:
    rule = weekly(time(9, 30))
    assert next_occurrence(rule, BERLIN, after=utc(2026, 11, 30, 8, 29)) == utc(2026, 11, 30, 8, 30)
    assert next_occurrence(rule, BERLIN, after=utc(2026, 11, 30, 8, 30)) == utc(2026, 12, 7, 8, 30)


def test_several_weekdays_and_no_occurrence_before_the_anchor() -> None:
    rule = weekly(time(10), 0, 3, anchor=date(2026, 11, 27))  # Mondays and Thursdays from Friday the 27th
    found = list(islice(occurrence_dates(rule, start=date(2026, 11, 1)), 3))
    assert found == [date(2026, 11, 30), date(2026, 12, 3), date(2026, 12, 7)]


def test_a_round_starts_at_the_earliest_of_its_participants_wall_times() -> None:
    rule = weekly(time(9, 30))
    found = next_round(rule, [NEW_YORK, BERLIN, KOLKATA], after=utc(2026, 11, 25))
    assert (found.day, found.starts_at) == (date(2026, 11, 30), utc(2026, 11, 30, 4, 0))
    # Once Kolkata's 09:30 has passed, the Monday round has started: the next one is a week later.
    later = next_round(rule, [NEW_YORK, BERLIN, KOLKATA], after=utc(2026, 11, 30, 4, 0))
    assert later.day == date(2026, 12, 7)
    skipped = next_round(rule, [BERLIN], after=utc(2026, 11, 25), not_before=date(2026, 12, 1))
    assert (skipped.day, skipped.starts_at) == (date(2026, 12, 7), utc(2026, 12, 7, 8, 30))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval_weeks": 3}, "weekly"),
        ({"weekdays": ()}, "weekdays"),
        ({"weekdays": (7,)}, "weekdays"),
        ({"at": time(9, tzinfo=UTC)}, "wall time"),
    ],
)
def test_a_rule_refuses_what_it_cannot_mean(kwargs: dict, message: str) -> None:
    values = {"interval_weeks": 1, "weekdays": (0,), "at": time(9), "anchor": date(2026, 1, 1), **kwargs}
    with pytest.raises(ValueError, match=message):
        Rule(**values)


def test_describe_says_it_in_words() -> None:
    assert describe(weekly(time(9, 30))) == "every Monday at 09:30"
    assert describe(weekly(time(9, 30), 0, 3, every=2)) == "every other Monday and Thursday at 09:30"
    assert describe(weekly(time(8), 0, 1, 2, 3, 4)) == "every weekday at 08:00"
