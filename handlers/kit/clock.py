"""One clock for every listener: a middleware puts the request's `now` in the context.

Listeners declare `now: datetime` and Bolt passes it in, as it does `db`, `workspace` and `person`; the
scheduler's jobs get theirs from the same clock. Tests hand the app a movable clock instead of the system's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from weakref import WeakKeyDictionary

from slack_bolt.app.async_app import AsyncApp

from bot.clock import Clock

_clocks: WeakKeyDictionary[AsyncApp, Clock] = WeakKeyDictionary()


def use_clock(app: AsyncApp, clock: Clock) -> None:
    """Every request of `app` sees `clock`'s time as `now`; calling it again swaps the clock (tests move time)."""
    first = app not in _clocks
    _clocks[app] = clock
    if not first:
        return

    async def provide_now(context: dict, next: Callable[[], Awaitable[None]]) -> None:
        current = _clocks[app]
        context["clock"] = current
        context["now"] = current.now()
        await next()

    app.use(provide_now)


def clock_of(app: AsyncApp) -> Clock:
    return _clocks[app]
