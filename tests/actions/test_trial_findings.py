"""What a newcomer's first hours with action items found: the app as owner, mentions shown as raw markup, and the
same line sent twice stored twice."""

from __future__ import annotations

from models import Action
from tests.support.outcomes import all_text


async def test_the_app_itself_cannot_own_an_action_item(harness) -> None:
    harness.standin.add_user("U0BOT", name="followthrough", real_name="Followthrough", is_bot=True)
    response = await harness.slack.command(harness.me, "/action", "<@U0BOT|followthrough> test the bot by friday")

    assert "an app, not a person" in response.json()["text"]
    assert await harness.rows(Action) == []


async def test_other_mentions_in_the_text_read_as_names_and_ping_no_one(harness) -> None:
    await harness.slack.command(harness.actor("U0ALEX"), "/followthrough", "help")  # alex is known
    response = await harness.slack.command(
        harness.me, "/action", "<@U0ALEX|alex> sync with <@U0PRIYA|priya> on <#C0GENERAL|general> by friday"
    )

    [action] = await harness.rows(Action)
    assert action.what == "sync with @priya on #general"
    said = response.json()["text"] + all_text(response.json().get("blocks") or [])
    assert "<@U0PRIYA" not in said and "&lt;@U0PRIYA" not in said


async def test_the_same_line_sent_twice_is_stored_once_and_the_repeat_names_the_first(harness) -> None:
    line = "<@U0ALEX|alex> send the pricing deck to Globex by friday"
    first = await harness.slack.command(harness.me, "/action", line)
    again = await harness.slack.command(harness.me, "/action", line.replace("send", "Send"))

    assert "A-1" in first.json()["text"]
    said = again.json()["text"]
    assert said.startswith("Nothing was saved. You captured exactly this for")
    assert "it is A-1, still open, so it is not stored twice" in said
    assert [a.what for a in await harness.rows(Action)] == ["send the pricing deck to Globex"]


async def test_a_different_item_or_owner_moments_later_is_a_new_item(harness) -> None:
    await harness.slack.command(harness.actor("U0PRIYA"), "/followthrough", "help")  # priya is known
    await harness.slack.command(harness.me, "/action", "<@U0ALEX|alex> send the pricing deck by friday")
    await harness.slack.command(harness.me, "/action", "<@U0PRIYA|priya> send the pricing deck by friday")
    await harness.slack.command(harness.me, "/action", "<@U0ALEX|alex> send the signed pricing deck by friday")

    assert len(await harness.rows(Action)) == 3
