"""Long work in turns: a job (or a request) that reads or computes over thousands of rows gives the event loop
back every few hundred of them, so that requests and the sender, on the same loop, are never held for long
(bot.loop_lag's histogram on /metrics shows how long the loop was held; the aim is under 50 ms at a time)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

ITEMS = 250  # outcomes or findings worked through between two turns: a few milliseconds of CPU each batch
ROWS = 1000  # rows read between two turns


async def a_turn() -> None:
    """Let every other task that is ready run once before going on."""
    await asyncio.sleep(0)


async def batches(items: Sequence[T], size: int = ITEMS) -> AsyncIterator[Sequence[T]]:
    """`items` a batch at a time, with a turn for others between two batches."""
    for start in range(0, len(items), size):
        if start:
            await a_turn()
        yield items[start : start + size]


async def rows(session: AsyncSession, query: Any, size: int = ROWS) -> AsyncIterator[Sequence[Any]]:
    """The rows of `query` (Core rows), `size` at a time as the database sends them, with a turn between."""
    result = await session.stream(query.execution_options(yield_per=size))
    async for part in result.partitions(size):
        yield part
        await a_turn()


async def scalars(session: AsyncSession, query: Any, size: int = ROWS) -> list[Any]:
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
