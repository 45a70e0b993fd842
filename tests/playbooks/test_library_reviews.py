"""Evergreen playbooks on a movable clock: the owner gets one "still right?" DM per interval without a review,
none after confirming (until the next interval), none twice after a rerun or a restart; Confirm is the owner's or
an admin's, Edit opens the form; and an overdue playbook is a health finding (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.playbooks.library.ids import LibraryIds
from models import HealthFinding
from services import health
from tests.support.outbox import make_sender
from tests.support.playbooks import (
    START,
    Reviews,
    create,
    dm_texts,
    edit_values,
    install_clock,
    opened_steps,
    playbooks,
    press,
    private_answers,
    say,
    shown,
    submit,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")
DAY = timedelta(days=1)
ASK = "Is PB-1 still right?"


@pytest.fixture
async def reviews(harness, clock, clients, sender) -> Reviews:
    clock.set(START)
    install_clock(harness, clock)
    await create(harness, review="30")
    return Reviews(harness, clock, clients, sender)


def asks(harness) -> list[str]:
    return [t for t in dm_texts(harness, "U0LOCAL") if t == ASK]


async def test_the_owner_is_asked_once_per_interval_and_confirming_starts_the_interval_again(harness, reviews) -> None:
    assert await reviews.at(START + 29 * DAY) == 0
    assert await reviews.at(START + 30 * DAY + timedelta(hours=1)) == 1
    assert asks(harness) == [ASK]
    dm = harness.standin.messages("U0LOCAL")[-1]
    assert "*PB-1* Checkout incident still right?" in dm["blocks"][0]["text"]["text"]

    for days in (31, 45, 59):
        assert await reviews.at(START + days * DAY) == 0
    assert await reviews.at(START + 60 * DAY + timedelta(minutes=1)) == 1  # a second interval without a review
    assert len(asks(harness)) == 2

    await press(harness, harness.me, LibraryIds.CONFIRM)
    assert "✅ Thanks: *PB-1* Checkout incident is reviewed." in private_answers(harness)[-1]
    [playbook] = await playbooks(harness)
    assert playbook.reviewed_at == reviews.clock.now() and playbook.review_asked_at is None
    for days in (61, 80, 89):
        assert await reviews.at(START + days * DAY) == 0
    assert await reviews.at(START + 91 * DAY) == 1
    assert len(asks(harness)) == 3


async def test_a_rerun_a_second_scheduler_or_a_restart_sends_nothing_twice(harness, reviews, db, clients) -> None:
    reviews.clock.set(START + 30 * DAY + timedelta(hours=1))
    assert await reviews.job() == 1
    assert await reviews.job() == 0
    restarted = Reviews(harness, reviews.clock, clients, make_sender(db, clients, reviews.clock, name="restarted"))
    assert await restarted.job() == 0
    await restarted.deliver()
    await reviews.deliver()
    assert asks(harness) == [ASK]


async def test_publishing_a_version_counts_as_a_review(harness, reviews) -> None:
    reviews.clock.set(START + 20 * DAY)
    await say(harness, "edit PB-1")
    await submit(harness, edit_values(opened_steps(harness) + "\n+2h | Timeline | lead", changelog="add timeline"))
    assert await reviews.at(START + 31 * DAY) == 0
    assert await reviews.at(START + 50 * DAY + timedelta(minutes=1)) == 1


async def test_only_the_owner_or_an_admin_confirms_and_edit_opens_the_form(harness, reviews) -> None:
    await reviews.at(START + 30 * DAY + timedelta(hours=1))
    await press(harness, harness.actor("U0ALEX"), LibraryIds.CONFIRM)
    assert "its owner), or a workspace admin, can confirm the review of PB-1" in private_answers(harness)[-1]
    [playbook] = await playbooks(harness)
    assert playbook.review_asked_at is not None and playbook.reviewed_at == START

    await press(harness, harness.actor("U0OTHER", team_id="T0OTHER"), LibraryIds.CONFIRM)
    assert "I can't find PB-1 in this workspace." in private_answers(harness)[-1]

    await press(harness, harness.me, LibraryIds.EDIT)
    assert opened_steps(harness).startswith("now | Declare the incident | incident lead")


async def test_an_overdue_playbook_is_a_health_finding_for_its_owner_until_confirmed(harness, reviews) -> None:
    async with harness.db.sessions.begin() as session:
        await health.refresh(session, workspace_id=(await playbooks(harness))[0].workspace_id,
                             now=START + 29 * DAY)  # fmt: skip
    assert [f for f in await harness.rows(HealthFinding) if f.subject == "PB-1"] == []

    later = START + 31 * DAY
    reviews.clock.set(later)
    async with harness.db.sessions.begin() as session:
        await health.refresh(session, workspace_id=(await playbooks(harness))[0].workspace_id, now=later)
    [finding] = [f for f in await harness.rows(HealthFinding) if f.subject == "PB-1"]
    assert finding.kind == "playbook_unreviewed" and finding.resolved_at is None
    assert "last reviewed 31 days ago" in finding.evidence
    listed = await harness_health(harness)
    assert "Playbook due for review" in shown(listed) and "last reviewed 31 days ago" in shown(listed)

    button = next(e for b in listed["blocks"] for e in b.get("elements") or []
                  if e.get("type") == "button" and e["text"]["text"] == "Confirm it is still right")  # fmt: skip
    await harness.slack.block_action(harness.me, {**button, "block_id": "x"}, message={"ts": "1.000001"})
    assert "✅ *PB-1* Checkout incident is reviewed" in private_answers(harness)[-1]
    assert (await playbooks(harness))[0].reviewed_at == later
    async with harness.db.sessions.begin() as session:
        await health.refresh(session, workspace_id=(await playbooks(harness))[0].workspace_id, now=later)
    [finding] = [f for f in await harness.rows(HealthFinding) if f.subject == "PB-1"]
    assert finding.resolved_at is not None


async def harness_health(harness) -> dict:
    response = await harness.slack.command(harness.me, "/followthrough", "health")
    return response.json()
