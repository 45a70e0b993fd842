"""A series' health: the figures, computed from meetings and action items (numbers first), then as
`/meeting series M-4` shows them to those invited, and to nobody else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from handlers.actions.blocks.ids import ActionIds
from handlers.meetings.blocks.ids import MeetingIds
from models import AgendaItem, ItemOutcome, Meeting, MeetingStatus, OutcomeReached, PreRead, PreReadReader
from services.meetings.health import ActionFact, Share, health
from tests.support.actions import press as press_action
from tests.support.meeting_outcomes import Jobs, add_topic, command_text, record, schedule_series
from tests.support.meetings import NOW as FIRST_NOW
from tests.support.meetings import STARTS, install_clock, press, schedule

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
ALEX, PRIYA, NICK = "U0ALEX", "U0PRIYA", "U0NICK"
AGENDA = "Pricing options — @alex — 15 decide\nLaunch date | Priya Raman | 20 discuss"
pytest_plugins = ["tests.support.outbox_fixtures"]


def meeting(status: MeetingStatus, starts: datetime, *, items=(), reads=None, reached=None) -> Meeting:
    """`reads`: for one pre-read, when each reader said they had read it (None: not yet); no list, no pre-read."""
    pre_reads = [] if reads is None else [PreRead(readers=[PreReadReader(read_at=at) for at in reads])]
    made = [AgendaItem(outcome=outcome, over_time=over) for outcome, over in items]
    return Meeting(status=status, starts_at=starts, items=made, pre_reads=pre_reads, outcome_reached=reached)


def test_the_figures_count_meetings_items_outcomes_and_action_items_so_far() -> None:
    start = NOW - 7 * DAY
    meetings = [
        meeting(
            MeetingStatus.HELD,
            start - 7 * DAY,
            reads=[start - 8 * DAY, start - 7 * DAY - DAY / 2],
            items=[(ItemOutcome.DECIDED, False), (ItemOutcome.ACTIONS, True), (ItemOutcome.CARRIED, False)],
            reached=OutcomeReached.YES,
        ),
        meeting(
            MeetingStatus.HELD,
            start,
            reads=[start - DAY, start + DAY / 24],
            items=[(ItemOutcome.DONE, False)],
            reached=OutcomeReached.PARTLY,
        ),  # one read after the start  # fmt: skip
        meeting(MeetingStatus.ASYNC, start + DAY, reads=[None], items=[(None, None)]),
        meeting(MeetingStatus.CANCELLED, start + 2 * DAY, reads=[None]),
        meeting(MeetingStatus.SCHEDULED, NOW - DAY / 24, items=[(None, None)]),  # under way, not recorded, no pre-read
        meeting(MeetingStatus.SCHEDULED, NOW + 6 * DAY, reads=[None]),  # still to come: not counted
    ]
    today = NOW.date()
    facts = [
        ActionFact(date(2026, 12, 4), date(2026, 12, 3), False, today),  # on time
        ActionFact(date(2026, 12, 4), date(2026, 12, 4), False, today),  # on the day: on time
        ActionFact(date(2026, 12, 4), date(2026, 12, 5), False, today),  # late
        ActionFact(date(2026, 12, 4), None, False, today),  # overdue
        ActionFact(date(2026, 12, 20), None, False, today),  # not due yet
        ActionFact(date(2026, 12, 4), None, True, today),  # dropped: not counted
    ]
    found = health(meetings, facts, NOW)
    assert (found.so_far, found.met, found.made_async, found.cancelled) == (5, 3, 1, 1)
    assert found.pre_read == Share(1, 3) and found.pre_read.percent == 33
    assert found.in_time == Share(2, 3) and found.in_time.percent == 67
    assert found.reached == {OutcomeReached.YES: 1, OutcomeReached.PARTLY: 1, OutcomeReached.NO: 0}
    assert found.actions_on_time == Share(2, 4) and found.actions_not_due == 1


def test_a_series_with_nothing_behind_it_has_no_shares_yet() -> None:
    found = health([meeting(MeetingStatus.SCHEDULED, NOW + DAY)], [], NOW)
    assert (found.so_far, found.pre_read, found.in_time, found.actions_on_time) == (0, Share(0, 0), Share(0, 0),
                                                                                   Share(0, 0))  # fmt: skip
    assert found.pre_read.percent is None


async def test_series_shows_the_health_to_those_invited_and_to_nobody_else(harness, clock, clients, sender) -> None:
    clock.set(FIRST_NOW)
    install_clock(harness, clock)
    jobs = Jobs(harness, clock, clients, sender)
    harness.standin.add_user(NICK, name="nick", real_name="Nick Ross", tz="America/New_York")
    await schedule_series(harness, harness.actor(ALEX), attendees=[PRIYA], agenda=AGENDA)
    await press(harness, harness.actor(PRIYA), MeetingIds.READ, "M-1:1")  # before the start
    clock.set(STARTS)
    assert await jobs.series() == 1  # M-2
    clock.set(STARTS + timedelta(minutes=50))
    await record(harness, harness.actor(ALEX), {
        1: {"outcome": "decided", "decision": "Tiered — simplest"},
        2: {"outcome": "actions", "actions": "@priya draft the email by 2026-12-03\n@alex send the deck by 2026-12-03"},
    }, over=[1], reached="partly")  # fmt: skip
    await press_action(harness, harness.actor(PRIYA), ActionIds.DONE, "A-1")  # on time
    await add_topic(harness, harness.actor(PRIYA), "Churn — 5 discuss", ref="M-2")
    await press(harness, harness.actor(ALEX), MeetingIds.CANCEL, "M-2")
    clock.set(datetime(2026, 12, 9, 12, 0, tzinfo=UTC))  # A-2 was due on the 3rd

    shown = await command_text(harness, harness.actor(PRIYA), "series M-2")
    assert "*Pricing review* · every week · 2 meetings so far, 1 of them met" in shown
    assert "Every pre-read read before the start: 1 of 1 meeting (100%)" in shown
    assert "Items finished inside their time-box: 1 of 2 items (50%)" in shown
    assert "Desired outcome reached: yes 0 · partly 1 · no 0" in shown
    assert "Action items done on time: 1 of 2 items (50%) due so far" in shown
    assert "Made async: 0 · cancelled: 1" in shown
    assert "✅ M-1 <!date^" in shown and "⚪ M-2 <!date^" in shown
    assert "Only those invited to it, or a workspace admin" in await command_text(
        harness, harness.actor(NICK), "series M-1"
    )
    assert "2 meetings so far" in await command_text(harness, harness.me, "series M-1")  # Dana, an admin
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    assert "can't find M-1" in await command_text(harness, stranger, "series M-1")
    once = await schedule(harness, harness.actor(ALEX), attendees=[PRIYA], agenda="", start=STARTS + timedelta(days=10))
    assert once["response_action"] == "update", once
    assert "M-3 happens once" in await command_text(harness, harness.actor(ALEX), "series M-3")
