"""The weekly execution-health post on a movable clock: one post per channel with open outcomes, at the
workspace's day and hour in its own zone (across a daylight-saving change too), through the outbox. It says what
changed in the week, what needs attention now with the step to take, what customers said, and what became of the
week's findings; nobody is @-mentioned. Twice, restarted, or late on the day: still once a week."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Delivery, HealthFinding, Insight, Metric, Outcome, OutcomeStatus, Person, Workspace
from services import health
from services.health import Remedy
from services.health.settings import change
from tests.support.decisions import install_clock
from tests.support.health import outcome_with, workspace_with
from tests.support.hostile import NAMES, assert_nothing_foreign, hostile, record_acks, slack_escaped
from tests.support.insights import Weekly, insight_reply
from tests.support.outbox import make_sender
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]
SETUP = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday; the workspace's zone is UTC
POST = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # the next Monday, 09:00: the default day and hour
FALLING = [(20, 50), (15, 46), (10, 41), (5, 37), (1, 33)]  # days before SETUP, value: away from target


@pytest.fixture
def weekly(harness, db, clock, clients, sender) -> Weekly:
    clock.set(SETUP)
    install_clock(harness, clock)
    for channel, name in (("C0OTHER", "other"), ("C0QUIET", "quiet")):
        harness.standin.add_channel(channel, name=name, members=["U0LOCAL", "U0ALEX", "U0PRIYA"])
    return Weekly(db, clock, clients, sender)


async def seed(db, *, zone: str = "UTC") -> Workspace:
    """Alex's O-1 marked on track while its numbers fall; Dana's O-2 on its path and O-4 past due, all in
    #general; Priya's falling O-3 in #other; a done O-5 alone in #quiet; another workspace's outcome and words."""
    async with db.sessions.begin() as session:
        ours, (dana, alex, priya) = await workspace_with(session, "T0LOCAL", ["U0LOCAL", "U0ALEX", "U0PRIYA"])
        ours.timezone = zone
        for person, name in ((dana, "Dana Scully"), (alex, "Alex Meyer"), (priya, "Priya Raman")):
            person.display_name = name
        dana.is_admin = True
        on_path = [(d, (60 - d) / 90.5 * 100) for d in (30, 20, 10, 1)]
        made = [
            (await outcome_with(session, ours, alex, 1, now=SETUP, values=FALLING), "C0GENERAL"),
            (await outcome_with(session, ours, dana, 2, now=SETUP, values=on_path), "C0GENERAL"),
            (await outcome_with(session, ours, priya, 3, now=SETUP, values=FALLING), "C0OTHER"),
            (await outcome_with(session, ours, dana, 4, now=SETUP, values=[(3, 90)], age=63, left=-3), "C0GENERAL"),
            (await outcome_with(session, ours, dana, 5, now=SETUP, values=FALLING, status=OutcomeStatus.DONE),
             "C0QUIET"),
        ]  # fmt: skip
        for outcome, channel in made:
            outcome.channel_id = channel
        theirs, (cy,) = await workspace_with(session, "T0THEIRS", ["U0CY"])
        secret = await outcome_with(session, theirs, cy, 1, now=SETUP, values=FALLING)
        secret.channel_id = "C0THEIRS"
        session.add(Insight(workspace_id=theirs.id, outcome_id=secret.id, quote="Their secret", source="Them",
                            author_id=cy.id, created_at=SETUP + timedelta(days=1)))  # fmt: skip
    return ours


async def last_weeks_run(db, workspace: Workspace, *, acted_on: str) -> None:
    """Tuesday: the findings as the app stores them; Wednesday: someone acts on one (a finding's button)."""
    async with db.sessions.begin() as session:
        found = await health.refresh(session, workspace_id=workspace.id, now=SETUP + timedelta(days=1))
        key = next(f.key for f in found if f.subject == acted_on)
        await health.acted(session, workspace_id=workspace.id, key=key, remedy=Remedy.SET_STATUS,
                           actor=await person(session, workspace, "U0ALEX"), now=SETUP + timedelta(days=2))  # fmt: skip


