"""The dashboard's decisions log, people and meetings pages: what people did in Slack shows up, the filters
narrow it, another workspace's rows never appear, and nothing is shown without a session. Through the real app,
on both databases."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from bot.clock import MovableClock
from bot.devtools.local import seed_local_people
from handlers.meetings.blocks.ids import MeetingIds
from models import (
    Action,
    Cadence,
    Decision,
    DecisionMember,
    DecisionRole,
    Invite,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Person,
    PlaybookKind,
    PlaybookRun,
    Round,
    Workspace,
    slack_installations,
)
from models.playbook_run import RunStatus
from tests.support.actions import PRIYA, capture
from tests.support.checkins import setup_values
from tests.support.decisions import DEADLINE, ask, decide, install_clock
from tests.support.meeting_outcomes import schedule_series
from tests.support.meetings import at_now, meetings, press, schedule
from tests.support.outcomes import define, opened_view
from tests.support.playbook_runs import INCIDENT, make_playbook, start_run
from tests.web.test_sign_in import browser, new_browser, sign_in_link

__all__ = ["browser"]  # the fixture


def real_time(harness) -> None:
    install_clock(harness, MovableClock(datetime.now(UTC)))  # the sign-in link is read at the real time


async def elsewhere(harness) -> None:
    """Another workspace with a decision, an overdue action item, a meeting and a check-in round of its own."""
    async with harness.db.sessions.begin() as session:
        other = Workspace(team_id="T0ELSE", name="Elsewhere")
        session.add(other)
        await session.flush()
        boss = Person(workspace_id=other.id, slack_user_id="U0ELSE", display_name="Elsewhere Boss")
        session.add(boss)
        await session.flush()
        decision = Decision(workspace_id=other.id, number=7, question="Elsewhere's secret question",
                            context="secret", decider_id=boss.id, deadline=DEADLINE)  # fmt: skip
        session.add(decision)
        await session.flush()
        session.add(DecisionMember(decision_id=decision.id, person_id=boss.id, workspace_id=other.id,
                                   role=DecisionRole.INFORMED))  # fmt: skip
        session.add(Action(workspace_id=other.id, number=1, what="secret chore", owner_id=boss.id,
                           due_on=date(2020, 1, 1)))  # fmt: skip
        session.add(Meeting(workspace_id=other.id, number=1, title="Elsewhere's secret sync", kind=MeetingKind.STATUS,
                            desired_outcome="x", organiser_id=boss.id, facilitator_id=boss.id,
                            starts_at=DEADLINE, minutes=30, status=MeetingStatus.HELD))  # fmt: skip
        cadence = Cadence(workspace_id=other.id, channel_id="C0SECRET", owner_id=boss.id, audience="channel",
                          interval_weeks=1, weekdays=[0], local_time=datetime(2026, 1, 1, 9).time(),
                          zone_mode="team", timezone="UTC", starts_on=date(2026, 1, 1), questions=["?"],
                          digest_after_minutes=60)  # fmt: skip
        session.add(cadence)
        await session.flush()
        round_ = Round(workspace_id=other.id, cadence_id=cadence.id, channel_id="C0SECRET", occurs_on=date(2026, 11, 2),
                       opened_at=DEADLINE, questions=["?"], ask_blocker=False, ask_confidence=False,
                       digest_at=DEADLINE)  # fmt: skip
        session.add(round_)
        await session.flush()
        session.add(Invite(workspace_id=other.id, round_id=round_.id, person_id=boss.id, ask_at=DEADLINE))


async def test_the_decisions_log_searches_by_text_person_outcome_and_date(harness, browser) -> None:
    await define(harness, title="Faster onboarding")  # O-1
    await ask(harness, question="Which vendor do we sign with?", consulted=["U0ALEX"], outcome="O-1")
    await ask(harness, question="Do we move the launch?", decider="U0LOCAL", consulted=[],
              context="Marketing needs two more weeks.")  # fmt: skip
    await decide(harness, harness.actor("U0PRIYA"), rationale="Cheaper, same quality.")  # D-1
    await elsewhere(harness)
    real_time(harness)
    await browser.get(await sign_in_link(harness))

    everything = (await browser.get("/web/decisions")).text
    assert "Which vendor do we sign with?" in everything and "Do we move the launch?" in everything
    assert "Cheaper, same quality." in everything and "Consulted: " in everything
    assert "secret" not in everything and "Elsewhere" not in everything

    def shown(page) -> list[str]:
        return re.findall(r'<li class="decision" data-ref="(D-\d+)"', page.text)

    assert shown(await browser.get("/web/decisions", params={"q": "two more WEEKS"})) == ["D-2"]  # the context
    assert shown(await browser.get("/web/decisions", params={"q": "cheaper"})) == ["D-1"]  # the rationale
    assert shown(await browser.get("/web/decisions", params={"person": "U0ALEX"})) == ["D-1"]  # consulted
    assert shown(await browser.get("/web/decisions", params={"person": "U0LOCAL"})) == ["D-2"]  # the decider
    assert shown(await browser.get("/web/decisions", params={"person": "U0ELSE"})) == []
    assert shown(await browser.get("/web/decisions", params={"outcome": "O-1"})) == ["D-1"]
    today = datetime.now(UTC).date()
    assert shown(await browser.get("/web/decisions", params={"since": f"{today + timedelta(days=2)}"})) == []
    around = {"since": f"{today - timedelta(days=1)}", "until": f"{today + timedelta(days=1)}"}
    assert shown(await browser.get("/web/decisions", params=around)) == ["D-2", "D-1"]


async def test_a_decisions_page_shows_raci_rationale_and_history_and_another_workspaces_is_not_found(
    harness, browser
) -> None:
    await ask(harness, question="Which vendor do we sign with?")
    await decide(harness, harness.actor("U0PRIYA"), rationale="Cheaper, same quality.")
    await elsewhere(harness)
    real_time(harness)
    await browser.get(await sign_in_link(harness))

    page = await browser.get("/web/decisions/d-1")

    assert page.status_code == 200
    text = page.text
    assert "Which vendor do we sign with?" in text and "Consulted: " in text
    assert "asked for the decision" in text and "decided “Acme Support”: Cheaper, same quality." in text
    assert "<script" not in text and "<@" not in text  # plain words, not Slack's markup
    gone = await browser.get("/web/decisions/D-7")  # the other workspace's
    assert gone.status_code == 404 and "secret" not in gone.text
    assert (await browser.get("/web/decisions/nonsense")).status_code == 404


async def test_many_decisions_come_fifty_a_page(harness, browser) -> None:
    await ask(harness, question="The first question?")
    async with harness.db.sessions.begin() as session:
        template = await session.scalar(select(Decision))
        for n in range(2, 56):
            session.add(Decision(workspace_id=template.workspace_id, number=n, question=f"Question {n}?",
                                 decider_id=template.decider_id, deadline=DEADLINE))  # fmt: skip
    real_time(harness)
    await browser.get(await sign_in_link(harness))

    first_page = (await browser.get("/web/decisions")).text
    second_page = (await browser.get("/web/decisions", params={"page": "2"})).text

    assert first_page.count('class="decision"') == 50 and "Page 1 of 2" in first_page
    assert "Question 55?" in first_page and "The first question?" not in first_page
    assert second_page.count('class="decision"') == 5 and "The first question?" in second_page


async def test_the_people_page_lists_load_heaviest_first(harness, browser) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    await define(harness, harness.actor("U0ALEX"), title="Fewer support tickets")
    await ask(harness, question="Which vendor?", decider="U0PRIYA")
    install_clock(harness, MovableClock(datetime.now(UTC) - timedelta(days=10)))
    await capture(harness, f"{PRIYA} send the pricing deck to Globex in 2 days")
    await elsewhere(harness)
    real_time(harness)
    await browser.get(await sign_in_link(harness))

    page = await browser.get("/web/people")

    assert page.status_code == 200
    rows = re.findall(r'<tr class="person" data-user="(\w+)">(.*?)</tr>', page.text, re.DOTALL)
    assert [user for user, _ in rows][:2] in (["U0ALEX", "U0PRIYA"], ["U0PRIYA", "U0ALEX"])
    cells = {user: re.findall(r"<td[^>]*>(?:<a [^>]*>|<strong>)?(\d+)", row) for user, row in rows}
    assert cells["U0ALEX"] == ["2", "0", "0", "0", "2"]
    assert cells["U0PRIYA"] == ["0", "1", "1", "0", "2"]
    assert "U0ELSE" not in page.text and "Elsewhere" not in page.text


async def test_the_people_page_counts_open_and_late_playbook_steps(harness, browser) -> None:
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Checkout incident")
    install_clock(harness, MovableClock(datetime.now(UTC) - timedelta(minutes=30)))
    run = await start_run(harness, ref, lead="U0ALEX", people_for={"comms": "U0PRIYA"})
    install_clock(harness, MovableClock(datetime.now(UTC) - timedelta(days=10)))
    await capture(harness, f"{PRIYA} send the pricing deck to Globex in 2 days")
    real_time(harness)
    await browser.get(await sign_in_link(harness))

    page = await browser.get("/web/people")

    rows = re.findall(r'<tr class="person" data-user="(\w+)">(.*?)</tr>', page.text, re.DOTALL)
    assert [user for user, _ in rows] == ["U0PRIYA", "U0ALEX"]  # 1 overdue + 1 late step outweighs 1 late step
    steps = {user: " ".join(re.search(r'<td class="steps">(.*?)</td>', row, re.DOTALL)[1].split())
             for user, row in rows}  # fmt: skip
    assert steps == {
        "U0ALEX": '2 <span class="quiet">(1 late)</span>',
        "U0PRIYA": '1 <span class="quiet">(1 late)</span>',
    }
    assert "Nothing is on anyone yet" not in page.text and "Open playbook steps" in page.text

    async with harness.db.sessions.begin() as session:  # a finished run's steps are no one's load
        found = await session.get(PlaybookRun, run.id)
        found.status = RunStatus.RESOLVED
    page = await browser.get("/web/people")
    assert [u for u, _ in re.findall(r'<tr class="person" data-user="(\w+)">(.*?)</tr>', page.text, re.DOTALL)] == [
        "U0PRIYA"
    ]


async def test_the_header_names_the_workspace_not_its_id(harness, browser) -> None:
    real_time(harness)
    await browser.get(await sign_in_link(harness))
    async with harness.db.sessions.begin() as session:  # as an OAuth install stores it
        await session.execute(insert(slack_installations).values(
            client_id="1.2", app_id="A0APP", user_id="U0LOCAL", team_id="T0LOCAL", team_name="Acme & Co",
            is_enterprise_install=False, installed_at=datetime(2026, 1, 1)))  # fmt: skip

    page = await browser.get("/web/people")
    assert "Followthrough · Acme &amp; Co</h1>" in page.text and "T0LOCAL</h1>" not in page.text

    async with harness.db.sessions.begin() as session:  # a name we stored wins
        workspace = await session.scalar(select(Workspace).where(Workspace.team_id == "T0LOCAL"))
        workspace.name = "Local workspace"
    page = await browser.get("/web/people")
    assert "Followthrough · Local workspace</h1>" in page.text


async def test_local_mode_names_its_workspace_for_the_header(harness) -> None:
    await seed_local_people(harness.db, SimpleNamespace(default_timezone="UTC"))
    [workspace] = await harness.rows(Workspace)
    assert (workspace.team_id, workspace.name) == ("T0LOCAL", "Local workspace")


async def test_the_meetings_page_shows_series_health_and_check_in_participation(harness, browser) -> None:
    at_now(harness)
    await schedule_series(harness, title="Pricing review")  # M-1, weekly
    await schedule(harness, title="Launch sync")
    await press(harness, harness.me, MeetingIds.CANCEL, "M-2")
    await harness.slack.command(harness.me, "/checkin", "")
    await harness.slack.view_submission(harness.me, opened_view(harness), setup_values())
    real_time(harness)
    reply = await harness.slack.command(harness.me, "/checkin", "now")
    assert reply.json()["text"].startswith("Started"), reply.text
    async with harness.db.sessions.begin() as session:  # one of those asked answers
        first = await session.scalar(select(Invite).order_by(Invite.id).limit(1))
        first.answered_at = datetime.now(UTC)
    statuses = {m.title: m.status for m in await meetings(harness)}
    await elsewhere(harness)
    await browser.get(await sign_in_link(harness))

    page = await browser.get("/web/meetings")

    assert page.status_code == 200
    text = page.text
    assert "One-off meetings" in text and "Pricing review" in text and "every week · latest M-1" in text
    assert "#C0GENERAL" in text and "answered" in text and "<svg" in text
    asked = await harness.rows(Invite)  # the other workspace's invite is inserted after these
    share = round(100 / (len(asked) - 1))
    assert f"{share}%" in text
    assert statuses == {"Pricing review": MeetingStatus.SCHEDULED, "Launch sync": MeetingStatus.CANCELLED}
    assert re.search(r"<td>0</td><td>1</td><td>0</td>\s*<td>0%</td>\s*<td>0</td>", text)  # one-off: 0 of 1 held
    assert "secret" not in text and "C0SECRET" not in text


async def test_the_new_pages_need_a_session(harness) -> None:
    async with new_browser(harness) as nobody:
        for path in ("/web/decisions", "/web/decisions/D-1", "/web/people", "/web/meetings"):
            page = await nobody.get(path)
            assert page.status_code == 401 and "Sign in first" in page.text, path
