"""Following through on a movable clock: the owner hears on the morning it is due (09:00 in their zone), once
more the working day after it slips, then only in the Monday round-up. Done, snooze, reassign and drop end or
move what was planned; running the job twice, or restarting between the job and the sender, sends nothing twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.actions.blocks.ids import ActionIds
from models import ActionStatus
from tests.support.actions import (
    ALEX,
    PRIYA,
    START,
    Nudges,
    at,
    capture_text,
    dm_texts,
    dms,
    form_values,
    history,
    install_clock,
    only_action,
    press,
    submit_latest,
)
from tests.support.outbox import make_sender

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
WED, THU, FRI = date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)
MON, NEXT_MON = date(2026, 12, 7), date(2026, 12, 14)


@pytest.fixture
async def nudges(harness, clock, clients, sender) -> Nudges:
    clock.set(START)
    install_clock(harness, clock)
    return Nudges(harness, clock, clients, sender)


async def alex_owns_one(harness, nudges: Nudges, due: str = "by 2026-12-02") -> None:
    """You (New York) give Alex (Berlin, 09:00 is 08:00 UTC in winter) an item due Wednesday 2 December."""
    said = await capture_text(harness, f"{ALEX} send the pricing deck {due}")
    assert "A-1" in said, said
    await nudges.deliver()
    assert [t for t in dm_texts(harness, "U0ALEX") if "gave you" in t]  # told once that it is theirs


def nudge_texts(harness, user: str) -> list[str]:
    return [t for t in dm_texts(harness, user) if "gave you" not in t]


async def test_the_owner_hears_on_the_due_morning_once_when_it_slips_then_only_on_mondays(harness, nudges) -> None:
    await alex_owns_one(harness, nudges)
    await nudges.at(at(WED, 7, 59))
    assert nudge_texts(harness, "U0ALEX") == []
    await nudges.at(at(WED, 8, 0))  # 09:00 in Berlin
    due_day = dms(harness, "U0ALEX")[-1]
    assert due_day["text"].startswith("Due today: A-1")
    buttons = [e["action_id"] for b in due_day["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ActionIds.DONE.value, ActionIds.SNOOZE.value]

    await nudges.sweep(at(NEXT_MON, 23, 0))
    assert [t.split(":")[0] for t in nudge_texts(harness, "U0ALEX")] == [
        "Due today",  # Wed 2 Dec
        "Slipped past its date",  # Thu 3 Dec
        "Still open past their dates",  # Mon 7 Dec
        "Still open past their dates",  # Mon 14 Dec
    ]
    sent_at = [datetime.fromtimestamp(float(m["ts"]), UTC) for m in dms(harness, "U0ALEX")]
    assert len(sent_at) == 5
    assert await history(harness, await only_action(harness)) == [
        "created", "nudged:due", "nudged:overdue", "nudged:weekly", "nudged:weekly",
    ]  # fmt: skip


async def test_the_morning_follows_the_owners_zone_across_the_end_of_daylight_saving(harness, nudges) -> None:
    nudges.clock.set(datetime(2026, 10, 28, 12, 0, tzinfo=UTC))
    await capture_text(harness, "@me check the contract by 2026-10-30")  # you, in New York: Friday, still EDT
    await capture_text(harness, "@me sign the contract by 2026-11-02")  # Monday, EST
    await nudges.at(datetime(2026, 10, 30, 12, 59, tzinfo=UTC))
    assert nudge_texts(harness, "U0LOCAL") == []
    await nudges.at(datetime(2026, 10, 30, 13, 0, tzinfo=UTC))  # 09:00 EDT
    assert nudge_texts(harness, "U0LOCAL") == ["Due today: A-1 check the contract"]
    await nudges.at(datetime(2026, 11, 2, 13, 0, tzinfo=UTC))  # 08:00 EST: not yet
    assert len(nudge_texts(harness, "U0LOCAL")) == 1
    await nudges.at(datetime(2026, 11, 2, 14, 0, tzinfo=UTC))  # 09:00 EST: A-2 due, A-1 slipped: one message
    assert nudge_texts(harness, "U0LOCAL")[1:] == ["Due today: A-2 sign the contract and 1 more"]


async def test_running_the_job_twice_or_restarting_before_sending_sends_nothing_twice(
    harness, nudges, db, clients, clock
) -> None:
    await alex_owns_one(harness, nudges)
    clock.set(at(WED, 8, 0))
    assert await nudges.job() == 1
    assert await nudges.job() == 0  # a second run (or a second scheduler) finds nothing due
    restarted = Nudges(harness, clock, clients, make_sender(db, clients, clock, name="after-restart"))
    assert await restarted.job() == 0
    await restarted.deliver()
    await nudges.deliver()
    assert nudge_texts(harness, "U0ALEX") == ["Due today: A-1 send the pricing deck"]


async def test_done_tells_the_creator_once_and_nothing_more_is_sent(harness, nudges) -> None:
    await alex_owns_one(harness, nudges)
    await nudges.at(at(WED, 8, 0))
    await press(harness, harness.actor("U0ALEX"), ActionIds.DONE)
    await press(harness, harness.actor("U0ALEX"), ActionIds.DONE)  # a second press changes nothing
    await nudges.deliver()
    assert (await only_action(harness)).status is ActionStatus.DONE
    assert [t for t in dm_texts(harness, "U0LOCAL") if "done" in t] == [
        "✅ <@U0ALEX> marked *A-1* done: send the pricing deck"
    ]
    await nudges.sweep(at(NEXT_MON, 12, 0), step=timedelta(hours=6))
    assert nudge_texts(harness, "U0ALEX") == ["Due today: A-1 send the pricing deck"]


async def test_snooze_moves_the_due_morning_to_the_new_date(harness, nudges) -> None:
    await alex_owns_one(harness, nudges)
    await press(harness, harness.actor("U0ALEX"), ActionIds.SNOOZE)
    form = {ActionIds.UNTIL.value: {ActionIds.UNTIL.value: {"type": "datepicker", "selected_date": "2026-12-09"}}}
    body = await submit_latest(harness, form, harness.actor("U0ALEX"))
    assert body["response_action"] == "update", body
    await nudges.sweep(at(date(2026, 12, 9), 7, 0), step=timedelta(hours=3))
    assert nudge_texts(harness, "U0ALEX") == []  # nothing on 2 or 3 December any more
    await nudges.at(at(date(2026, 12, 9), 8, 0))
    assert nudge_texts(harness, "U0ALEX") == ["Due today: A-1 send the pricing deck"]
    assert "snoozed" in await history(harness, await only_action(harness))


async def test_reassign_tells_the_new_owner_and_their_morning_takes_over(harness, nudges) -> None:
    await alex_owns_one(harness, nudges)
    await press(harness, harness.me, ActionIds.REASSIGN)
    form = {ActionIds.NEW_OWNER.value: {ActionIds.NEW_OWNER.value: {"type": "users_select",
                                                                    "selected_user": "U0PRIYA"}}}  # fmt: skip
    body = await submit_latest(harness, form)
    assert body["response_action"] == "update", body
    await nudges.deliver()
    assert [t for t in dm_texts(harness, "U0PRIYA") if "gave you" in t]
    await nudges.at(at(WED, 3, 30))  # 09:00 in Kolkata
    assert nudge_texts(harness, "U0PRIYA") == ["Due today: A-1 send the pricing deck"]
    await nudges.sweep(at(FRI, 12, 0))
    assert nudge_texts(harness, "U0ALEX") == []


async def test_drop_needs_a_reason_and_ends_the_reminders(harness, nudges) -> None:
    await alex_owns_one(harness, nudges)
    await press(harness, harness.actor("U0ALEX"), ActionIds.DROP)
    reason = {ActionIds.REASON.value: {ActionIds.REASON.value: {"type": "plain_text_input", "value": ""}}}
    assert (await submit_latest(harness, reason, harness.actor("U0ALEX")))["response_action"] == "errors"
    reason[ActionIds.REASON.value][ActionIds.REASON.value]["value"] = "Globex signed already"
    assert (await submit_latest(harness, reason, harness.actor("U0ALEX")))["response_action"] == "update"
    await nudges.sweep(at(MON, 12, 0), step=timedelta(hours=4))
    action = await only_action(harness)
    assert (action.status, action.drop_reason) == (ActionStatus.DROPPED, "Globex signed already")
    assert nudge_texts(harness, "U0ALEX") == []


async def test_one_owner_with_twelve_overdue_items_gets_at_most_two_messages_a_week(harness, nudges) -> None:
    for n in range(12):
        await capture_text(harness, f"@me follow up with customer {n + 1} by 2026-12-02", harness.actor("U0ALEX"))
    await nudges.sweep(at(date(2026, 12, 6), 23, 0))  # the week of the due day: Mon 30 Nov to Sun 6 Dec
    first_week = len(dms(harness, "U0ALEX"))
    await nudges.sweep(at(date(2026, 12, 13), 23, 0))  # the week after: all twelve overdue
    second_week = len(dms(harness, "U0ALEX")) - first_week
    print(f"\nDMs to one owner with 12 overdue items: {first_week} in the week they fell due, "
          f"{second_week} in the week after")  # fmt: skip
    assert first_week == 2 and second_week == 1
    roundup = dms(harness, "U0ALEX")[-1]
    assert roundup["text"].startswith("Still open past their dates: A-1") and "and 11 more" in roundup["text"]
    assert len(roundup["blocks"]) <= 50
    assert "…and 2 more" in str(roundup["blocks"])


async def test_reassigning_to_priya_with_a_mention_in_one_line_tells_her(harness, nudges) -> None:
    await capture_text(harness, f"{PRIYA} book the venue in 3 days")
    await nudges.deliver()
    assert dm_texts(harness, "U0PRIYA") == ["<@U0LOCAL> gave you *A-1*: book the venue"]


async def test_a_form_created_item_follows_the_same_plan(harness, nudges) -> None:
    await harness.slack.command(harness.me, "/action", "")
    await submit_latest(harness, form_values(owner="U0ALEX", due="2026-12-02"))
    await nudges.at(at(WED, 8, 0))
    assert nudge_texts(harness, "U0ALEX") == ["Due today: A-1 Send the pricing deck to Globex"]
