"""`/meeting settings`: anyone reads the workspace's meeting settings, only admins change them (a friendly
refusal otherwise, nothing stored), values out of range are explained, and coming meetings the gate hasn't
looked at yet take the new timings. Another workspace keeps its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import MeetingSettings
from tests.support.meeting_jobs import MeetingJobs, meeting_row
from tests.support.meetings import install_clock, schedule

pytest_plugins = ["tests.support.outbox_fixtures"]

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # 10:00 in New York, where Dana organises


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> MeetingJobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return MeetingJobs(harness, clock, clients, sender)


async def settings(harness, text: str = "", actor=None) -> str:
    response = await harness.slack.command(actor or harness.me, "/meeting", f"settings {text}".strip())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_type"] == "ephemeral"
    return body["text"]


async def test_anyone_reads_the_defaults(harness, jobs) -> None:
    said = await settings(harness, actor=harness.actor("U0PRIYA"))
    assert "The gate looks 24 h before each start" in said and "*warns*" in said
    assert "reminder goes 3 h before the start" in said and "Time-box notes in the meeting's thread: *on*" in said
    assert await harness.rows(MeetingSettings) == []


async def test_only_admins_change_them_and_a_refusal_stores_nothing(harness, jobs) -> None:
    priya = harness.actor("U0PRIYA")
    for change in ("gate block", "gate 48h", "reminder 6h", "timeboxes off"):
        said = await settings(harness, change, actor=priya)
        assert said == "Only workspace admins can change the meeting settings. Ask one of them; nothing was changed."
    assert await harness.rows(MeetingSettings) == []
    assert "*warns*" in await settings(harness, actor=priya)


async def test_an_admin_changes_each_setting_and_is_told_what_they_are_now(harness, jobs) -> None:
    assert "*blocks*: a meeting still not ready at its start is cancelled" in await settings(harness, "gate block")
    assert "The gate looks 48 h before" in await settings(harness, "gate 48 hours")
    assert "reminder goes 6 h before" in await settings(harness, "reminder 6h")
    assert "Time-box notes in the meeting's thread: *off*" in await settings(harness, "timeboxes off")
    assert "*warns*" in await settings(harness, "gate warn")
    [stored] = await harness.rows(MeetingSettings)
    now = (stored.gate_hours, stored.gate_blocks, stored.remind_hours, stored.timebox_messages)
    assert now == (48, False, 6, False)


async def test_values_out_of_range_or_not_understood_are_explained_and_change_nothing(harness, jobs) -> None:
    assert await settings(harness, "gate 500h") == "Choose between 2 and 168 hours for the gate."
    assert await settings(harness, "reminder 0h") == "Choose between 1 and 48 hours for the reminder."
    said = await settings(harness, "reminder <soon> & later")
    assert said.startswith("I don't follow `settings reminder &lt;soon&gt; &amp; later`. Try `/meeting settings gate")
    assert "I don't follow" in await settings(harness, "timeboxes maybe")
    assert "I take the gate in whole hours, like `36h`" in await settings(harness, "gate 2d")
    assert await harness.rows(MeetingSettings) == []


async def test_coming_meetings_not_yet_looked_at_take_the_new_timings(harness, jobs) -> None:
    body = await schedule(harness, start=WEDNESDAY)  # ready: the gate will look and say nothing
    assert body["response_action"] == "update"
    body = await schedule(harness, start=NOW + timedelta(hours=5), pre_reads="")
    assert body["response_action"] == "update"
    await jobs.at(NOW + timedelta(minutes=30))  # M-2 is flagged
    flagged = await meeting_row(harness, 2)
    assert flagged.gate_flagged_at is not None
    before = await meeting_row(harness)
    assert before.gate_at == WEDNESDAY - timedelta(hours=24)

    said = await settings(harness, "gate 48h")
    assert said.startswith("Done. 1 coming meeting takes the new timing.")
    assert (await meeting_row(harness)).gate_at == WEDNESDAY - timedelta(hours=48)
    assert (await meeting_row(harness, 2)).gate_at == flagged.gate_at  # looked at already: it stays as it was
    assert "2 coming meetings take" in await settings(harness, "reminder 6h")
    assert (await meeting_row(harness)).remind_at == WEDNESDAY - timedelta(hours=6)


async def test_another_workspace_keeps_its_own_settings(harness, jobs) -> None:
    await settings(harness, "gate block")
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    assert "*warns*" in await settings(harness, actor=stranger)
    assert "Only workspace admins" in await settings(harness, "gate block", actor=stranger)
    [ours] = await harness.rows(MeetingSettings)
    assert ours.gate_blocks
