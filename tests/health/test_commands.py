"""`/followthrough health`: the checks run when asked, what they find is stored, and the private answer shows the
findings of the scope asked for (yours, everyone's, a channel's, a person's, one ref's), most severe first, with
their buttons; help with the thresholds here; admins' settings. Through the real app, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from handlers.health.blocks.ids import HealthIds
from handlers.kit.shared_ids import SharedIds
from models import HealthFinding, HealthSettings, Insight, Outcome
from tests.support.decisions import install_clock
from tests.support.health import START, button, buttons, decision_with, health, outcome_with, seed, stored
from tests.support.outcomes import all_text

FALLING = [(30, 40.0), (20, 35.0), (10, 30.0)]  # marked on track all the while


@pytest.fixture
def clock(harness) -> MovableClock:
    clock = MovableClock(START)
    install_clock(harness, clock)
    return clock


async def small_workspace(session, workspace, people) -> None:
    """O-1 (yours, #general): on track while falling. O-2 (alex's): quiet for 20 days. D-1 (priya's): 4 days late."""
    await outcome_with(session, workspace, people["U0LOCAL"], 1, now=START, values=FALLING, channel="C0GENERAL")
    await outcome_with(session, workspace, people["U0ALEX"], 2, now=START, values=[(20, 60.0)], channel="C0OTHER")
    await decision_with(session, workspace, people["U0PRIYA"], 1, deadline=START - timedelta(days=4))


def said(body: dict) -> str:
    return f"{body['text']}\n{all_text(body.get('blocks', []))}"


async def test_health_alone_shows_your_own_findings_most_severe_first_with_their_buttons(harness, clock) -> None:
    await seed(harness, small_workspace)

    body = await health(harness)

    assert body["response_type"] == "ephemeral"
    text = said(body)
    assert "*Needs attention on you*: 2 findings" in text
    assert "Status and numbers disagree" in text and "Marked on track, but signups moved 10% of the way away" in text
    assert "Behind pace" in text and "O-2" not in text and "D-1" not in text
    labels = [b["text"]["text"] for b in buttons(body["blocks"])]
    # The owner logs progress rather than asking themself for an update.
    assert sorted(labels) == ["Log progress", "Mark at risk", "Snooze a week", "Snooze a week"]
    log = button(body["blocks"], "Log progress")
    assert (log["action_id"], log["value"]) == (SharedIds.LOG_PROGRESS, "O-1")
    assert {f.kind for f in await stored(harness)} == {"contradicted", "behind_pace", "stale", "decision_overdue"}


async def test_all_a_channel_a_person_and_a_ref_each_show_their_own(harness, clock) -> None:
    await seed(harness, small_workspace)

    everyone = said(await health(harness, "all"))
    assert "*Needs attention in this workspace*: 4 findings" in everyone
    assert everyone.index("D-1") < everyone.index("O-2")  # the late decision (high) before the quiet outcome
    assert "O-1" in said(await health(harness, "<#C0GENERAL|general>")) and "O-2" not in said(
        await health(harness, "<#C0GENERAL|general>")
    )
    alex = said(await health(harness, "<@U0ALEX|alex>"))
    assert "No recent update" in alex and "No update for 20 days." in alex and "O-1" not in alex
    assert "*Needs attention on O-2*: 1 finding" in said(await health(harness, "o2"))
    decision = said(await health(harness, "D-1"))
    assert "Decision past its deadline" in decision and "4 days past its deadline" in decision
    assert button((await health(harness, "D-1"))["blocks"], "Remind the decider")["action_id"] == HealthIds.DO
    assert "Nothing needs attention in this channel right now." in said(
        await health(harness, "channel", actor=harness.actor("U0PRIYA", channel_id="C0QUIET"))
    )


async def test_an_unknown_ref_or_word_is_answered_in_words(harness, clock) -> None:
    await seed(harness, small_workspace)

    assert "I can't find O-99 in this workspace." in said(await health(harness, "O-99"))
    assert "I don't know `health frobnicate`" in said(await health(harness, "frobnicate"))
    # Only `health …` is ours: the rest of /followthrough is still help, which now names the health command.
    overview = await harness.slack.command(harness.me, "/followthrough", "healthy")
    assert "I don't know `healthy`" in said(overview.json()) and "/followthrough health" in said(overview.json())


async def test_more_than_ten_show_ten_and_say_how_many_more(harness, clock) -> None:
    async def many(session, workspace, people) -> None:
        for number in range(1, 13):
            await outcome_with(session, workspace, people["U0LOCAL"], number, now=START, values=[(20, 60.0)])

    await seed(harness, many)
    body = await health(harness)

    # Twelve quiet outcomes, and more of them than one owner can watch.
    assert "*Needs attention on you*: 13 findings" in said(body) and "…and 3 more." in said(body)
    assert len([b for b in buttons(body["blocks"]) if b["action_id"] == HealthIds.SNOOZE]) == 10
    assert len(body["blocks"]) <= 50


async def test_help_shows_what_findings_mean_and_the_thresholds_here(harness, clock) -> None:
    await seed(harness, small_workspace)

    text = said(await health(harness, "help"))

    assert "What each finding means" in text and "A bottleneck" in text
    assert "`stale_days` *14*: days without an update" in text
    assert "`weekly` *monday 9*" in text


async def test_an_admin_changes_a_threshold_and_the_next_check_uses_it(harness, clock) -> None:
    async def quiet_for_twelve_days(session, workspace, people) -> None:
        await outcome_with(session, workspace, people["U0ALEX"], 1, now=START, values=[(12, 60.0)])

    await seed(harness, quiet_for_twelve_days)
    assert "Nothing needs attention in this workspace" in said(await health(harness, "all"))

    assert "Saved. `stale_days` *10* (default 14)" in said(await health(harness, "settings stale_days 10"))

    assert "No update for 12 days." in said(await health(harness, "all"))
    assert "`stale_days` *10* (default 14)" in said(await health(harness, "help"))
    assert "Saved. `weekly` *friday 16*" in said(await health(harness, "weekly friday 16"))
    [settings] = await harness.rows(HealthSettings)
    assert (settings.thresholds, settings.weekly_day, settings.weekly_hour) == ({"stale_days": 10}, 4, 16)


async def test_settings_are_for_admins_and_a_bad_value_changes_nothing(harness, clock) -> None:
    await seed(harness, small_workspace)
    alex = harness.actor("U0ALEX")

    refused = said(await health(harness, "settings stale_days 3", actor=alex))
    assert "Only workspace admins can change the health settings" in refused
    assert "stale_days takes a number like 14" in said(await health(harness, "settings stale_days lots"))
    assert "I don't know the setting “sleepiness”" in said(await health(harness, "settings sleepiness 3"))
    assert "Say a day and an hour" in said(await health(harness, "weekly someday 9"))
    assert await harness.rows(HealthSettings) == []
    listed = said(await health(harness, "settings"))
    assert "`max_open_outcomes` *5*" in listed and "Admins change one" in listed


async def test_a_finding_no_longer_made_is_resolved_when_asked_again(harness, clock) -> None:
    await seed(harness, small_workspace)
    await health(harness, "all")

    response = await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-2 65 onboarding shipped")
    assert response.status_code == 200
    await health(harness, "all")

    [stale] = await stored(harness, HealthFinding.kind == "stale")
    assert stale.resolved_at == START


async def test_one_outcomes_findings_come_with_what_customers_say(harness, clock) -> None:
    async def with_voices(session, workspace, people) -> None:
        await small_workspace(session, workspace, people)
        [outcome] = await session.scalars(select(Outcome).where(Outcome.number == 1))
        for n, quote in enumerate(["Too pricey for a team of five", "We would pay for the export today"]):
            session.add(Insight(workspace_id=workspace.id, outcome_id=outcome.id, quote=quote, source="Dana, Acme",
                                author_id=people["U0ALEX"].id, created_at=START - timedelta(days=2 - n)))  # fmt: skip

    await seed(harness, with_voices)

    text = said(await health(harness, "O-1"))
    assert "Status and numbers disagree" in text and "*What customers say*" in text
    assert text.index("“We would pay for the export today” — Dana, Acme") < text.index("“Too pricey")  # newest first
    assert "What customers say" not in said(await health(harness, "O-2"))  # none for O-2: nothing added
