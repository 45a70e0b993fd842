"""`/followthrough hours | focus | budget | attention`: a person's own working hours, focus time and budget, and
the workspace's attention settings, through the real app on both databases. Priya works from Kolkata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from models import AttentionSettings, Person
from services.attention import settings, stored
from tests.support.attention import followthrough
from tests.support.decisions import install_clock

# Monday 30 November 2026, 08:00 UTC: 13:30 in Kolkata.
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(harness) -> MovableClock:
    clock = MovableClock(START)
    install_clock(harness, clock)
    return clock


@pytest.fixture
def priya(harness):
    return harness.actor("U0PRIYA")


async def person(harness, user: str) -> Person:
    [found] = await harness.rows(Person, Person.slack_user_id == user)
    return found


async def test_hours_shows_the_default_then_sets_and_resets_them_in_the_persons_zone(harness, clock, priya) -> None:
    shown = await followthrough(harness, "hours", priya)
    assert "09:00–18:00 Mon–Fri* (the default), in your zone, Asia/Kolkata" in shown
    assert "`/followthrough hours 08:00-16:00 mon-thu`" in shown

    saved = await followthrough(harness, "hours 08:00-16:00 mon-thu", priya)

    assert "Saved: your working hours are *08:00–16:00 Mon–Thu*, in Asia/Kolkata" in saved
    assert stored((await person(harness, "U0PRIYA")).work_hours).describe() == "08:00–16:00 Mon–Thu"
    assert "08:00–16:00 Mon–Thu* (your own)" in await followthrough(harness, "hours", priya)
    assert "08:00–16:00 Mon–Thu* (your own)" in await followthrough(harness, "hours help", priya)  # not a bad time
    assert "Mon, Wed, Fri" in await followthrough(harness, "hours 8-16 mon wed fri", priya)  # every day kept
    assert (await followthrough(harness, "budget", priya)).strip().endswith("Lower it with `/followthrough budget 2`.")

    assert "09:00–18:00 Mon–Fri" in await followthrough(harness, "hours default", priya)
    assert (await person(harness, "U0PRIYA")).work_hours is None


async def test_hours_that_cannot_be_read_are_refused_in_words_and_nothing_changes(harness, clock, priya) -> None:
    await followthrough(harness, "hours 10-16 mon-wed", priya)

    backwards = await followthrough(harness, "hours 18:00-09:00", priya)
    garbled = await followthrough(harness, "hours <b>soon</b>", priya)

    assert backwards.startswith("Nothing was changed. The end must come after the start")
    assert garbled.startswith("Nothing was changed. Give a start and an end")
    assert stored((await person(harness, "U0PRIYA")).work_hours).describe() == "10:00–16:00 Mon–Wed"


async def test_focus_for_a_while_or_until_a_time_ends_at_that_moment_in_the_persons_zone(harness, clock, priya) -> None:
    two_hours = await followthrough(harness, "focus 2h", priya)

    assert "You're in focus time until *15:30* (Asia/Kolkata)" in two_hours
    assert "urgent ones still reach you" in two_hours
    assert (await person(harness, "U0PRIYA")).focus_until == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)

    assert "until *15:00*" in await followthrough(harness, "focus until 15:00", priya)
    assert (await person(harness, "U0PRIYA")).focus_until == datetime(2026, 11, 30, 9, 30, tzinfo=UTC)

    assert "until *15:00*" in await followthrough(harness, "focus", priya)
    assert "until *15:00*" in await followthrough(harness, "focus 90m", priya)  # 13:30 + 1 h 30 min
    assert "Focus time is off" in await followthrough(harness, "focus off", priya)
    assert (await person(harness, "U0PRIYA")).focus_until is None


async def test_focus_until_a_time_already_past_or_too_long_is_refused_not_guessed(harness, clock, priya) -> None:
    past = await followthrough(harness, "focus until 12:00", priya)  # 12:00 in Kolkata was 90 minutes ago
    long = await followthrough(harness, "focus 13h", priya)
    unread = await followthrough(harness, "focus later", priya)

    assert past == "Nothing was changed. That time has already passed today; pick a later one.\n"
    assert "at most 12 hours" in long and "`/checkin away`" in long
    assert "I couldn't read “later”" in unread
    assert (await person(harness, "U0PRIYA")).focus_until is None


async def test_a_person_lowers_their_own_budget_but_cannot_raise_it_past_the_workspaces(harness, clock, priya) -> None:
    assert "*3 DMs* that aren't urgent per working day (the workspace's" in await followthrough(
        harness, "budget", priya
    )

    assert "at most *2 DMs*" in await followthrough(harness, "budget 2", priya)
    refused = await followthrough(harness, "budget 5", priya)

    assert refused.startswith("Nothing was changed. Choose between 1 and 3, the workspace's budget")
    own = await followthrough(harness, "budget", priya)
    assert "*2 DMs* that aren't urgent per working day (your own; the workspace allows 3)" in own
    assert "at most *3 DMs*" in await followthrough(harness, "budget default", priya)
    assert (await person(harness, "U0PRIYA")).nudge_budget is None
    assert "Give a number" in await followthrough(harness, "budget lots", priya)


async def test_admins_change_the_workspace_settings_and_the_sender_reads_them(harness, clock, priya) -> None:
    shown = await followthrough(harness, "attention", priya)  # anyone may read them
    assert "Daily budget: *3 DMs*" in shown and "Urgent DMs outside working hours: *sent at once*" in shown
    await followthrough(harness, "budget 2", priya)

    budget = await followthrough(harness, "attention budget 4")  # the harness's own user is a Slack admin
    night = await followthrough(harness, "attention urgent-at-night hold")

    assert budget.startswith("Saved.") and "Daily budget: *4 DMs*" in budget
    assert "*held* until the person's next working morning" in night
    [row] = await harness.rows(AttentionSettings)
    assert (row.daily_budget, row.urgent_outside_hours) == (4, False)
    async with harness.db.sessions() as session:
        who = await person(harness, "U0PRIYA")
        assert await settings.effective(session, row.workspace_id, who) == (2, False)  # her own, lower one
        who.nudge_budget = None
        assert await settings.effective(session, row.workspace_id, who) == (4, False)
    assert "between 1 and 20" in await followthrough(harness, "attention budget 50")
    assert "I can't read `budget many`" in await followthrough(harness, "attention budget many")


async def test_someone_who_is_not_an_admin_is_told_who_can_change_the_settings(harness, clock, priya) -> None:
    refused = await followthrough(harness, "attention budget 9", priya)
    noise = await followthrough(harness, "noise", priya)

    assert refused.startswith("Only workspace admins can change the workspace's attention settings.")
    assert noise.startswith("Only admins see the noise report") and "nothing was changed" not in noise.lower()
    assert await harness.rows(AttentionSettings) == []


async def test_help_lists_the_attention_commands_and_other_words_still_reach_help(harness, clock) -> None:
    overview = await followthrough(harness, "help")
    assert "`/followthrough hours 08:00-16:00 mon-thu`" in overview and "`/followthrough noise`" in overview
    assert "I don't know `focusing`" in await followthrough(harness, "focusing")
