"""Insights: `/insight O-12 "quote" — source` and the "Add as insight" message shortcut store what was typed (the
shortcut keeps the message's link), answer only the person who added it, refuse beside the field concerned with
nothing stored, and show the latest three on the outcome's card beside the numbers. Another workspace's O-1 does
not exist here. Hostile words and names show as text, escaped once."""

from __future__ import annotations

from handlers.insights.blocks.ids import InsightIds
from models import Delivery
from tests.support.hostile import NAMES, assert_nothing_foreign, hostile, record_acks, slack_escaped, with_hostile_names
from tests.support.insights import add_as_insight, insight_reply, insight_values, insights, submit_insight
from tests.support.outcomes import all_text, define, opened_view, sent_view

SAID = "O-1 “We would pay for the export today” — Dana, Acme call"


def section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b.get("type") == "section"]


async def card(harness, actor=None) -> list[dict]:
    response = await harness.slack.command(actor or harness.me, "/outcome", "O-1")
    assert response.status_code == 200
    return response.json()["blocks"]


async def test_one_line_stores_the_words_and_who_said_them_and_tells_only_the_author(harness) -> None:
    await define(harness)
    posts, queued = len(harness.standin.calls_to("chat.postMessage")), len(await harness.rows(Delivery))

    body = await insight_reply(harness, SAID)

    assert body["response_type"] == "ephemeral"
    assert "Added to *O-1*" in body["text"]
    assert "“We would pay for the export today” — Dana, Acme call" in body["text"]
    [insight] = await insights(harness)
    assert (insight.quote, insight.source, insight.link) == (
        "We would pay for the export today",
        "Dana, Acme call",
        None,
    )
    # Straight quotes and a plain dash work too; nothing is posted or queued for anyone else.
    await insight_reply(harness, 'o-1 "Setup took us a week" - Sam, support ticket 4411', harness.actor("U0ALEX"))
    assert [(i.quote, i.source) for i in await insights(harness)][1] == ("Setup took us a week",
                                                                          "Sam, support ticket 4411")  # fmt: skip
    assert len(harness.standin.calls_to("chat.postMessage")) == posts
    assert harness.standin.calls_to("chat.postEphemeral") == []
    assert len(await harness.rows(Delivery)) == queued


async def test_each_missing_part_is_named_with_the_example_and_nothing_is_stored(harness) -> None:
    await define(harness)
    unknown = (await insight_reply(harness, 'O-99 "We would pay" — Dana'))["text"]
    no_words = (await insight_reply(harness, 'O-1 "" — Dana'))["text"]
    no_source = (await insight_reply(harness, 'O-1 "We would pay for the export today"'))["text"]

    assert unknown.startswith("Nothing was saved. I can't find O-99 in this workspace")
    assert no_words.startswith("Nothing was saved. Give the words themselves, in quotes.")
    assert no_source.startswith("Nothing was saved. Say who said it or where it was heard, after a dash")
    for said in (unknown, no_words, no_source):
        assert said.count('`/insight O-12 "We would pay for the export today" — Dana, Acme call`') == 1
    assert await insights(harness) == []


async def test_an_outcome_alone_lists_its_latest_and_help_explains(harness) -> None:
    await define(harness)
    empty = await insight_reply(harness, "O-1")
    assert "Nothing yet. Add the first: `/insight O-1" in all_text(empty["blocks"])
    await insight_reply(harness, SAID)
    await insight_reply(
        harness, 'O-1 "Exports would save me an hour a day" — Priya, in the field', harness.actor("U0PRIYA")
    )

    listed = all_text((await insight_reply(harness, "O-1", harness.actor("U0ALEX")))["blocks"])
    assert listed.index("Exports would save me an hour") < listed.index("We would pay for the export")
    assert "by Priya Raman" in listed and "by Dana Scully" in listed and "<@" not in listed
    helped = all_text((await insight_reply(harness, "help"))["blocks"])
    assert "More actions → Add as insight" in helped and "latest three" in helped


async def test_another_workspaces_o1_is_refused_on_the_line_in_the_list_and_in_the_form(harness) -> None:
    await define(harness)
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")

    assert "I can't find O-1 in this workspace" in (await insight_reply(harness, SAID, stranger))["text"]
    assert "I can't find O-1 in this workspace" in (await insight_reply(harness, "O-1", stranger))["text"]
    await harness.slack.command(stranger, "/insight", "")
    body = await submit_insight(harness, insight_values("O-1", "We would pay", "Dana"), stranger)
    assert body["response_action"] == "errors"
    assert "can't find O-1" in body["errors"][InsightIds.OUTCOME.value]
    assert await insights(harness) == []


