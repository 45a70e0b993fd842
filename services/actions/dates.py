"""Due dates as people type them: `tomorrow`, `friday`, `2026-12-04`, `in 3 days`; read in the typer's zone."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EXAMPLES = "`by friday`, `by tomorrow`, `by 2026-12-04` or `in 3 days`"
_IN = re.compile(r"^(\d{1,3}|a|an|one)\s+(day|days|week|weeks|working\s+days?|business\s+days?)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def weekday_of(word: str) -> int | None:
    """`fri`, `friday`, `Fri.` -> 4."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(WEEKDAYS) if name.startswith(word)), None)


def next_weekday(today: date, weekday: int) -> date:
    """The coming one, a week ahead when it is today: on a Friday, "by friday" means next week's."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def parse_by(text: str, today: date) -> date | None:
    """What follows `by`: today, tomorrow, a weekday (`next friday` too), or a date written YYYY-MM-DD."""
    words = text.lower().split()
    if words and words[0] == "next" and len(words) == 2:
        words = words[1:]
    if len(words) != 1:
        return None
    word = words[0]
    if word in ("today", "tonight", "eod"):
        return today
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if word in ("eow", "weekend"):
        return next_weekday(today - timedelta(days=1), 4)
    match = _ISO.match(word)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    weekday = weekday_of(word)
    return next_weekday(today, weekday) if weekday is not None else None


def parse_in(text: str, today: date) -> date | None:
    """What follows `in`: `3 days`, `2 weeks`, `a week`, `5 working days`."""
    match = _IN.match(" ".join(text.lower().split()))
    if not match:
        return None
    count = 1 if match[1] in ("a", "an", "one") else int(match[1])
    unit = match[2]
    if unit.startswith(("working", "business")):
        return add_working_days(today, count)
    return today + timedelta(days=count * (7 if unit.startswith("week") else 1))
