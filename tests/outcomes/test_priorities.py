"""/priority: a ranked list anyone can read and only admins change."""

from __future__ import annotations

import pytest

from models import Priority
from tests.support.outcomes import all_text, define, reply_text


async def listed(harness, actor=None) -> str:
    body = (await harness.slack.command(actor or harness.me, "/priority", "")).json()
    return all_text(body["blocks"])


async def test_admins_add_rank_rename_and_archive(harness) -> None:
    for title in ("Grow self-serve revenue", "Cut churn", "Ship the mobile app"):
        await harness.slack.command(harness.me, "/priority", f"add {title}")

    assert "Added *P-4* Win enterprise at position 4" in reply_text(
        await harness.slack.command(harness.me, "/priority", "add   Win   enterprise")
    )
    assert "*P-3* Ship the mobile app is now number 1" in reply_text(
        await harness.slack.command(harness.me, "/priority", "rank p-3 1")
    )
    assert "*P-2* is now called Cut churn below 2%" in reply_text(
        await harness.slack.command(harness.me, "/priority", "rename P-2 Cut churn below 2%")
    )
    assert "*P-1* Grow self-serve revenue is archived" in reply_text(
        await harness.slack.command(harness.me, "/priority", "archive 1")
    )

    text = await listed(harness)
    assert text.index("1. *P-3* Ship the mobile app") < text.index("2. *P-2* Cut churn below 2%")
    assert "3. *P-4* Win enterprise" in text and "Grow self-serve" not in text
    ranks = {p.number: p.rank for p in await harness.rows(Priority) if p.archived_at is None}
    assert ranks == {3: 1, 2: 2, 4: 3}


async def test_the_list_counts_the_open_outcomes_serving_each(harness) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    await define(harness, parent="P-1")
    await define(harness, parent="P-1", title="Second")
    await harness.slack.command(harness.me, "/progress", "O-2 at-risk")

    assert "1. *P-1* Grow self-serve revenue · 2 open outcomes, 1 at risk or off track" in await listed(harness)


async def test_anyone_reads_the_list_but_only_admins_change_it(harness) -> None:
    alex = harness.actor("U0ALEX")
    assert "A workspace admin can add them" in await listed(harness, alex)
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")

    for typed in ("add Mine", "rank P-1 1", "rename P-1 Mine", "archive P-1"):
        answer = reply_text(await harness.slack.command(alex, "/priority", typed))
        assert "Only workspace admins can manage priorities" in answer

    [priority] = await harness.rows(Priority)
    assert (priority.title, priority.archived_at) == ("Grow self-serve revenue", None)
    assert "*P-1* Grow self-serve revenue" in await listed(harness, alex)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("rank P-9 1", "can't find P-9"),
        ("rank P-1 7", "Pick a position from 1 to 1"),
        ("add " + "x" * 151, "within 150 characters"),
        ("archive P-1", None),
        ("rename P-1", "The new title for P-1 is missing. Type it after the ref: `/priority rename P-1 Grow revenue`."),
        ("rename", "Say which priority, then its new title: `/priority rename P-2 Grow revenue`."),
        ("rename Grow revenue", "`Grow` is not a priority ref such as `P-2`"),
        ("rank P-1", "The position for P-1 is missing, 1 for the top: `/priority rank P-1 1`."),
        ("rank P-1 top", "The position is a number, 1 for the top"),
        ("archive", "Say which priority: `/priority archive P-2`."),
        ("archive P-1 now", "Archive takes just the ref: `/priority archive P-1`."),
    ],
)
async def test_bad_requests_change_nothing(harness, typed, says) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    if says is None:  # archiving twice
        await harness.slack.command(harness.me, "/priority", typed)
        says = "already archived"
    answer = reply_text(await harness.slack.command(harness.me, "/priority", typed))
    assert says in answer and "Nothing was changed" in answer
    assert "I don't know" not in answer and answer.lower().count("nothing was") == 1
    assert len(await harness.rows(Priority)) == 1


@pytest.mark.parametrize("typed", ["help", "shuffle everything", "add"])
async def test_help_and_unknown_words(harness, typed) -> None:
    body = (await harness.slack.command(harness.me, "/priority", typed)).json()
    text = all_text(body["blocks"]) if "blocks" in body else body["text"]
    if typed == "add":
        assert "Give the priority a title" in text
        return
    assert "/priority rank P-2 1" in text
    assert ("I don't know" in text) == (typed != "help")
