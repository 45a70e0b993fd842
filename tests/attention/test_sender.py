"""Every new DM passes one attention policy in the sender: a day's budget, working hours, focus time, Slack's Do
Not Disturb and away dates, with what waited delivered once, as the person's "your day" round-up or later."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Delivery, DeliveryState, Person
from scheduler.sender import Sender
from services import people
from tests.support.outbox import delivery, dm, make_sender

pytest_plugins = ["tests.support.outbox_fixtures"]

PRIYA = "U0PRIYA"  # Asia/Kolkata
TUESDAY_10_IST = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
WEDNESDAY_9_IST = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)
SATURDAY_11_IST = datetime(2026, 12, 5, 5, 30, tzinfo=UTC)
MONDAY_9_IST = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


async def person(db, workspace, user: str = PRIYA, zone: str = "Asia/Kolkata", **fields) -> Person:
    async with db.sessions.begin() as session:
        found = await people.ensure_person(session, workspace=workspace, slack_user_id=user)
        found.timezone = zone
        for name, value in fields.items():
            setattr(found, name, value)
        return found


async def drain(sender: Sender) -> None:
    while (await sender.run_once()).claimed:
        pass


def dms(standin, user: str = PRIYA) -> list[str]:
    return [m["text"] for m in standin.messages(user)]


async def normal(db, workspace, clock, key: str, text: str, kind: str = "checkin.ask") -> Delivery:
    return await dm(db, workspace, clock, key, PRIYA, text, urgency=None, kind=kind)


@pytest.fixture
def snoozing(standin, clock, monkeypatch):
    """The stand-in answers dnd.info on the test's clock (its messages keep the real time's stamps)."""
    monkeypatch.setattr(standin.ws, "dnd_clock", lambda: clock.now().timestamp())
    return standin


async def test_six_normal_dms_in_one_morning_give_three_and_a_your_day_round_up_the_next_morning(
    db, workspace, clock, sender, standin
) -> None:
    await person(db, workspace)
    clock.set(TUESDAY_10_IST)
    for n in range(6):
        await normal(db, workspace, clock, f"ask:{n}", f"Question {n}?")
    await drain(sender)
    assert sorted(dms(standin)) == ["Question 0?", "Question 1?", "Question 2?"]  # the earliest due; sent together

    clock.set(WEDNESDAY_9_IST - timedelta(minutes=1))
    await drain(sender)
    assert len(dms(standin)) == 3  # nothing more before their working morning

    clock.set(WEDNESDAY_9_IST)
    await drain(sender)
    top = standin.messages(PRIYA)
    assert len(top) == 4 and top[-1]["text"].startswith("☀️ Your day: 3 messages waited")
    summary = str(top[-1]["blocks"])
    assert "Check-ins* (3)" in summary and "Question 5?" in summary
    replies = [m["text"] for m in standin.messages(PRIYA, thread_ts=top[-1]["ts"])]
    assert sorted(replies) == ["Question 3?", "Question 4?", "Question 5?"]
    async with db.sessions() as session:
        rows = (await session.scalars(select(Delivery).where(Delivery.interrupts == PRIYA))).all()
    assert {r.state for r in rows} == {DeliveryState.SENT}
    assert sum(r.held_reason == "over today's budget" for r in rows) == 3


async def test_an_escalation_goes_at_once_even_at_night_and_over_budget(db, workspace, clock, sender, standin) -> None:
    await person(db, workspace)
    clock.set(datetime(2026, 12, 1, 21, 30, tzinfo=UTC))  # 03:00 in Kolkata
    for n in range(4):
        await normal(db, workspace, clock, f"ask:{n}", f"Question {n}?")
    await dm(db, workspace, clock, "esc", PRIYA, "D-4 reached you", urgency=None, kind="decision.escalation")
    await drain(sender)
    assert dms(standin) == ["D-4 reached you"]
    assert (await delivery(db, "ask:0")).next_attempt_at == WEDNESDAY_9_IST


async def test_saturday_holds_everything_normal_until_monday_morning(db, workspace, clock, sender, standin) -> None:
    await person(db, workspace)
    clock.set(SATURDAY_11_IST)
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await dm(db, workspace, clock, "fyi", PRIYA, "O-3 was closed", urgency=None, kind="outcome.tell")
    await drain(sender)
    assert dms(standin) == []
    held = await delivery(db, "ask")
    assert (held.state, held.next_attempt_at, held.held_reason) == ("pending", MONDAY_9_IST, "outside working hours")
    clock.set(MONDAY_9_IST)
    await drain(sender)
    assert sorted(dms(standin)) == ["Anything blocking you?", "O-3 was closed"]


async def test_focus_time_holds_normal_dms_and_releases_them_when_it_ends(
    db, workspace, clock, sender, standin
) -> None:
    clock.set(TUESDAY_10_IST)
    await person(db, workspace, focus_until=TUESDAY_10_IST + timedelta(hours=2))
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await dm(db, workspace, clock, "esc", PRIYA, "D-4 reached you", urgency=None, kind="decision.escalation")
    await drain(sender)
    assert dms(standin) == ["D-4 reached you"]
    assert (await delivery(db, "ask")).held_reason == "focus time"
    clock.set(TUESDAY_10_IST + timedelta(hours=2))
    await drain(sender)
    assert dms(standin) == ["D-4 reached you", "Anything blocking you?"]


async def test_do_not_disturb_snoozed_in_slack_holds_until_the_snooze_ends(
    db, workspace, clock, sender, snoozing
) -> None:
    await person(db, workspace)
    clock.set(TUESDAY_10_IST)
    snoozing.ws.snooze(PRIYA, until=(TUESDAY_10_IST + timedelta(minutes=45)).timestamp())
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await normal(db, workspace, clock, "ask2", "And the launch?")
    await drain(sender)
    assert dms(snoozing) == []
    assert len(snoozing.calls_to("dnd.info")) == 1  # asked once for both: remembered briefly
    held = await delivery(db, "ask")
    assert (held.held_reason, held.next_attempt_at) == ("do not disturb", TUESDAY_10_IST + timedelta(minutes=45))
    clock.set(TUESDAY_10_IST + timedelta(minutes=45))
    await drain(sender)
    assert sorted(dms(snoozing)) == ["And the launch?", "Anything blocking you?"]


async def test_an_away_person_gets_one_round_up_when_back_not_a_burst(db, workspace, clock, sender, standin) -> None:
    await person(db, workspace, away_until=date(2026, 12, 4))
    clock.set(TUESDAY_10_IST)
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await dm(db, workspace, clock, "esc", PRIYA, "D-4 reached you", urgency=None, kind="decision.escalation")
    await drain(sender)
    assert dms(standin) == []
    clock.set(MONDAY_9_IST)
    await drain(sender)
    top = standin.messages(PRIYA)
    assert [m["text"] for m in top] == ["☀️ Your day: 2 messages waited for you"]
    assert "while you were away" in str(top[0]["blocks"])
    assert len(standin.messages(PRIYA, thread_ts=top[0]["ts"])) == 2


async def test_a_person_lowers_their_own_budget_below_the_workspaces(db, workspace, clock, sender, standin) -> None:
    await person(db, workspace, nudge_budget=1)
    clock.set(TUESDAY_10_IST)
    await normal(db, workspace, clock, "ask", "One?")
    await normal(db, workspace, clock, "ask2", "Two?")
    await drain(sender)
    assert dms(standin) == ["One?"]
    assert (await delivery(db, "ask2")).thread_of == f"attention:your-day:{PRIYA}:2026-12-02"


async def test_a_crash_between_holding_and_releasing_delivers_each_held_message_exactly_once(
    db, workspace, clock, clients, standin
) -> None:
    await person(db, workspace)
    clock.set(TUESDAY_10_IST)
    for n in range(6):
        await normal(db, workspace, clock, f"ask:{n}", f"Question {n}?")
    first = make_sender(db, clients, clock, name="first")
    await drain(first)
    del first  # the process that held them is gone; nothing it knew in memory survives

    clock.set(WEDNESDAY_9_IST)
    crashed = make_sender(db, clients, clock, name="crashed")
    async with db.sessions.begin() as session:  # it claims the morning's round-up, then dies before sending
        from services import delivery as states

        claimed = await states.claim(session, now=clock.now(), claimer=crashed.name, lease=timedelta(seconds=60),
                                     limit=10, per_workspace=10, held=[])  # fmt: skip
    assert [d.kind for d in claimed] == ["attention.your_day"]

    clock.set(WEDNESDAY_9_IST + timedelta(minutes=2))  # its lease has run out: two senders take over at once
    a, b = make_sender(db, clients, clock, name="a"), make_sender(db, clients, clock, name="b")
    for _ in range(4):
        await asyncio.gather(drain(a), drain(b))
    top = standin.messages(PRIYA)
    assert sorted(m["text"] for m in top[:3]) == ["Question 0?", "Question 1?", "Question 2?"]
    assert len(top) == 4
    replies = [m["text"] for m in standin.messages(PRIYA, thread_ts=top[-1]["ts"])]
    assert sorted(replies) == ["Question 3?", "Question 4?", "Question 5?"]


async def test_channel_posts_and_urgent_messages_count_but_channel_posts_are_never_held(
    db, workspace, clock, sender, standin
) -> None:
    await person(db, workspace)
    clock.set(SATURDAY_11_IST)
    async with db.sessions.begin() as session:
        from services import outbox

        post = await outbox.enqueue(session, workspace_id=workspace.id, key="thread", kind="checkin.thread",
                                    method="chat.postMessage", args={"channel": "C0GENERAL", "text": "Round 4"},
                                    not_before=clock.now())  # fmt: skip
    assert (post.interrupts, post.urgency) == (None, None)
    await drain(sender)
    assert [m["text"] for m in standin.messages("C0GENERAL")] == ["Round 4"]


async def test_ending_focus_or_changing_hours_brings_what_waited_now(db, workspace, clock, sender, standin) -> None:
    from services.attention import settings

    clock.set(TUESDAY_10_IST)
    await person(db, workspace, focus_until=TUESDAY_10_IST + timedelta(hours=2))
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await drain(sender)
    assert dms(standin) == []
    clock.advance(timedelta(minutes=10))
    async with db.sessions.begin() as session:
        priya = await session.scalar(select(Person).where(Person.slack_user_id == PRIYA))
        await settings.set_focus(session, person=priya, until=None, now=clock.now())  # /followthrough focus off
    await drain(sender)
    assert dms(standin) == ["Anything blocking you?"]

    clock.set(SATURDAY_11_IST)
    await normal(db, workspace, clock, "ask2", "And the launch?")
    await drain(sender)
    assert (await delivery(db, "ask2")).held_reason == "outside working hours"
    async with db.sessions.begin() as session:
        priya = await session.scalar(select(Person).where(Person.slack_user_id == PRIYA))
        await settings.set_hours(session, person=priya, typed="10:00-14:00 sat,sun", now=clock.now())
    await drain(sender)
    assert dms(standin) == ["Anything blocking you?", "And the launch?"]


async def test_coming_back_early_brings_the_round_up_now(db, workspace, clock, sender, standin) -> None:
    from services.attention.release import release_waiting

    await person(db, workspace, away_until=date(2026, 12, 4))
    clock.set(TUESDAY_10_IST)
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await drain(sender)
    clock.set(WEDNESDAY_9_IST + timedelta(hours=1))
    async with db.sessions.begin() as session:  # /checkin away off
        priya = await session.scalar(select(Person).where(Person.slack_user_id == PRIYA))
        priya.away_until = None
        await release_waiting(session, workspace_id=workspace.id, user=PRIYA, now=clock.now(), back=True)
    await drain(sender)
    [round_up] = standin.messages(PRIYA)
    assert "while you were away" in str(round_up["blocks"])
    assert [m["text"] for m in standin.messages(PRIYA, thread_ts=round_up["ts"])] == ["Anything blocking you?"]


async def test_a_dm_waiting_for_the_morning_is_not_a_backlog(db, workspace, clock, sender) -> None:
    from services import outbox

    await person(db, workspace)
    clock.set(SATURDAY_11_IST)
    await normal(db, workspace, clock, "ask", "Anything blocking you?")
    await drain(sender)
    clock.advance(timedelta(hours=6))
    async with db.sessions() as session:
        backlog = await outbox.backlog(session, now=clock.now())
    assert (backlog.by_state["pending"], backlog.due, backlog.oldest_age(clock.now())) == (1, 0, 0.0)


async def test_a_workspace_that_holds_urgent_dms_at_night_sends_them_in_the_morning(
    db, workspace, clock, sender, standin
) -> None:
    from models import AttentionSettings

    await person(db, workspace)
    async with db.sessions.begin() as session:
        session.add(AttentionSettings(workspace_id=workspace.id, urgent_outside_hours=False))
    clock.set(datetime(2026, 12, 1, 21, 30, tzinfo=UTC))  # 03:00 in Kolkata
    await dm(db, workspace, clock, "esc", PRIYA, "D-4 reached you", urgency=None, kind="decision.escalation")
    await drain(sender)
    assert dms(standin) == []
    assert (await delivery(db, "esc")).next_attempt_at == WEDNESDAY_9_IST
    clock.set(WEDNESDAY_9_IST)
    await drain(sender)
    assert dms(standin) == ["D-4 reached you"]
