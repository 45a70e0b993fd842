"""Long work in turns (services/turns.py): what a big job built is let go a piece at a time, so that requests and the
sender on the same loop get a turn while a hundred thousand objects are freed."""

from __future__ import annotations

import asyncio
import gc
import weakref

from services import turns


class Held:
    """Something a snapshot holds (an outcome's view): freed when nothing else holds it."""


async def _turns_taken_by_another_task_during(work) -> int:
    taken = 0
    finished = False

    async def other() -> None:
        nonlocal taken
        while not finished:
            taken += 1
            await asyncio.sleep(0)

    watcher = asyncio.create_task(other())
    await asyncio.sleep(0)  # the other task is running before the work starts
    before = taken
    await work
    finished = True
    await watcher
    return taken - before


async def test_release_empties_lists_and_dicts_and_frees_what_they_alone_held() -> None:
    outcomes = [Held() for _ in range(1000)]
    rows = {n: Held() for n in range(600)}
    kept = outcomes[10]  # also held elsewhere: must survive
    gc.collect()
    watched = [weakref.ref(x) for x in (*outcomes, *rows.values())]

    await turns.release(outcomes, rows, size=250)

    assert outcomes == [] and rows == {}
    alive = [ref() for ref in watched if ref() is not None]
    assert alive == [kept]


async def test_release_gives_other_tasks_a_turn_between_pieces() -> None:
    outcomes = [Held() for _ in range(1000)]
    rows = {n: Held() for n in range(600)}

    taken = await _turns_taken_by_another_task_during(turns.release(outcomes, rows, size=250))

    # 1,000 in 4 pieces and 600 in 3: a turn after each piece, none of them freed all at once
    assert taken >= 7


async def test_release_of_nothing_takes_no_turn() -> None:
    assert await _turns_taken_by_another_task_during(turns.release([], {})) == 0
