"""/escalation: everyone reads the paths, admins define and edit them in a form with up to five levels; the
path a new decision starts with comes from its channel, else the workspace default."""

from __future__ import annotations

import pytest

from handlers.decisions.blocks.escalation import EscalationIds, LevelPart, level_block
from models import ChannelEscalationDefault, Decision, EscalationLevel, EscalationPolicy, Person
from tests.support.decisions import FAST_PATH, START, ask, define_path, install_clock, path_values, submit_opened
from tests.support.outcomes import all_text, opened_view, sent_view

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


async def listing(harness, actor=None) -> dict:
    response = await harness.slack.command(actor or harness.me, "/escalation", "list")
    assert response.status_code == 200
    return response.json()


async def test_every_workspace_starts_with_the_standard_path(harness) -> None:
    body = await listing(harness, harness.actor("U0ALEX"))

    text = all_text(body["blocks"])
    assert "*Standard* (workspace default)" in text
    assert "1. at the deadline: the decider; after 4 h the next level" in text
    assert "2. next: the decider, the channel, 1 more time within 1 day" in text
    assert "Acknowledging pauses it for 4 h." in text
    assert "Edit" not in text and "Workspace admins define and edit paths." in text  # Alex is no admin


async def test_an_admin_defines_a_path_with_levels_a_default_and_channels(harness) -> None:
    answer = await define_path(harness, "Fast", FAST_PATH, default=True, channels=["C0GENERAL"], ack="30")

    assert answer["response_action"] == "update"
    assert "*Fast* is saved." in all_text(answer["view"]["blocks"])
    policies = {p.name: p for p in await harness.rows(EscalationPolicy)}
    assert policies["Fast"].is_default and policies["Fast"].ack_window_minutes == 30
    assert not policies.get("Standard") or not policies["Standard"].is_default
    levels = sorted(await harness.rows(EscalationLevel), key=lambda lv: lv.position)
    people = {p.id: p.slack_user_id for p in await harness.rows(Person)}
    assert [([people[i] for i in lv.person_ids], lv.include_decider, lv.post_in_channel, lv.wait_minutes)
            for lv in levels if lv.policy_id == policies["Fast"].id] == [
        (["U0ALEX"], True, False, 60),
        (["U0LOCAL"], False, True, 120),
    ]  # fmt: skip
    [channel] = await harness.rows(ChannelEscalationDefault)
    assert (channel.channel_id, channel.policy_id) == ("C0GENERAL", policies["Fast"].id)


async def test_only_admins_define_or_edit(harness) -> None:
    alex = harness.actor("U0ALEX")

    new = (await harness.slack.command(alex, "/escalation", "new")).json()
    edit = (await harness.slack.command(alex, "/escalation", "edit Standard")).json()

    assert harness.standin.calls_to("views.open") == []
    assert "Only workspace admins can create escalation paths" in new["text"]
    assert "Only workspace admins can edit escalation paths" in edit["text"]


async def test_a_forged_form_from_a_non_admin_changes_nothing(harness) -> None:
    await harness.slack.command(harness.me, "/escalation", "new")
    alex = harness.actor("U0ALEX")

    answer = await submit_opened(harness, alex, path_values("Mine", FAST_PATH))

    assert "Only workspace admins can create escalation paths" in answer["errors"][EscalationIds.NAME]
    assert await harness.rows(EscalationPolicy) == []


@pytest.mark.parametrize(
    ("name", "levels", "block", "says"),
    [
        ("", FAST_PATH, EscalationIds.NAME, "Give the path a name"),
        ("Standard", FAST_PATH, EscalationIds.NAME, "There is a path called Standard already"),
        ("Empty", [], level_block(LevelPart.PEOPLE, 1), "Say whom level 1 pings"),
        ("Gap", [{}, {"decider": True, "wait": "5"}], level_block(LevelPart.PEOPLE, 1), "Level 1 is empty but level 2"),
        ("Nobody", [{"wait": "5"}], level_block(LevelPart.PEOPLE, 1), "Choose whom this level pings"),
        ("No wait", [{"decider": True}], level_block(LevelPart.WAIT, 1), "How many minutes to wait"),
        ("Long", [{"decider": True, "wait": "20000"}], level_block(LevelPart.WAIT, 1), "Between 1 and 10,080 minutes"),
        (
            "Noisy",
            [{"decider": True, "wait": "60", "repeats": "9"}],
            level_block(LevelPart.REPEATS, 1),
            "Between 0 and 5",
        ),
        ("Tight", [{"decider": True, "wait": "2", "repeats": "3"}], level_block(LevelPart.REPEATS, 1), "don't fit"),
    ],
)
async def test_field_errors_show_on_their_field(harness, name, levels, block, says) -> None:
    await listing(harness)  # creates Standard

    answer = await define_path(harness, name, levels)

    assert answer["response_action"] == "errors"
    assert says in answer["errors"][block], answer["errors"]
    assert [p.name for p in await harness.rows(EscalationPolicy)] == ["Standard"]


async def test_editing_shows_the_path_as_it_is_and_replaces_its_levels(harness) -> None:
    await define_path(harness, "Fast", FAST_PATH, channels=["C0GENERAL"])
    await harness.slack.command(harness.me, "/escalation", "edit fast")

    view = sent_view(harness.standin.calls_to("views.open")[-1])
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks[EscalationIds.NAME]["element"]["initial_value"] == "Fast"
    assert blocks[level_block(LevelPart.PEOPLE, 1)]["element"]["initial_users"] == ["U0ALEX"]
    assert blocks[level_block(LevelPart.WAIT, 2)]["element"]["initial_value"] == "120"
    assert blocks[EscalationIds.CHANNELS]["element"]["initial_conversations"] == ["C0GENERAL"]

    answer = await submit_opened(harness, harness.me, path_values("Faster", [{"decider": True, "wait": "15"}]))

    assert answer["response_action"] == "update"
    [policy] = [p for p in await harness.rows(EscalationPolicy) if p.name != "Standard"]
    assert policy.name == "Faster"
    assert [
        (lv.include_decider, lv.wait_minutes)
        for lv in await harness.rows(EscalationLevel, EscalationLevel.policy_id == policy.id)
    ] == [(True, 15)]
    assert await harness.rows(ChannelEscalationDefault) == []  # the form left the channels empty


async def test_a_new_decision_starts_with_its_channels_path_else_the_workspace_default(harness) -> None:
    await define_path(harness, "General", [{"decider": True, "wait": "30"}], channels=["C0GENERAL"])
    harness.standin.add_channel("C0OPS", name="ops", members=["U0LOCAL", "U0PRIYA"])

    in_general = await ask(harness)
    in_ops = await ask(harness, harness.actor("U0LOCAL", channel_id="C0OPS", channel_name="ops"))

    policies = {p.id: p.name for p in await harness.rows(EscalationPolicy)}
    assert (policies[in_general.policy_id], policies[in_ops.policy_id]) == ("General", "Standard")
    view = opened_view(harness, -1)
    options = {b.get("block_id"): b for b in view["blocks"]}["decision_policy"]["element"]
    assert options["initial_option"]["text"]["text"] == "Standard (default)"
    assert len(await harness.rows(Decision)) == 2


async def test_help(harness) -> None:
    body = (await harness.slack.command(harness.me, "/escalation", "help")).json()
    assert "Acknowledge" in all_text(body["blocks"])
