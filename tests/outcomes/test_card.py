"""/outcome O-n (the card), /outcome list, and /outcome help."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.outcomes.blocks.ids import OutcomeIds
from tests.support.outcomes import DUE, all_text, create_directly, define, my_today


async def card(harness, ref: str = "O-1", actor=None) -> dict:
    response = await harness.slack.command(actor or harness.me, "/outcome", ref)
    assert response.status_code == 200
    return response.json()


def buttons(body: dict) -> list[str]:
    actions = next(b for b in body["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    return [e["text"]["text"] for e in actions["elements"]]


async def test_the_card_shows_owner_due_status_metrics_with_trend_and_latest_updates(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10", owner="U0ALEX")
    for typed in ("O-1 28 first cohort", "O-1 31 second cohort", "O-1 35 at-risk third", "O-1 demos-booked=6"):
        await harness.slack.command(harness.me, "/progress", typed)

    body = await card(harness, "o-1")

    assert body.get("response_type", "ephemeral") == "ephemeral"
    assert body["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "O-1 · Cut time to first value to under a day", "emoji": True},
    }
    text = all_text(body["blocks"])
    assert "*Owner* <@U0ALEX>" in text
    assert f"(in {(date.fromisoformat(DUE) - my_today()).days} days)" in text  # 60 days from UTC's today
    assert "*Status* 🟡 At risk" in text
    assert "first report on day one" in text
    assert "*Activation* (lagging)  `▁▄█`" in text  # 28, 31, 35
    assert "20% → *35%* → 40%  (75% of the way)" in text
    assert "*Demos booked* (leading)\n2 → *6* → 10" in text
    assert "Demos booked 6" in text and "third" in text and "second cohort" in text
    assert "first cohort" not in text  # only the latest three updates
    assert body["text"] == "O-1 · Cut time to first value to under a day (At risk)"


async def test_owner_and_admins_get_the_managing_buttons_others_only_log_progress(harness) -> None:
    await define(harness, owner="U0ALEX")

    assert buttons(await card(harness, actor=harness.actor("U0ALEX"))) == [
        "Log progress",
        "Edit",
        "Change owner",
        "Mark done",
        "Drop",
    ]
    assert "Edit" in buttons(await card(harness))  # U0LOCAL is a workspace admin
    assert buttons(await card(harness, actor=harness.actor("U0PRIYA"))) == ["Log progress"]


async def test_the_card_of_a_new_outcome_invites_the_first_update(harness) -> None:
    await define(harness)
    text = all_text((await card(harness, "1"))["blocks"])
    assert "2 → no reading yet → 10" in text
    assert "No updates yet: `/progress O-1 42 what moved` logs the first." in text


async def test_the_card_names_the_priority_it_serves(harness) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    await define(harness, parent="P-1")
    assert "*Serves* P-1 Grow self-serve revenue" in all_text((await card(harness))["blocks"])
    await harness.slack.command(harness.me, "/priority", "archive P-1")
    assert "*Serves* P-1 Grow self-serve revenue (archived)" in all_text((await card(harness))["blocks"])


async def test_an_unknown_ref_is_answered_not_ignored(harness) -> None:
    body = await card(harness, "O-404")
    assert "I can't find O-404 in this workspace" in body["text"]


async def test_list_variants(harness) -> None:
    alex = harness.actor("U0ALEX")
    elsewhere = harness.actor("U0LOCAL", channel_id="C0OTHER", channel_name="other")
    harness.standin.add_channel("C0OTHER", name="other", members=["U0LOCAL", "U0ALEX"])
    await define(harness, title="Mine in general")
    await define(harness, alex, title="Alex in general")
    await define(harness, elsewhere, title="Mine elsewhere")
    await harness.slack.command(alex, "/progress", "O-2 at-risk")

    def listed(body: dict) -> str:
        return all_text(body["blocks"])

    mine = listed((await harness.slack.command(harness.me, "/outcome", "list")).json())
    assert "Mine in general" in mine and "Mine elsewhere" in mine and "Alex in general" not in mine
    assert mine == listed((await harness.slack.command(harness.me, "/outcome", "list mine")).json())
    channel = listed((await harness.slack.command(harness.me, "/outcome", "list channel")).json())
    assert "Mine in general" in channel and "Alex in general" in channel and "Mine elsewhere" not in channel
    everything = listed((await harness.slack.command(harness.me, "/outcome", "LIST ALL")).json())
    assert all(t in everything for t in ("Mine in general", "Alex in general", "Mine elsewhere"))
    risky = listed((await harness.slack.command(harness.me, "/outcome", "list at-risk")).json())
    assert "🟡 *O-2* Alex in general · <@U0ALEX>" in risky and "Mine" not in risky


async def test_a_long_list_stops_at_twenty_lines_and_says_how_many_more(harness) -> None:
    from datetime import date, timedelta

    from services import people
    from services.outcomes import OutcomeForm

    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        me = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        for n in range(25):
            form = OutcomeForm(
                title=f"Outcome number {n}",
                definition_of_done="done",
                due=(date.today() + timedelta(days=n + 1)).isoformat(),
                lagging_name="Count",
                unit="",
                baseline="0",
                target="1",
                leading="Calls: 0 -> 1",
                owner_user_id="U0LOCAL",
            )
            await create_directly(session, workspace=workspace, author=me, form=form)

    body = (await harness.slack.command(harness.me, "/outcome", "list all")).json()

    text = all_text(body["blocks"])
    assert text.count("*O-") == 20
    assert "*O-1* Outcome number 0" in text and "Outcome number 20" not in text  # soonest due first
    assert "and 5 more" in text and "`/outcome list mine`" in text


async def test_nothing_to_list_says_how_to_start(harness) -> None:
    body = (await harness.slack.command(harness.me, "/outcome", "list")).json()
    assert "You own no open outcomes. Define one with `/outcome`." in all_text(body["blocks"])


@pytest.mark.parametrize("typed", ["help", "?", "frobnicate", "list sideways", "O-1 extra words"])
async def test_help_and_unknown_subcommands(harness, typed) -> None:
    body = (await harness.slack.command(harness.me, "/outcome", typed)).json()
    text = all_text(body["blocks"])
    assert "`/outcome O-12`" in text and "list at-risk" in text and "name: baseline -&gt; target" in text
    assert ("I don't know" in text) == (typed not in ("help", "?"))