async def person(session, workspace: Workspace, slack_user_id: str) -> Person:
    query = select(Person).where(Person.workspace_id == workspace.id, Person.slack_user_id == slack_user_id)
    return (await session.scalars(query)).one()


def posts(harness, channel: str) -> list[dict]:
    """The weekly posts in `channel` (a status change of an outcome is announced there too)."""
    return [m for m in harness.standin.messages(channel) if m["text"].startswith("Execution health")]


def shown(message: dict) -> str:
    return message["text"] + "\n" + all_text(message["blocks"])


async def test_the_post_says_what_changed_what_needs_attention_what_customers_said_and_what_was_done(
    harness, db, weekly
) -> None:
    ours = await seed(db)
    await last_weeks_run(db, ours, acted_on="O-1")
    weekly.clock.set(SETUP + timedelta(days=2))
    await insight_reply(harness, "O-1 “We would pay for the export today” — Dana, Acme call")
    weekly.clock.set(SETUP + timedelta(days=3))
    await harness.slack.command(harness.me, "/progress", "O-2 at-risk waiting on legal")
    await harness.slack.command(harness.me, "/progress", "O-4 done")

    assert await weekly.at(POST - timedelta(minutes=1)) == 0
    assert await weekly.at(POST) == 3  # #general and #other here, and the other workspace's channel

    [post] = posts(harness, "C0GENERAL")
    text = shown(post)
    assert "<@" not in text and "<!" not in text  # plain names in a channel
    assert text.startswith("Execution health this week:")
    changed = text[text.index("*What changed this week*") : text.index("*Needs attention*")]
    assert "1 finding resolved: *O-4* (past due)" in changed
    assert re.search(r"• \d+ new findings?: \*O-1\* \(", changed)
    assert "*O-2* Outcome 2: 🟢 On track → 🟡 At risk (Dana Scully)" in changed
    assert "*O-4* Outcome 4: 🟢 On track → ✅ Done (Dana Scully)" in changed
    attention = text[text.index("*Needs attention*") : text.index("*What customers said")]
    assert "*O-1* Outcome 1 · status the numbers contradict" in attention
    assert "moved" in attention and "away from target" in attention
    assert (
        "_Next step_ The numbers say otherwise: mark it at risk so the team can help. · _who acts_ Alex Meyer"
        in attention
    )
    assert "O-3" not in attention and "O-4" not in attention  # another channel's; resolved
    assert "• *O-1* “We would pay for the export today” — Dana, Acme call" in text
    assert "Their secret" not in text
    assert re.search(r"Of \d+ findings seen in the last 7 days, 1 was acted on and 1 is resolved: "
                     r"a closing rate of \d+%\.", text)  # fmt: skip
    assert "Posted Mondays at 09:00 (UTC) in every channel with open outcomes." in text
    assert len(post["blocks"]) <= 50

    [other] = posts(harness, "C0OTHER")
    assert "*O-3* Outcome 3" in shown(other) and "Dana, Acme call" not in shown(other)
    assert "No insights were added." in shown(other)


async def test_not_before_the_hour_once_per_channel_per_week_even_twice_or_restarted(
    harness, db, weekly, clients, clock
) -> None:
    await seed(db)
    assert await weekly.at(POST - timedelta(seconds=1)) == 0
    clock.set(POST)
    second = Weekly(db, clock, clients, make_sender(db, clients, clock, name="second"))
    assert sum(await asyncio.gather(weekly.job(), second.job())) == 3  # two schedulers at once: each post once
    assert await weekly.job() == 0  # a later run finds the week's keys taken
    restarted = Weekly(db, clock, clients, make_sender(db, clients, clock, name="after-restart"))
    assert await restarted.at(POST + timedelta(minutes=2)) == 0
    await weekly.deliver()
    assert len(posts(harness, "C0GENERAL")) == 1 and len(posts(harness, "C0OTHER")) == 1
    keys = {d.key for d in await harness.rows(Delivery) if d.kind == "health.weekly"}
    assert {"health:weekly:C0GENERAL:2026-W50", "health:weekly:C0OTHER:2026-W50"} <= keys

    assert await weekly.at(POST + timedelta(days=1)) == 0  # Tuesday
    assert await weekly.at(POST + timedelta(days=7)) == 3  # the next Monday: a new week
    assert len(posts(harness, "C0GENERAL")) == 2


