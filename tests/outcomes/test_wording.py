"""Issue 10 item 9 (outcome part): a closed outcome's card shows its state, the list's hint names a ref from
the list, plurals are proper, and "Nothing was ..." is said once."""

from __future__ import annotations

from handlers.kit.text import plural
from handlers.outcomes.blocks.ids import OutcomeIds
from tests.support.outcomes import all_text, define, sent_view

HOME = {"type": "app_home_opened", "tab": "home", "user": "U0LOCAL"}


def buttons(card: dict) -> list[str]:
    actions = [b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS]
    return [e["text"]["text"] for b in actions for e in b["elements"]]


async def dropped(harness, reason: str = "Merged into O-2") -> None:
    from datetime import UTC, datetime

    from models import OutcomeStatus, ProgressSource
    from services import outcomes, people

    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        me = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        outcome = await outcomes.get_outcome(session, workspace_id=workspace.id, ref="O-1")
        await outcomes.log_progress(
            session, outcome=outcome, author=me, status=OutcomeStatus.DROPPED, note=reason,
            source=ProgressSource.CARD, now=datetime.now(UTC),
        )  # fmt: skip


async def test_a_dropped_outcomes_card_shows_when_and_why_not_a_due_date_or_mark_done(harness) -> None:
    await define(harness)
    await dropped(harness)

    card = (await harness.slack.command(harness.me, "/outcome", "O-1")).json()

    text = all_text(card["blocks"])
    assert "*Status* ⚪ Dropped since <!date^" in text and "(it was due " in text
    assert "*Why* Merged into O-2" in text
    assert "(in 60 days)" not in text and "*Due*" not in text
    assert "reopen it with `/progress O-1 on-track`" in text
    assert "No updates yet" not in text
    assert buttons(card) == ["Edit", "Change owner"]


async def test_a_done_outcomes_card_keeps_log_progress_but_offers_no_mark_done_or_drop(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1 done")

    card = (await harness.slack.command(harness.me, "/outcome", "O-1")).json()

    assert "*Status* ✅ Done since" in all_text(card["blocks"])
    assert buttons(card) == ["Log progress", "Edit", "Change owner"]


async def test_the_list_hint_names_a_ref_from_the_list(harness) -> None:
    await define(harness, title="First")
    await define(harness, title="Second")
    await define(harness, title="Third")
    await harness.slack.command(harness.me, "/progress", "O-1 done")

    text = all_text((await harness.slack.command(harness.me, "/outcome", "list")).json()["blocks"])

    assert "`/outcome O-2` shows one as a card." in text
    assert "O-12" not in text


async def test_finished_outcomes_on_the_home_tab_are_counted_in_proper_plurals(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1 done")
    await harness.slack.event(harness.me, HOME)
    one = all_text(sent_view(harness.standin.calls_to("views.publish")[-1])["blocks"])
    assert "Your 1 finished or dropped outcome keeps its card" in one

    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-2 done")
    await harness.slack.event(harness.me, HOME)
    two = all_text(sent_view(harness.standin.calls_to("views.publish")[-1])["blocks"])
    assert "Your 2 finished or dropped outcomes keep their cards" in two
    assert "(s)" not in one + two


def test_plural() -> None:
    assert [plural(n, "outcome") for n in (0, 1, 2, 1500)] == [
        "0 outcomes",
        "1 outcome",
        "2 outcomes",
        "1,500 outcomes",
    ]
    assert plural(2, "person", "people") == "2 people"


async def test_a_long_note_is_refused_with_nothing_was_stored_said_once(harness) -> None:
    await define(harness)
    text = (await harness.slack.command(harness.me, "/progress", "O-1 " + "x" * 2500)).json()["text"]
    assert text.count("Nothing was stored") == 1 and "Shorten it" in text
