"""Reading action items (the list, the card, the Home tab) is open to the whole workspace; changing one is for
its owner, who created it, or an admin, checked on every press. Another workspace's A-1 does not exist here."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import MovableClock
from handlers.actions.blocks.ids import ActionIds
from models import ActionStatus
from tests.support.actions import ALEX, PRIYA, action_rows, capture, capture_text, install_clock, only_action, press
from tests.support.decisions import private_answers
from tests.support.outcomes import all_text

NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # Wednesday


async def test_a_forged_done_from_someone_else_changes_nothing(harness) -> None:
    install_clock(harness, MovableClock(NOW))
    await capture_text(harness, "@me send the pricing deck by friday", harness.actor("U0ALEX"))
    await press(harness, harness.actor("U0PRIYA"), ActionIds.DONE)
    await press(harness, harness.actor("U0PRIYA"), ActionIds.DROP)
    assert (await only_action(harness)).status is ActionStatus.OPEN
    refusals = private_answers(harness)
    assert len(refusals) == 2 and all("Only <@U0ALEX> (its owner or who created it)" in r for r in refusals)
    assert harness.standin.calls_to("views.open") == []  # no Drop form for her
    await press(harness, harness.me, ActionIds.DONE)  # an admin may
    assert (await only_action(harness)).status is ActionStatus.DONE


async def test_another_workspaces_a1_is_invisible(harness) -> None:
    install_clock(harness, MovableClock(NOW))
    await capture_text(harness, f"{ALEX} send the pricing deck by friday")
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    said = await capture_text(harness, "A-1", stranger)
    assert said.startswith("I can't find A-1")
    await press(harness, stranger, ActionIds.DONE)
    assert "can't find A-1" in private_answers(harness)[-1]
    listed = await capture(harness, "list overdue", stranger)
    assert "send the pricing deck" not in all_text(listed.json()["blocks"])
    assert (await action_rows(harness))[0].status is ActionStatus.OPEN


async def test_the_list_puts_overdue_first_then_by_date_and_counts_the_rest(harness) -> None:
    clock = MovableClock(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    install_clock(harness, clock)
    for n in range(23):
        await capture_text(harness, f"{ALEX} task {n + 1} in {24 - n} days")
    await capture_text(harness, f"{ALEX} the urgent one by tomorrow")
    clock.set(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    blocks = (await capture(harness, f"list {ALEX}", harness.actor("U0PRIYA"))).json()["blocks"]
    text = all_text(blocks)
    lines = [line for line in text.splitlines() if line.startswith("•")]
    assert len(lines) == 20 and "…and 4 more" in text
    assert lines[0].startswith("• *A-24* the urgent one") and "overdue 1d" in lines[0]
    assert lines[1].startswith("• *A-23* task 23")


async def test_the_card_shows_the_buttons_and_its_history(harness) -> None:
    install_clock(harness, MovableClock(NOW))
    await capture_text(harness, f"{PRIYA} book the venue by friday")
    card = (await capture(harness, "A-1", harness.actor("U0ALEX"))).json()
    text = all_text(card["blocks"])
    assert "book the venue" in text and "History" in text and "created it" in text
    buttons = [e["action_id"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["action_done", "action_snooze", "action_reassign", "action_drop"]


async def test_the_home_tab_lists_my_items_overdue_first_with_done_buttons(harness) -> None:
    clock = MovableClock(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    install_clock(harness, clock)
    for n in range(11):
        await capture_text(harness, f"@me task {n + 1} in {n + 3} days")
    await capture_text(harness, "@me the urgent one by tomorrow")
    clock.set(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    await harness.slack.event(harness.me, {"type": "app_home_opened", "user": "U0LOCAL", "tab": "home"})
    view = harness.standin.home("U0LOCAL")
    text = all_text(view["blocks"])
    assert text.index("Start small") < text.index("My action items") < text.index("Decisions awaiting me")
    mine = text[text.index("My action items") :]
    done = [b for b in view["blocks"] if (b.get("accessory") or {}).get("action_id") == "action_done"]
    assert len(done) == 10 and "…and 2 more" in mine
    assert done[0]["text"]["text"].startswith("*A-12* the urgent one · overdue 1d")
    await harness.slack.block_action(harness.me, {**done[0]["accessory"], "block_id": "home"},
                                     view={**view, "type": "home"})  # fmt: skip
    assert (await action_rows(harness))[-1].status is ActionStatus.DONE
    assert "A-12" not in all_text(harness.standin.home("U0LOCAL")["blocks"]).split("My action items")[1]


async def test_help_gives_the_grammar_and_the_overview_lists_the_command(harness) -> None:
    text = all_text((await capture(harness, "help")).json()["blocks"])
    assert "by tomorrow" in text and "in 3 days" in text and "O-12" in text
    overview = await harness.slack.command(harness.me, "/followthrough", "help")
    assert "/action" in all_text(overview.json()["blocks"])