async def test_a_scheduler_down_at_the_hour_posts_later_that_day_and_one_down_all_day_waits_a_week(
    harness, db, weekly
) -> None:
    await seed(db)
    assert await weekly.at(POST + timedelta(days=1)) == 0  # down all Monday: nothing on Tuesday
    assert await weekly.at(POST + timedelta(days=7, hours=8, minutes=30)) == 3  # down at 09:00, back at 17:30
    assert await weekly.at(POST + timedelta(days=7, hours=14, minutes=59)) == 0  # 23:59, same day
    assert await weekly.at(POST + timedelta(days=8)) == 0
    assert len(posts(harness, "C0GENERAL")) == 1


async def test_the_hour_is_the_workspaces_own_across_the_end_of_daylight_saving(harness, db, weekly) -> None:
    ours = await seed(db, zone="Europe/Berlin")
    async with db.sessions.begin() as session:
        dana = await person(session, ours, "U0LOCAL")
        await change(session, workspace_id=ours.id, actor=dana, name="weekly", value="thursday 8")
    summer, winter = datetime(2026, 10, 22, tzinfo=UTC), datetime(2026, 10, 29, tzinfo=UTC)  # Thursdays
    assert await weekly.at(summer.replace(hour=5, minute=59)) == 0
    assert await weekly.at(summer.replace(hour=6)) == 2  # 08:00 CEST: #general and #other (the other workspace
    # keeps Monday 09:00 UTC)
    assert await weekly.at(winter.replace(hour=6)) == 0  # 07:00 CET: not yet
    assert await weekly.at(winter.replace(hour=7)) == 2  # 08:00 CET
    _, second = posts(harness, "C0GENERAL")
    assert "Posted Thursdays at 08:00 (Europe/Berlin)" in shown(second)
    queued = sorted(d.due_at for d in await harness.rows(Delivery) if d.key.startswith("health:weekly:C0GENERAL"))
    assert queued == [summer.replace(hour=6), winter.replace(hour=7)]


async def test_a_channel_without_open_outcomes_gets_nothing(harness, db, weekly) -> None:
    await seed(db)
    async with db.sessions.begin() as session:  # #other's only outcome is done meanwhile
        outcome = (await session.scalars(select(Outcome).where(Outcome.channel_id == "C0OTHER"))).one()
        outcome.status = OutcomeStatus.DONE
    assert await weekly.at(POST) == 2
    assert posts(harness, "C0QUIET") == [] and posts(harness, "C0OTHER") == []
    assert len(posts(harness, "C0GENERAL")) == 1
    assert not [d for d in await harness.rows(Delivery) if "C0QUIET" in d.key or "C0OTHER" in d.key]
    assert await harness.rows(HealthFinding)  # the detectors ran once for the workspace


async def test_hostile_titles_names_words_and_metric_names_show_as_text_in_the_post(harness, db, weekly) -> None:
    ours = await seed(db)
    title, name, metric = hostile("title"), NAMES["U0PRIYA"], "<!here> &lt;x&gt;"
    async with db.sessions.begin() as session:
        outcome = (await session.scalars(select(Outcome).where(Outcome.workspace_id == ours.id,
                                                               Outcome.number == 1))).one()  # fmt: skip
        outcome.title = title
        (await person(session, ours, "U0ALEX")).display_name = name
        (await session.scalars(select(Metric).where(Metric.outcome_id == outcome.id))).one().name = metric
    acks = record_acks(harness)
    quote, source = hostile("quote"), hostile("source")
    await harness.slack.command(harness.me, "/insight", slack_escaped(f'O-1 "{quote}" — {source}'))
    await weekly.at(POST)

    [post] = posts(harness, "C0GENERAL")
    assert slack_escaped(metric) in shown(post)  # the evidence names the metric
    assert_nothing_foreign(harness, acks, typed=[title, name, quote, source], mentioned=())
