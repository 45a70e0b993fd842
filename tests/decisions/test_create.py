"""Asking for a decision: the form, each field error on its field, the card in the channel, and the people
named in it told once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.decisions.blocks.ids import DecisionIds
from models import Decision, DecisionEvent, DecisionMember, DecisionRole, Delivery, Person
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    ask,
    decide,
    dm_texts,
    install_clock,
    submit_form,
)
from tests.support.outcomes import all_text, define, sent_view

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


async def errors(harness, **fields) -> dict[str, str]:
    body = (await submit_form(harness, **fields)).json()
    assert body.get("response_action") == "errors", body
    assert await harness.rows(Decision) == []
    return body["errors"]


async def test_the_form_shows_the_deadline_in_the_askers_zone_and_picks_the_default_path(harness) -> None:
    await harness.slack.command(harness.me, "/decision", "new Which vendor?")

    view = sent_view(harness.standin.calls_to("views.open")[0])
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[DecisionIds.QUESTION]["element"]["initial_value"] == "Which vendor?"
    assert "America/New_York" in blocks[DecisionIds.DEADLINE]["hint"]["text"]
    assert blocks[DecisionIds.POLICY]["element"]["initial_option"]["text"]["text"] == "Standard (default)"
    assert view["title"]["text"] == "Ask for a decision"


async def test_a_question_typed_straight_after_the_command_opens_the_form_with_it(harness) -> None:
    response = await harness.slack.command(harness.me, "/decision", "Should we extend the trial to 21 days?")

    assert response.status_code == 200 and not response.text  # the form, no help text
    view = sent_view(harness.standin.calls_to("views.open")[0])
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[DecisionIds.QUESTION]["element"]["initial_value"] == "Should we extend the trial to 21 days?"
    assert await harness.rows(Decision) == []  # asked only once the form is sent


async def test_a_decision_is_stored_with_its_raci_and_the_card_goes_to_the_channel(harness) -> None:
    outcome = await define(harness)
    decision = await ask(
        harness,
        responsible=["U0LOCAL"],
        consulted=["U0ALEX"],
        informed=["U0OTHER"],
        outcome=outcome.ref,
        link="https://docs.example.com/vendors",
    )

    assert decision.ref == "D-1" and decision.deadline == DEADLINE
    assert decision.options == ["Acme Support", "Globex Care"]
    roles = {(m.person_id, m.role) for m in await harness.rows(DecisionMember)}
    people = {p.slack_user_id: p.id for p in await harness.rows(Person)}
    assert roles == {
        (people["U0LOCAL"], DecisionRole.RESPONSIBLE),
        (people["U0ALEX"], DecisionRole.CONSULTED),
        (people["U0OTHER"], DecisionRole.INFORMED),
    }
    [card] = harness.standin.messages("C0GENERAL")[-1:]
    assert card["ts"] == decision.card_ts and decision.card_channel == "C0GENERAL"
    text = all_text(card["blocks"])
    assert "*D-1* Which vendor do we sign the support contract with?" in text
    assert "<@U0PRIYA>" in text and "Asia/Kolkata" in text and "Wed 2 Dec 19:30" in text  # the decider's time
    assert "O-1" in text and "Acme Support" in text and "<https://docs.example.com/vendors|More context>" in text
    assert [e.kind.value for e in await harness.rows(DecisionEvent)] == ["created"]


async def test_refs_count_per_workspace_through_the_shared_counter(harness) -> None:
    await define(harness)  # O-1 uses the same counter table, under its own kind
    first = await ask(harness)
    second = await ask(harness)
    assert (first.ref, second.ref) == ("D-1", "D-2")


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_the_decider_and_everyone_named_are_told_once_when_asked_and_once_when_decided(
    harness, clock, clients, sender
) -> None:
    scheduler = Scheduler(harness, clock, clients, sender)
    await ask(harness, consulted=["U0ALEX"], informed=["U0LOCAL"])
    await scheduler.run()
    await scheduler.run()

    assert ["asks you to decide" in t for t in dm_texts(harness, "U0PRIYA")] == [True]
    assert ["wants your input" in t for t in dm_texts(harness, "U0ALEX")] == [True]
    assert dm_texts(harness, "U0LOCAL") == []  # Dana asked it: she knows

    clock.set(START + timedelta(hours=1))
    await decide(harness, harness.actor("U0PRIYA"))
    await scheduler.run()
    await scheduler.run()

    assert [t for t in dm_texts(harness, "U0ALEX") if "Decided" in t] == [
        "✅ *D-1* Which vendor do we sign the support contract with? Decided: *Acme Support*"
    ]
    assert len([t for t in dm_texts(harness, "U0LOCAL") if "Decided: " in t]) == 1
    assert len(dm_texts(harness, "U0PRIYA")) == 1  # the decider decided: nothing to tell them


# field errors, each on its field ----------------------------------------------------------------------------


async def test_no_decider(harness) -> None:
    assert "Choose the one person" in (await errors(harness, decider=None))[DecisionIds.DECIDER]


async def test_a_deadline_in_the_past(harness) -> None:
    found = await errors(harness, deadline=START - timedelta(minutes=1))
    assert found == {DecisionIds.DEADLINE: "That time has passed: pick a deadline in the future."}


@pytest.mark.parametrize(
    ("named", "field", "says"),
    [
        ({"informed": ["U0ALEX", "U0PRIYA"]}, DecisionIds.INFORMED, "Priya Raman is the decider already"),
        ({"responsible": ["U0PRIYA"]}, DecisionIds.RESPONSIBLE, "Priya Raman is the decider already"),
        ({"consulted": ["U0ALEX"], "informed": ["U0ALEX"]}, DecisionIds.INFORMED, "Alex Meyer is Consulted already"),
        ({"responsible": ["U0ALEX"], "consulted": ["U0ALEX"]}, DecisionIds.CONSULTED, "Alex Meyer is Responsible"),
    ],
)
async def test_a_person_named_twice_is_refused_on_the_later_list_which_says_their_role(
    harness, named, field, says
) -> None:
    found = await errors(harness, decider="U0PRIYA", **{"consulted": [], **named})
    assert list(found) == [field] and says in found[field]


async def test_more_than_ten_options(harness) -> None:
    options = "\n".join(f"Vendor {n}" for n in range(1, 12))
    found = await errors(harness, options=options)
    assert "You listed 11 options; keep at most 10" in found[DecisionIds.OPTIONS]


async def test_ten_options_are_fine_and_bullets_are_ignored(harness) -> None:
    decision = await ask(harness, options="\n".join(f"- Vendor {n}" for n in range(1, 11)))
    assert decision.options[0] == "Vendor 1" and len(decision.options) == 10


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ("Acme\nacme", "Two options say the same thing"),
        ("Only one", "One option is not a choice"),
        ("x" * 76 + "\nShort", "within 75 characters"),
    ],
)
async def test_options_that_make_no_choice(harness, options, says) -> None:
    assert says in (await errors(harness, options=options))[DecisionIds.OPTIONS]


async def test_several_errors_at_once_each_on_its_own_field(harness) -> None:
    found = await errors(harness, question="  ", decider=None, deadline=None, link="ftp://nope")
    assert set(found) == {DecisionIds.QUESTION, DecisionIds.DECIDER, DecisionIds.DEADLINE, DecisionIds.LINK}


async def test_a_decider_who_left_slack_is_refused_when_chosen(harness) -> None:
    harness.standin.add_user("U0GONE", name="gone", real_name="Gone Person", tz="UTC", deleted=True)

    found = await errors(harness, decider="U0GONE")

    assert found == {
        DecisionIds.DECIDER: "Gone Person has left this Slack workspace: choose someone who is still here."
    }


@pytest.mark.parametrize("field", ["decider", "responsible", "consulted", "informed"])
@pytest.mark.parametrize(("user", "name"), [("U0BOT", "Followthrough"), ("U0JIRA", "Jira"), ("USLACKBOT", "USLACKBOT")])
async def test_bots_and_this_app_are_refused_on_every_people_field(harness, field, user, name) -> None:
    harness.standin.add_user("U0JIRA", name="jira", real_name="Jira", is_bot=True)
    named = {field: user if field == "decider" else [user], "consulted": [] if field != "consulted" else [user]}

    found = await errors(harness, **named)

    block = DecisionIds(f"decision_{field}")
    assert found == {block: f"{name} is an app, not a person: choose someone from your team."}
    assert [c for c in harness.standin.calls_to("chat.postMessage") if c.args.get("channel") == user] == []


async def test_an_unknown_outcome_or_path(harness) -> None:
    found = await errors(harness, outcome="O-99", policy="12345")
    assert "O-99" in found[DecisionIds.OUTCOME] and "no longer exists" in found[DecisionIds.POLICY]


async def test_a_card_that_cannot_be_posted_leaves_the_decision_and_says_why(harness) -> None:
    harness.standin.add_channel("C0QUIET", name="quiet", members=["U0LOCAL"], bot_is_member=False)
    quiet = harness.actor("U0LOCAL", channel_id="C0QUIET", channel_name="quiet")

    body = (await submit_form(harness, quiet)).json()

    assert body["response_action"] == "update"
    assert "invite me there with `/invite @Followthrough`" in all_text(body["view"]["blocks"])
    [decision] = await harness.rows(Decision)
    assert decision.card_ts is None and decision.channel_id == "C0QUIET"


async def test_told_once_survives_a_retried_submission(harness, clock, clients, sender) -> None:
    await ask(harness)
    before = len(await harness.rows(Delivery))
    await Scheduler(harness, clock, clients, sender).run()
    assert len(await harness.rows(Delivery)) == before  # the job adds nothing before the first nudge is due