async def test_the_shortcut_fills_in_the_words_and_the_author_and_keeps_the_link(harness) -> None:
    await define(harness)
    message = harness.standin.add_message("C0GENERAL", "U0ALEX", "Honestly we'd pay &lt;today&gt; for CSV export")
    posts = len(harness.standin.calls_to("chat.postMessage"))

    assert (await add_as_insight(harness, message)).status_code == 200
    view = sent_view(harness.standin.calls_to("views.open")[-1])
    fields = {b["block_id"]: b["element"] for b in view["blocks"] if b.get("type") == "input"}
    assert fields[InsightIds.QUOTE]["initial_value"] == "Honestly we'd pay <today> for CSV export"
    assert fields[InsightIds.SOURCE]["initial_value"] == "Alex Meyer"  # the author, as Slack names them
    assert harness.standin.calls_to("chat.getPermalink") == []  # the form first

    body = await submit_insight(harness, insight_values("O-1", view=opened_view(harness)))

    assert body["response_action"] == "update", body
    [call] = harness.standin.calls_to("chat.getPermalink")
    assert call.args["message_ts"] == message["ts"]
    [insight] = await insights(harness)
    assert (insight.quote, insight.source) == ("Honestly we'd pay <today> for CSV export", "Alex Meyer")
    assert insight.link == call.response["permalink"]
    assert f"(from <{insight.link}|a message>)" in all_text(body["view"]["blocks"])
    assert len(harness.standin.calls_to("chat.postMessage")) == posts  # nothing said in the channel


async def test_the_form_puts_each_refusal_beside_its_field_and_an_apps_message_suggests_no_source(harness) -> None:
    await define(harness)
    bot_post = {**harness.standin.add_message("C0GENERAL", "U0BOT", "Digest"), "bot_id": "B0BOT"}
    await add_as_insight(harness, bot_post)
    view = opened_view(harness)
    source = next(b for b in view["blocks"] if b.get("block_id") == InsightIds.SOURCE)
    assert source["element"].get("initial_value") is None

    body = await submit_insight(harness, insight_values(None, "  ", ""))
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        InsightIds.OUTCOME.value: "Pick the outcome these words speak to.",
        InsightIds.QUOTE.value: "Give the words themselves, in quotes.",
        InsightIds.SOURCE.value: body["errors"][InsightIds.SOURCE.value],
    }
    assert "Say who said it" in body["errors"][InsightIds.SOURCE.value]
    assert await insights(harness) == []


async def test_the_card_shows_the_latest_three_beside_the_numbers_within_slacks_limits(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10")
    await harness.slack.command(harness.me, "/progress", "O-1 28 first cohort")
    for n in range(1, 4):
        await insight_reply(harness, f'O-1 "Quote {n}" — Customer {n}')
    await insight_reply(harness, f'O-1 "{"Long words. " * 80}" — {"Someone important " * 11}'.strip())

    blocks = await card(harness, harness.actor("U0PRIYA"))
    text = all_text(blocks)
    assert "*What customers say*" in text
    assert "Quote 1" not in text and "“Quote 3” — Customer 3" in text and "“Quote 2” — Customer 2" in text
    assert text.index("*Demos booked*") < text.index("What customers say") < text.index("first cohort")
    assert len(blocks) <= 50 and all(len(t) <= 3000 for t in section_texts(blocks))
    long = next(t for t in section_texts(blocks) if t.startswith("“Long words."))
    assert long.count("Long words.") < 80 and "…”" in long  # clipped on the card; stored whole
    assert (await insights(harness))[-1].quote.count("Long words.") == 80


async def test_hostile_words_and_names_show_as_text_on_every_surface(harness) -> None:
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    await define(harness)
    quote, source = hostile("quote"), hostile("source")
    await harness.slack.command(harness.me, "/insight", slack_escaped(f'O-1 "{quote}" — {source}'))
    await harness.slack.command(harness.me, "/insight", slack_escaped(f'{hostile("ref")} "x" — y'))
    said = hostile("said")
    message = harness.standin.add_message("C0GENERAL", "U0PRIYA", slack_escaped(said))
    await add_as_insight(harness, message)
    body = await submit_insight(harness, insight_values("O-1", view=opened_view(harness)))
    assert body["response_action"] == "update", body
    await harness.slack.command(harness.me, "/insight", "O-1")
    await card(harness)

    stored = await insights(harness)
    assert [(i.quote, i.source) for i in stored] == [(quote, source), (said, NAMES["U0PRIYA"])]
    assert_nothing_foreign(harness, acks, typed=[quote, source, said, NAMES["U0PRIYA"]], mentioned=("U0LOCAL",))


def test_the_manifest_declares_the_command_and_the_shortcut() -> None:
    from tests.platform.test_manifest import manifest

    data = manifest()
    declared = next(s for s in data["features"]["shortcuts"] if s["callback_id"] == "add_insight")
    assert (declared["name"], declared["type"]) == ("Add as insight", "message")
    assert "/insight" in [c["command"] for c in data["features"]["slash_commands"]]
