"""Capturing from the form and from a message: `/action` and "Create action item" open the form at once; a
message's permalink is stored as the source and the confirmation goes in its thread."""

from __future__ import annotations

import pytest

from models import SourceKind
from tests.support.actions import (
    START,
    Nudges,
    form_values,
    install_clock,
    only_action,
    shortcut,
    submit_latest,
)
from tests.support.outcomes import all_text, opened_view, sent_view

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture
async def nudges(harness, clock, clients, sender) -> Nudges:
    clock.set(START)
    install_clock(harness, clock)
    return Nudges(harness, clock, clients, sender)


async def test_the_form_defaults_the_owner_to_you_and_creates_the_item(harness, nudges) -> None:
    response = await harness.slack.command(harness.me, "/action", "")
    assert response.status_code == 200 and not response.content.strip(b"{} ")
    view = sent_view(harness.standin.calls_to("views.open")[-1])
    owner = next(b for b in view["blocks"] if b.get("block_id") == "action_owner")
    assert owner["element"]["initial_user"] == "U0LOCAL"
    body = await submit_latest(harness, form_values(owner="U0ALEX", due="2026-12-02"))
    assert body["response_action"] == "update", body
    action = await only_action(harness)
    assert (action.ref, action.due_on.isoformat(), action.source_kind) == ("A-1", "2026-12-02", SourceKind.COMMAND)
    await nudges.deliver()
    assert any("gave you *A-1*" in m["text"] for m in harness.standin.messages("U0ALEX"))


async def test_the_form_refuses_a_past_date_on_its_field(harness, nudges) -> None:
    await harness.slack.command(harness.me, "/action", "")
    body = await submit_latest(harness, form_values(due="2026-11-01"))
    assert body["response_action"] == "errors" and "has passed" in body["errors"]["action_due"]


async def test_the_message_shortcut_opens_the_form_prefilled_stores_the_permalink_and_replies_in_the_thread(
    harness, nudges
) -> None:
    message = harness.standin.add_message("C0GENERAL", "U0ALEX", "  Can someone send the &lt;pricing&gt; deck?  ")
    response = await shortcut(harness, message)
    assert response.status_code == 200
    view = opened_view(harness)
    assert view["callback_id"] == "action_create"
    what = next(b for b in view["blocks"] if b.get("block_id") == "action_what")
    owner = next(b for b in view["blocks"] if b.get("block_id") == "action_owner")
    assert what["element"]["initial_value"] == "Can someone send the <pricing> deck?"
    assert owner["element"]["initial_user"] == "U0ALEX"  # the message's author is suggested
    assert harness.standin.calls_to("chat.getPermalink") == []  # the form first, nothing else

    body = await submit_latest(harness, form_values(what="Send the <pricing> deck to Globex", owner="U0ALEX"))
    assert body["response_action"] == "update", body
    permalink = harness.standin.calls_to("chat.getPermalink")[-1]
    assert permalink.args["message_ts"] == message["ts"] and permalink.ok
    action = await only_action(harness)
    assert action.source_kind is SourceKind.MESSAGE
    assert action.source_link == permalink.response["permalink"]
    assert (action.source_channel, action.source_ts) == ("C0GENERAL", message["ts"])

    await nudges.deliver()
    replies = harness.standin.messages("C0GENERAL", thread_ts=message["ts"])
    assert len(replies) == 1 and "A-1" in replies[0]["text"] and "&lt;pricing&gt;" in replies[0]["text"]

    shown = await harness.slack.command(harness.me, "/action", "A-1")
    assert permalink.response["permalink"] in all_text(shown.json()["blocks"])


async def test_a_shortcut_on_a_reply_answers_in_the_same_thread_and_on_a_bot_message_suggests_you(
    harness, nudges
) -> None:
    parent = harness.standin.add_message("C0GENERAL", "U0PRIYA", "Launch plan")
    reply = harness.standin.add_message("C0GENERAL", "U0PRIYA", "I'll book the room", thread_ts=parent["ts"])
    await shortcut(harness, reply)
    await submit_latest(harness, form_values(what="Book the room", owner="U0PRIYA"))
    await nudges.deliver()
    assert any("A-1" in m["text"] for m in harness.standin.messages("C0GENERAL", thread_ts=parent["ts"]))

    bot_post = {**harness.standin.add_message("C0GENERAL", "U0BOT", "Check-in digest"), "bot_id": "B0BOT"}
    await shortcut(harness, bot_post)
    owner = next(b for b in opened_view(harness)["blocks"] if b.get("block_id") == "action_owner")
    assert owner["element"]["initial_user"] == "U0LOCAL"


async def test_the_manifest_declares_the_shortcut_and_escapes_the_command(harness) -> None:
    from tests.platform.test_manifest import manifest

    data = manifest()
    declared = next(s for s in data["features"]["shortcuts"] if s["callback_id"] == "create_action_item")
    assert {k: declared[k] for k in ("name", "type", "callback_id")} == {
        "name": "Create action item", "type": "message", "callback_id": "create_action_item",
    }  # fmt: skip
    action = next(c for c in data["features"]["slash_commands"] if c["command"] == "/action")
    assert action["should_escape"] is True
