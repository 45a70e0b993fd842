"""The plan of pings is a pure function: nudges in the decider's working hours, levels one after another,
acknowledgements pausing the walk, and a late scheduler neither skipping nor doubling a level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.attention import parse
from services.decisions.walk import Level, Pause, PingKind, Walk, due, level_key, next_at, nudge_key, plan

DECIDER = 1
ALEX, PRIYA = 2, 3
# Wednesday 2 December 2026, 14:00 UTC: 19:30 in Kolkata, 09:00 in New York.
DEADLINE = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
ASKED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PATH = (
    Level(wait=timedelta(minutes=60), include_decider=True, people=(ALEX,), post_in_channel=False),
    Level(wait=timedelta(minutes=120), people=(PRIYA,), post_in_channel=True),
)


def walk(zone: str = "Asia/Kolkata", **changes) -> Walk:
    values = {
        "decision_token": "7",
        "round": 1,
        "since": ASKED,
        "deadline": DEADLINE,
        "zone": ZoneInfo(zone),
        "decider_id": DECIDER,
        "levels": PATH,
        **changes,
    }
    return Walk(**values)


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %H:%M")


def nudge_times(w: Walk, zone: str) -> list[str]:
    return [local(p.at, zone) for p in plan(w) if p.kind is PingKind.NUDGE]


def test_nudges_land_in_the_deciders_working_hours_in_kolkata() -> None:
    # A day before is 19:30 in Kolkata: moved to 09:00 the next morning, still before the deadline.
    assert nudge_times(walk("Asia/Kolkata"), "Asia/Kolkata") == ["Wed 09:00", "Wed 17:30", "Wed 19:30"]


def test_nudges_for_a_decider_in_new_york() -> None:
    # A day before is 09:00 on Tuesday, inside working hours. Two hours before is 07:00: the next 09:00 is the
    # deadline itself, not before it, so the nudge stays at 07:00.
    assert nudge_times(walk("America/New_York"), "America/New_York") == ["Tue 09:00", "Wed 07:00", "Wed 09:00"]


def test_weekend_nudges_move_to_monday_and_merge() -> None:
    monday_ten = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    w = walk("Europe/Berlin", deadline=monday_ten.astimezone(UTC))
    # Sunday 10:00 and Monday 08:00 both become Monday 09:00: one nudge, then the one at the deadline.
    assert nudge_times(w, "Europe/Berlin") == ["Mon 09:00", "Mon 10:00"]
    assert [p.number for p in plan(w) if p.kind is PingKind.NUDGE] == [2, 3]


def test_no_nudge_before_the_decision_was_asked() -> None:
    w = walk(since=DEADLINE - timedelta(hours=3))
    assert [p.number for p in plan(w) if p.kind is PingKind.NUDGE] == [2, 3]


def test_level_one_at_the_deadline_then_each_level_after_its_wait() -> None:
    levels = [p for p in plan(walk()) if p.kind is PingKind.LEVEL]

    assert [(p.number, p.repeat, p.at - DEADLINE) for p in levels] == [
        (1, 0, timedelta(0)),
        (2, 0, timedelta(minutes=60)),
    ]
    # At the deadline the decider has the deadline nudge; level 1 adds Alex, not a second message to them.
    assert levels[0].people == (ALEX,)
    assert levels[1].people == (PRIYA,) and levels[1].in_channel


def test_repeats_are_spread_over_the_wait_and_include_the_decider() -> None:
    path = (Level(wait=timedelta(minutes=90), include_decider=True, repeats=2), Level(wait=timedelta(minutes=30)))
    levels = [p for p in plan(walk(levels=path)) if p.kind is PingKind.LEVEL]

    assert [(p.number, p.repeat, int((p.at - DEADLINE).total_seconds() // 60)) for p in levels] == [
        (1, 0, 0),
        (1, 1, 30),
        (1, 2, 60),
        (2, 0, 90),
    ]
    assert [p.people for p in levels[:3]] == [(), (DECIDER,), (DECIDER,)]


def test_a_late_level_moves_the_rest_of_the_walk_instead_of_firing_two_at_once() -> None:
    late = DEADLINE + timedelta(hours=5)  # the scheduler was down from the deadline until now
    w = walk(fired={nudge_key(7, 1, 3): late})

    first = due(w, late)
    assert [p.key for p in first if p.kind is PingKind.LEVEL] == [level_key(7, 1, 1, 0)]

    w = walk(fired={nudge_key(7, 1, 3): late, level_key(7, 1, 1, 0): late})
    assert [p.key for p in due(w, late)] == []
    assert next_at(w, late) == late + timedelta(minutes=60)


def test_stale_nudges_are_dropped_when_a_later_one_is_due() -> None:
    w = walk()
    after_deadline = DEADLINE + timedelta(minutes=1)

    assert [p.key for p in due(w, after_deadline)] == [nudge_key(7, 1, 3), level_key(7, 1, 1, 0)]


def test_an_acknowledgement_pauses_the_walk_for_its_window_then_it_resumes() -> None:
    acked_at = DEADLINE + timedelta(minutes=10)
    fired = {nudge_key(7, 1, 3): DEADLINE, level_key(7, 1, 1, 0): DEADLINE}
    w = walk(fired=fired, pauses=(Pause(acked_at, acked_at + timedelta(hours=4)),))

    assert due(w, DEADLINE + timedelta(minutes=60)) == []
    [level_two] = [p for p in plan(w) if p.number == 2 and p.kind is PingKind.LEVEL]
    assert level_two.at == acked_at + timedelta(hours=4)
    assert [p.key for p in due(w, acked_at + timedelta(hours=4))] == [level_key(7, 1, 2, 0)]


def test_an_acknowledgement_also_holds_a_level_that_was_due_but_not_sent_yet() -> None:
    fired = {nudge_key(7, 1, 3): DEADLINE, level_key(7, 1, 1, 0): DEADLINE}
    acked_at = DEADLINE + timedelta(minutes=61)  # level 2 was due a minute ago; the scheduler had not run
    w = walk(fired=fired, pauses=(Pause(acked_at, acked_at + timedelta(hours=4)),))

    assert due(w, acked_at + timedelta(seconds=30)) == []


def test_the_walk_ends_after_the_last_level() -> None:
    fired = {nudge_key(7, 1, n): DEADLINE for n in (1, 2, 3)}
    fired |= {level_key(7, 1, 1, 0): DEADLINE, level_key(7, 1, 2, 0): DEADLINE + timedelta(hours=1)}
    assert next_at(walk(fired=fired), DEADLINE + timedelta(days=3)) is None


def test_nudges_land_in_the_deciders_own_hours() -> None:
    monday_ten = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
    own = walk("Europe/Berlin", deadline=monday_ten, hours=parse("07:00-15:00 mon-thu"))
    # Sunday 10:00 moves to their 07:00 start; 08:00 is already inside their hours (not inside the default's).
    assert nudge_times(own, "Europe/Berlin") == ["Mon 07:00", "Mon 08:00", "Mon 10:00"]
    assert nudge_times(walk("Europe/Berlin", deadline=monday_ten), "Europe/Berlin") == ["Mon 09:00", "Mon 10:00"]


def test_a_level_that_reached_nobody_hands_over_to_the_next_at_once() -> None:
    path = (Level(wait=timedelta(minutes=90), people=(ALEX,), repeats=2), Level(wait=timedelta(minutes=30)))
    first = level_key(7, 1, 1, 0)
    w = walk(levels=path, fired={nudge_key(7, 1, 3): DEADLINE, first: DEADLINE}, moved_on=frozenset({first}))

    # Level 1's repeats go (nobody on it can hear them), and level 2 is due at once rather than 90 minutes on.
    assert [(p.number, p.repeat, p.at) for p in plan(w) if p.kind is PingKind.LEVEL] == [
        (1, 0, DEADLINE),
        (2, 0, DEADLINE),
    ]
    assert [p.key for p in due(w, DEADLINE)] == [level_key(7, 1, 2, 0)]
