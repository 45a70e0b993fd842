"""/decision list, /decision D-7 with its history, /decision log by text, person, outcome and date, help; and
the Home tab's decision sections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk.models.views import View
from sqlalchemy import select

from handlers.decisions.blocks.home import home_sections
from models import Person, Workspace
from services.decisions import home_decisions
from tests.support.decisions import START, ask, decide, install_clock
from tests.support.outcomes import all_text, define

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


async def command(harness, text: str, actor=None) -> str:
    response = await harness.slack.command(actor or harness.me, "/decision", text)
    assert response.status_code == 200, response.text
    body = response.json()
    return all_text(body.get("blocks") or []) or body["text"]


async def three_decisions(harness, clock) -> None:
    """D-1 decided (Priya, vendor, on O-1), D-2 open and overdue (Dana decides), D-3 open (Priya, another channel)."""
    outcome = await define(harness)
    await ask(harness, outcome=outcome.ref)
    await decide(harness, harness.actor("U0PRIYA"), rationale="Globex could not commit to our SLA.")
    await ask(harness, question="Do we move the launch to January?", decider="U0LOCAL", options="", consulted=[],
              deadline=START + timedelta(hours=2))  # fmt: skip
    harness.standin.add_channel("C0OPS", name="ops", members=["U0LOCAL", "U0PRIYA"])
    ops = harness.actor("U0LOCAL", channel_id="C0OPS", channel_name="ops")
    await ask(harness, ops, question="Which on-call tool?", consulted=[], informed=["U0ALEX"])
    clock.set(START + timedelta(hours=3))


async def test_lists_what_awaits_me_this_channel_overdue_and_decided(harness, clock) -> None:
    await three_decisions(harness, clock)
    priya = harness.actor("U0PRIYA")

    mine = await command(harness, "list", priya)
    channel = await command(harness, "list channel")
    overdue = await command(harness, "list overdue")
    decided = await command(harness, "list decided")

    assert "Decisions awaiting you* (1)" in mine and "D-3" in mine and "D-1" not in mine
    assert "D-2" in channel and "D-3" not in channel and "D-1" not in channel
    assert "D-2" in overdue and "1 h overdue, waiting on <@U0LOCAL>" in overdue and "D-3" not in overdue
    assert "D-1" in decided and "*Acme Support*" in decided
    assert "Nothing waits on your decision." in await command(harness, "list mine", harness.actor("U0ALEX"))


async def test_show_one_with_its_history(harness, clock) -> None:
    await three_decisions(harness, clock)

    shown = await command(harness, "d-1")

    assert "✅ Decided: *Acme Support*" in shown
    assert "Globex could not commit to our SLA." in shown
    assert "*History*" in shown and "asked for the decision" in shown and "decided *Acme Support*" in shown
    assert "can't find D-9" in await command(harness, "D-9")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("vendor", True),
        ("SLA", True),  # the rationale is searched too
        ("@priya", True),
        ("<@U0PRIYA>", True),
        ("@alex", True),  # consulted
        ("O-1", True),
        ("2026-11-30", True),  # the day it was decided, in the searcher's zone
        ("2026-12-01", False),
        ("launch", False),  # D-2 is not decided
        ("@nobody", False),
        ("O-9", False),
    ],
)
async def test_the_log_finds_decided_ones_by_text_person_outcome_or_date(harness, clock, query, found) -> None:
    await three_decisions(harness, clock)

    text = await command(harness, f"log {query}")

    assert ("D-1" in text) is found, text
    assert "D-2" not in text and "D-3" not in text


async def test_help_and_unknown_words(harness) -> None:
    assert "/decision log" in await command(harness, "help")
    unknown = await command(harness, "frobnicate")
    assert "I don't know `frobnicate`" in unknown


async def test_home_sections_list_what_awaits_me_and_what_i_am_informed_of(harness, clock) -> None:
    await three_decisions(harness, clock)
    async with harness.db.sessions() as session:
        workspace = (await session.scalars(select(Workspace).where(Workspace.team_id == "T0LOCAL"))).one()
        people = {p.slack_user_id: p for p in await session.scalars(select(Person))}
        alex, priya = people["U0ALEX"], people["U0PRIYA"]
        now = clock.now()
        for_priya = home_sections(await home_decisions(session, workspace_id=workspace.id, person=priya, now=now), now)
        for_alex = home_sections(await home_decisions(session, workspace_id=workspace.id, person=alex, now=now), now)

    View(type="home", blocks=for_priya).to_dict()  # valid Block Kit
    priya_text, alex_text = all_text(for_priya), all_text(for_alex)
    assert "Decisions awaiting me" in priya_text and "D-3" in priya_text and "D-2" not in priya_text
    assert "Decisions I'm named in" in alex_text and "informed of" not in alex_text
    lines = {ref: line for line in alex_text.splitlines() for ref in ("D-1", "D-3") if f"*{ref}*" in line}
    assert lines["D-1"].endswith("you were consulted")  # consulted on D-1, decided lately
    assert lines["D-3"].endswith("for your information")  # informed of D-3
    assert "Nothing waits on your decision." in alex_text
