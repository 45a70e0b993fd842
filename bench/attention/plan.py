"""The simulated team and its four weeks, planned up front from one seed (pure: no database, no Slack).

30 people in three zones; each owns 2–5 outcomes and is in 2 check-in cadences (their zone's team channel on
Monday mornings and a cross-zone project channel on Thursdays). Each week each person is asked for 0–4
decisions (by a teammate, with a deadline 1–3 working days on at 17:00 their time) and attends 2–4 meetings
with a pre-read (one in six with an agenda the gate flags); over the four weeks each owns 5–15 action items
with due dates. People answer some of it: about half the decisions are decided before the deadline and a
fifth within a day after it, half the action items are done before they fall due, 60% of pre-reads are read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kolkata")
TAGS = {"America/New_York": "NY", "Europe/Berlin": "BE", "Asia/Kolkata": "IN"}
START = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # a Monday; no daylight-saving change in the next four weeks
WEEKS = 4


@dataclass(frozen=True)
class Member:
    user: str
    name: str
    zone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


@dataclass(frozen=True)
class Cadence:
    channel: str
    name: str
    members: tuple[str, ...]
    weekday: int
    at: str


@dataclass(frozen=True)
class Event:
    """Something a person does at `at`: ask for a decision, decide, create an action item, schedule a meeting."""

    at: datetime
    kind: str  # decision.ask, decision.decide, action.create, action.done, meeting.create, meeting.read
    ref: int  # the planned item's number, to find it again for a later event
    data: dict = field(default_factory=dict)


@dataclass
class Plan:
    people: list[Member]
    cadences: list[Cadence]
    outcomes: dict[str, int]  # how many each person owns
    events: list[Event]
    counts: dict[str, int]
    weeks: int = WEEKS

    @property
    def end(self) -> datetime:
        return START + timedelta(weeks=self.weeks)


def team(per_zone: int) -> list[Member]:
    return [
        Member(f"U{TAGS[zone]}{n:02d}", f"{TAGS[zone].lower()}{n:02d}", zone) for zone in ZONES for n in range(per_zone)
    ]


def working_moment(rng: random.Random, day: date, zone: ZoneInfo, first: int = 9, last: int = 17) -> datetime:
    """A moment on `day` between first:00 and last:00 in `zone`, to the minute, in UTC."""
    minute = rng.randrange(first * 60, last * 60)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone).astimezone(UTC)


def working_days_on(day: date, days: int) -> date:
    while days > 0 or day.weekday() >= 5:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def weekdays(week: int, first: int = 0, last: int = 4) -> list[date]:
    monday = START.date() + timedelta(weeks=week)
    return [monday + timedelta(days=d) for d in range(first, last + 1)]


def cadences(people: list[Member]) -> list[Cadence]:
    found = []
    for zone in ZONES:
        members = tuple(p.user for p in people if p.zone == zone)
        found.append(Cadence(f"C{TAGS[zone]}TEAM", f"team-{TAGS[zone].lower()}", members, 0, "09:30"))
    for project in range(3):
        members = tuple(p.user for i, p in enumerate(people) if i % 3 == project)
        found.append(Cadence(f"CPROJ{project}", f"project-{project}", members, 3, "10:00"))
    return found


def decisions(rng: random.Random, people: list[Member], events: list[Event], weeks: int) -> int:
    n = 0
    for week in range(weeks):
        for decider in people:
            for _ in range(rng.randint(0, 4)):
                n += 1
                asker = rng.choice([p for p in people if p is not decider])
                asked = working_moment(rng, rng.choice(weekdays(week, 0, 3)), asker.tz, 9, 16)
                due_day = working_days_on(asked.astimezone(decider.tz).date(), rng.randint(1, 3))
                deadline = datetime.combine(due_day, time(17), tzinfo=decider.tz).astimezone(UTC)
                consulted = [p.user for p in rng.sample(people, 3) if p not in (decider, asker)][:2]
                data = {"asker": asker.user, "decider": decider.user, "deadline": deadline, "consulted": consulted}
                events.append(Event(asked, "decision.ask", n, data))
                roll = rng.random()
                if roll < 0.5:
                    at = asked + (deadline - asked) * rng.uniform(0.1, 0.95)
                elif roll < 0.7:
                    at = deadline + timedelta(minutes=rng.randint(30, 24 * 60))
                else:
                    continue
                events.append(Event(at, "decision.decide", n, {"decider": decider.user}))
    return n


def actions(rng: random.Random, people: list[Member], events: list[Event], weeks: int) -> int:
    n = 0
    for owner in people:
        for _ in range(rng.randint(5, 15)):
            n += 1
            creator = rng.choice([owner, *rng.sample(people, 2)])
            created = working_moment(rng, rng.choice(weekdays(rng.randrange(weeks))), creator.tz)
            due_on = created.astimezone(owner.tz).date() + timedelta(days=rng.randint(1, 10))
            events.append(Event(created, "action.create", n, {"creator": creator.user, "owner": owner.user,
                                                              "due_on": due_on}))  # fmt: skip
            if rng.random() < 0.5:
                due_at = datetime.combine(due_on, time(12), tzinfo=owner.tz).astimezone(UTC)
                events.append(Event(created + (due_at - created) * rng.uniform(0.1, 0.9), "action.done", n,
                                    {"owner": owner.user}))  # fmt: skip
    return n


def meetings(rng: random.Random, people: list[Member], events: list[Event], weeks: int) -> int:
    """Each week, meetings until everyone attends their 2–4; the organiser is whoever lacks the most."""
    n = 0
    for week in range(weeks):
        wanted = {p.user: rng.randint(2, 4) for p in people}
        by_user = {p.user: p for p in people}
        while any(wanted.values()):
            organiser = by_user[max(wanted, key=lambda u: (wanted[u], u))]
            short = [u for u, k in wanted.items() if k and u != organiser.user]
            others = rng.sample(short, min(len(short), rng.randint(2, 4)))
            rest = [p.user for p in people if p.user not in (organiser.user, *others)]
            others += rng.sample(rest, max(0, 2 - len(others)))  # the last few still meet someone
            for user in [organiser.user, *others]:
                wanted[user] = max(0, wanted[user] - 1)
            n += 1
            day = rng.choice(weekdays(week))
            starts = working_moment(rng, day, organiser.tz, 10, 16).replace(minute=0)
            ahead = starts.astimezone(organiser.tz).date() - timedelta(days=rng.randint(1, 3))
            created = max(START + timedelta(hours=1), working_moment(rng, ahead, organiser.tz))
            # One in six agendas is all `inform` items: the gate flags it to the organiser and, at the start,
            # blocks it and tells everyone invited.
            data = {"organiser": organiser.user, "attendees": others, "starts": starts, "inform": rng.random() < 1 / 6}
            events.append(Event(created, "meeting.create", n, data))
            for reader in others:
                if rng.random() < 0.6:
                    events.append(Event(created + (starts - created) * rng.uniform(0.05, 0.9), "meeting.read", n,
                                        {"reader": reader}))  # fmt: skip
    return n


def make(seed: int = 14, per_zone: int = 10, weeks: int = WEEKS) -> Plan:
    rng = random.Random(seed)
    people = team(per_zone)
    events: list[Event] = []
    counts = {
        "decisions": decisions(rng, people, events, weeks),
        "actions": actions(rng, people, events, weeks),
        "meetings": meetings(rng, people, events, weeks),
    }
    outcomes = {p.user: rng.randint(2, 5) for p in people}
    counts["outcomes"] = sum(outcomes.values())
    end = START + timedelta(weeks=weeks)
    events = sorted((e for e in events if START <= e.at < end), key=lambda e: (e.at, e.kind != "decision.ask"))
    return Plan(people, cadences(people), outcomes, events, counts, weeks)
