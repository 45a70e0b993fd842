"""Long work in turns: a job (or a request) that reads or computes over thousands of rows gives the event loop
back every few hundred of them, so that requests and the sender, on the same loop, are never held for long
(bot.loop_lag's histogram on /metrics shows how long the loop was held; the aim is under 50 ms at a time)."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

ITEMS = 50  # outcomes or findings in a first batch; later batches are sized to take about BUDGET each
ROWS = 1000  # rows read between two turns
OBJECTS = 250  # ORM objects read between two turns (each costs several times a plain row)
RELEASE = 250  # objects freed between two turns (each may carry dozens of its own: an outcome's readings)
BUDGET = 0.010  # seconds of work between two turns: five of them stay well inside the 50 ms aim


async def a_turn() -> None:
    """Let every other task that is ready run once before going on."""
    await asyncio.sleep(0)


async def batches(items: Sequence[T], size: int = ITEMS, budget: float = BUDGET) -> AsyncIterator[Sequence[T]]:
    """`items` a batch at a time, with a turn for others between two batches. Items cost what they cost (an
    outcome with years of readings takes far longer than a new one), so each batch is sized from how long the
    one before took: about `budget` of work, whatever the items."""
    start = 0
    while start < len(items):
        if start:
            await a_turn()
        began = time.perf_counter()
        yield items[start : start + size]
        start += size
        spent = time.perf_counter() - began  # the caller's work on that batch (its awaits too: on the safe side)
        size = max(1, min(size * 4, int(size * budget / spent))) if spent > 0 else size * 4


async def each(items: Sequence[T], budget: float = BUDGET) -> AsyncIterator[T]:
    """`items` one at a time, with a turn for others whenever `budget` of work has gone by since the last: for
    items whose cost varies a lot (one outcome has a few readings, another years of them)."""
    last = time.perf_counter()
    for item in items:
        yield item
        if time.perf_counter() - last > budget:
            await a_turn()
            last = time.perf_counter()


async def release(*holders: list[Any] | dict[Any, Any], size: int = RELEASE) -> None:
    """Empties each list or dict a piece at a time, with a turn between: dropping what a large computation built
    all at once (a big workspace's snapshot, the rows it loaded) frees a hundred thousand objects in one go, which
    held the loop for tens of milliseconds at the end of the work. Only what nothing else holds is freed."""
    for holder in holders:
        while holder:
            if isinstance(holder, dict):
                for _ in range(min(size, len(holder))):
                    holder.popitem()
            else:
                del holder[-size:]
            await a_turn()


async def rows(session: AsyncSession, query: Any, size: int = ROWS) -> AsyncIterator[Sequence[Any]]:
    """The rows of `query` (Core rows), `size` at a time as the database sends them, with a turn between."""
    result = await session.stream(query.execution_options(yield_per=size))
    async for part in result.partitions(size):
        yield part
        await a_turn()


async def scalars(session: AsyncSession, query: Any, size: int = OBJECTS) -> list[Any]:
    """All the objects (or values) of `query`, read `size` at a time with a turn between: a long ORM load is
    several short holds of the loop instead of one long one."""
    found: list[Any] = []
    result = await session.stream_scalars(query.execution_options(yield_per=size))
    async for part in result.partitions(size):
        found += part
        await a_turn()
    return found


_deferring = 0  # how many computations are deferring full collections now (a request's and the job's may overlap)
_thresholds = gc.get_threshold()


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """The collector's full passes wait while a large snapshot is alive: each walks every live object, and with a
    big workspace's snapshot that is about 100 ms of holding the loop, several times a refresh. Young passes go
    on as usual; the snapshot is freed when the computation ends, so the deferred full pass is short."""
    global _deferring, _thresholds
    if _deferring == 0:
        _thresholds = gc.get_threshold()
        gc.set_threshold(_thresholds[0], _thresholds[1], 1_000_000)
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if _deferring == 0:
            gc.set_threshold(*_thresholds)
