"""How late the event loop runs a periodic wake-up: the time one piece of work held the loop (a job's CPU, a slow
synchronous call) and made every request, the sender and the other jobs wait.

`watch` sleeps a short interval again and again and records, in a Prometheus histogram kept on `Metrics`, how
much later than asked it woke. The web app and the standalone scheduler each run one for their process.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

INTERVAL = 0.1  # seconds between wake-ups: a stall shorter than this may be missed, a longer one never is
# Upper bounds in seconds: under 50 ms nobody notices; a second means Slack's 3 s ack is at risk.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class LoopLag:
    """A histogram of wake-up delays (cumulative buckets, as Prometheus counts them), and the worst seen."""

    def __init__(self) -> None:
        self.buckets = [0] * len(BUCKETS)  # observations per bucket, not yet cumulative
        self.count = 0
        self.sum = 0.0
        self.worst = 0.0

    def observe(self, seconds: float) -> None:
        index = bisect.bisect_left(BUCKETS, seconds)
        if index < len(BUCKETS):
            self.buckets[index] += 1
        self.count += 1
        self.sum += seconds
        self.worst = max(self.worst, seconds)

    def cumulative(self) -> list[tuple[str, int]]:
        """(le, observations at most le) per bucket, ending with +Inf."""
        running, found = 0, []
        for bound, n in zip(BUCKETS, self.buckets, strict=True):
            running += n
            found.append((repr(bound), running))
        return [*found, ("+Inf", self.count)]


async def watch(lag: LoopLag, interval: float = INTERVAL) -> None:
    """Until cancelled: sleep `interval`, record how much later than that the loop woke us."""
    loop = asyncio.get_running_loop()
    while True:
        asked = loop.time() + interval
        await asyncio.sleep(interval)
        lag.observe(max(0.0, loop.time() - asked))


@asynccontextmanager
async def watching(lag: LoopLag, interval: float = INTERVAL) -> AsyncIterator[None]:
    """Runs `watch` for the lifetime of the block (an app's lifespan)."""
    task = asyncio.create_task(watch(lag, interval), name="event-loop-lag")
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
