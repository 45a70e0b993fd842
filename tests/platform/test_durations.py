"""One way to show a length of time (handlers.kit.text.duration), used wherever a duration shows: escalation
paths, snoozes, check-in reminders and digests, how late a decision is (issue 10 item 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.checkins.blocks.setup import digest_label, remind_label
from handlers.kit.text import duration


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (90, "1 h 30 min"),
        (240, "4 h"),
        (1440, "1 day"),
        (1500, "1 day 1 h"),
        (2 * 1440 + 4 * 60, "2 days 4 h"),
        (7 * 1440, "7 days"),
        (timedelta(hours=4), "4 h"),
    ],
)
def test_exact_lengths(length, words: str) -> None:
    assert duration(length) == words


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=3), "3 min"),
        (timedelta(minutes=90), "2 h"),
        (timedelta(hours=35), "35 h"),
        (timedelta(hours=40), "2 days"),
        (-timedelta(hours=5), "5 h"),
    ],
)
def test_rough_lengths_keep_the_largest_unit(length, words: str) -> None:
    assert duration(length, rough=True) == words


def test_check_in_reminders_and_digests_say_hours_and_days() -> None:
    assert remind_label(240) == "4 h after they're asked"
    assert digest_label(1440) == "1 day after the first ask"
    assert remind_label(None) == "Don't remind them"
