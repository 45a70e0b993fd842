"""Action items in check-ins: the digest names the channel's overdue items (a few, then how many more), and the
answer form's "I will…" lines become action items of the person answering, due on the next round's day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.actions.blocks.ids import ActionIds
from handlers.checkins.blocks.ids import CheckinIds
from models import Action, Cadence, Person, SourceKind
from tests.support.actions import ALEX, action_rows, capture_text, install_clock, press
from tests.support.checkins import deliver, rounds, run_job, set_up
from tests.support.hostile import as_shown
from tests.support.outcomes import all_text, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
# Monday 30 November 2026, 08:00 UTC; the digest is read on Friday 4 December (15:00 in Berlin).
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)


def digest_text(harness) -> str:
    [parent] = harness.standin.messages("C0GENERAL")
    posted = [m for m in harness.standin.messages("C0GENERAL", parent["ts"]) if "Digest" in all_text(m["blocks"])]
    assert len(posted) == 1, posted
    return all_text(posted[0]["blocks"])


async def test_the_digest_lists_the_channels_overdue_items_a_few_then_how_many_more(
    harness, clock, clients, sender
) -> None:
    clock.set(START)
    install_clock(harness, clock)
    await capture_text(harness, f"{ALEX} send the pricing deck by tomorrow")  # A-1, due Tue 1 Dec
    for n in range(2, 8):  # A-2 … A-7, also due Tue 1 Dec
        await capture_text(harness, f"@me chase invoice {n} by tomorrow")
    await capture_text(harness, "@me finished already by tomorrow")  # A-8, done below
    await capture_text(harness, "@me the quarterly plan in 30 days")  # A-9, not due yet
    await capture_text(harness, "@me from elsewhere by tomorrow", harness.actor("U0LOCAL", channel_id="C0OTHER"))
    await press(harness, harness.me, ActionIds.DONE, "A-8")

    clock.set(FRIDAY)
    await set_up(harness.db, clock, members=("U0LOCAL",), zone="Europe/Berlin")
    assert (await harness.slack.command(harness.me, "/checkin", "now")).json()["text"].startswith("Started")
    await deliver(sender)
    clock.advance(timedelta(hours=7))  # past the digest's time
    await run_job(harness.db, clock, clients)
    await deliver(sender)

    text = digest_text(harness)
    section = text.split("*Overdue action items*\n", 1)[1]
    lines = section.splitlines()
    assert lines[0] == "• A-1 send the pricing deck · Alex Meyer, 3 days", lines
    assert [line.split(" ")[1] for line in lines[:5]] == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    assert lines[5] == "…and 2 more"
    for absent in ("finished already", "quarterly plan", "from elsewhere", "<@"):
        assert absent not in section
    assert len(text) < 3000


async def answer(harness, **typed: str) -> dict:
    """Dana presses Answer in her ask and sends the form with `typed` (by block id)."""
    ask = harness.standin.messages("U0LOCAL")[0]
    [button] = [e for b in ask["blocks"] for e in b.get("elements") or [] if e.get("action_id") == CheckinIds.ANSWER]
    await harness.slack.block_action(harness.me, {**button, "block_id": CheckinIds.ASK_ACTIONS.value}, message=ask)
    view = opened_view(harness)
    response = await harness.slack.view_submission(harness.me, view, as_shown(view, **typed))
    return response.json()


def will_field(view: dict) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == CheckinIds.WILL)


# It runs on the real time of day (the app's, here), so the attention policy must not hold Dana's ask for her hours.
@pytest.mark.usefixtures("around_the_clock")
async def test_i_will_lines_become_the_answerers_action_items_due_at_the_next_round(harness, clock, sender) -> None:
    await set_up(harness.db, clock, members=("U0LOCAL",), zone="America/New_York")
    assert (await harness.slack.command(harness.me, "/checkin", "now")).json()["text"].startswith("Started")
    clock.set(max(clock.now(), datetime.now(UTC)))  # the app runs on the real time here
    await deliver(sender)
    will, first = CheckinIds.WILL.value, f"{CheckinIds.QUESTION}:0"

    body = await answer(harness, **{first: "Shipped it", will: "- Send the recap\n\nBook the room"})
    assert body["response_action"] == "update", body
    async with harness.db.sessions() as session:
        next_on = await session.scalar(select(Cadence.next_on))
        dana = await session.scalar(select(Person).where(Person.slack_user_id == "U0LOCAL"))
    said = all_text(body["view"]["blocks"])
    assert f"I've made *A-1* and *A-2* your action items, due {next_on:%a %-d %b}" in said
    assert "Each line becomes an action item of yours" in (will_field(opened_view(harness)).get("hint") or {})["text"]
    [round_] = await rounds(harness.db)
    made = await action_rows(harness)
    assert [(a.what, a.owner_id, a.due_on) for a in made] == [("Send the recap", dana.id, next_on),
                                                              ("Book the room", dana.id, next_on)]  # fmt: skip
    assert {(a.source_kind, a.source_ref, a.channel_id) for a in made} == {
        (SourceKind.CHECKIN, round_.occurs_on.isoformat(), "C0GENERAL")
    }
    card = await harness.slack.command(harness.me, "/action", "A-1")
    assert f"from the check-in of {round_.occurs_on.isoformat()} in <#C0GENERAL>" in all_text(card.json()["blocks"])

    # Changing the answer opens a new form; "I will…" starts empty, and a line she has already is not made twice.
    body = await answer(harness, **{will: "Send the recap\nCall Globex"})
    assert will_field(opened_view(harness))["element"].get("initial_value") is None
    assert "I've made *A-3* your action item" in all_text(body["view"]["blocks"])
    assert [a.what for a in await action_rows(harness)] == ["Send the recap", "Book the room", "Call Globex"]

    # A line too long for an action item is refused on its field, and nothing of the answer is stored.
    body = await answer(harness, **{first: "Changed", will: "Fine\n" + "x" * 301})
    assert body["response_action"] == "errors" and "Line 2: Keep it within 300 characters" in body["errors"][will]
    assert len(await action_rows(harness)) == 3
    async with harness.db.sessions() as session:
        assert (await session.scalar(select(Action).where(Action.what == "Fine"))) is None
