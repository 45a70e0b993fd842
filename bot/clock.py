"""Time as a dependency: everything time-dependent takes a Clock (or an explicit `now`), so tests move time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class MovableClock:
    """A clock for tests: stands still until told to move; sleeping moves it instead of waiting."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _aware(start or datetime(2026, 11, 25, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> datetime:
        self._now = _aware(when)
        return self._now

    def advance(self, by: float | timedelta) -> datetime:
        self._now += by if isinstance(by, timedelta) else timedelta(seconds=by)
        return self._now

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)  # still yield, so other tasks run as they would during a real sleep


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("give the clock an aware datetime")
    return when.astimezone(UTC)
