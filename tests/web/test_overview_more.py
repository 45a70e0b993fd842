"""The overview's pace of each outcome (its lagging metric against the straight path to target), its filters by
channel and priority and "include closed", and the outcome page's charts drawn once per unchanged data. Through
the real app, on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.clock import MovableClock
from handlers.web import charts
from models import OutcomeStatus, Priority
from tests.support.decisions import install_clock
from tests.support.health import outcome_with, seed
from tests.support.outcomes import define
from tests.web.test_pages import svgs
from tests.web.test_sign_in import browser, sign_in_link

__all__ = ["browser"]  # the fixture


def row_of(page: str, ref: str) -> str:
    found = re.search(rf'<li class="outcome" data-ref="{ref}">(.*?)</li>', page, re.DOTALL)
    assert found is not None, f"{ref} is not listed"
    return found[1]


def refs(page: str) -> set[str]:
    return set(re.findall(r'data-ref="(O-\d+)"', page))


async def four_paces(session, workspace, people) -> None:
    # Created 60 days ago, due in 40: about 60% of the way expected by today, on a 0 to 100 metric.
    now, owner = datetime.now(UTC), people["U0LOCAL"]
    for number, values in ((1, [(2, 90.0)]), (2, [(2, 58.0)]), (3, [(9, 10.0), (2, 20.0)]), (4, [])):
        await outcome_with(session, workspace, owner, number, now=now, values=values, age=60, left=40)


async def test_each_outcome_shows_its_pace_against_the_straight_path(harness, browser) -> None:
    await seed(harness, four_paces)
    await browser.get(await sign_in_link(harness))

    page = (await browser.get("/web/")).text

    assert '<span class="pace ahead">ahead</span>' in row_of(page, "O-1")
    assert '<span class="pace on-pace">on pace</span>' in row_of(page, "O-2")
    assert '<span class="pace behind">behind</span>' in row_of(page, "O-3")
    assert '<span class="pace no-reading">no reading</span>' in row_of(page, "O-4")


async def spread_out(session, workspace, people) -> None:
    now, owner = datetime.now(UTC), people["U0LOCAL"]
    growth = Priority(workspace_id=workspace.id, number=1, title="Grow the mid-market", rank=1)
    quality = Priority(workspace_id=workspace.id, number=2, title="Fewer incidents", rank=2)
    session.add_all([growth, quality])
    await session.flush()
    sales = await outcome_with(session, workspace, owner, 1, now=now, values=[], channel="C0SALES")
    eng = await outcome_with(session, workspace, owner, 2, now=now, values=[], channel="C0ENG")
    await outcome_with(session, workspace, owner, 3, now=now, values=[], channel="C0ENG")
    closed = await outcome_with(session, workspace, owner, 4, now=now, values=[], channel="C0SALES",
                                status=OutcomeStatus.DONE)  # fmt: skip
    sales.parent_priority_id = closed.parent_priority_id = growth.id
    eng.parent_priority_id = quality.id
    await session.flush()


async def test_the_channel_and_priority_filters_narrow_the_tree(harness, browser) -> None:
    await seed(harness, spread_out)
    await browser.get(await sign_in_link(harness))

    everything = (await browser.get("/web/")).text
    assert refs(everything) == {"O-1", "O-2", "O-3"}
    assert '<option value="C0ENG" >#C0ENG</option>' in everything
    assert '<option value="P-2" >P-2 Fewer incidents</option>' in everything

    assert refs((await browser.get("/web/?channel=C0ENG")).text) == {"O-2", "O-3"}
    assert refs((await browser.get("/web/?priority=P-1")).text) == {"O-1"}
    assert refs((await browser.get("/web/?channel=C0ENG&priority=P-2")).text) == {"O-2"}
    chosen = (await browser.get("/web/?channel=C0SALES")).text
    assert '<option value="C0SALES" selected>#C0SALES</option>' in chosen


async def test_include_closed_shows_a_done_outcome(harness, browser) -> None:
    await seed(harness, spread_out)
    await browser.get(await sign_in_link(harness))

    assert "O-4" not in refs((await browser.get("/web/")).text)
    page = (await browser.get("/web/?closed=1")).text

    assert "O-4" in refs(page) and '<span class="status done">done</span>' in row_of(page, "O-4")
    assert 'name="closed" value="1" checked' in page  # the box stays ticked
    assert refs((await browser.get("/web/?closed=1&channel=C0SALES")).text) == {"O-1", "O-4"}


async def test_a_chart_is_drawn_once_for_unchanged_data_and_again_after_a_new_reading(harness, browser,
                                                                                     monkeypatch) -> None:  # fmt: skip
    drawn = []
    draw = charts.svg
    monkeypatch.setattr(charts, "svg", lambda *args: drawn.append(args[0].name) or draw(*args))
    charts.clear_cache()
    await define(harness, title="Faster onboarding")
    clock = MovableClock(datetime.now(UTC))
    install_clock(harness, clock)
    clock.advance(timedelta(days=7))
    await harness.slack.command(harness.me, "/progress", "O-1 24 first cohort")
    install_clock(harness, MovableClock(datetime.now(UTC)))  # the sign-in link is read at the real time
    await browser.get(await sign_in_link(harness))

    first = svgs((await browser.get("/web/outcomes/O-1")).text)
    again = svgs((await browser.get("/web/outcomes/O-1")).text)

    assert again == first and len(drawn) == 2  # the lagging metric and the leading indicator, drawn once each
    install_clock(harness, clock)
    clock.advance(timedelta(days=7))
    await harness.slack.command(harness.me, "/progress", "O-1 29 second cohort")
    install_clock(harness, MovableClock(datetime.now(UTC)))

    after = svgs((await browser.get("/web/outcomes/O-1")).text)

    assert after[0] != first[0] and "readings: 29%" in after[0] and "readings: 29%" not in first[0]
    assert after[1] == first[1]  # the leading indicator has no new reading: drawn from the cache
    assert len(drawn) == 3
