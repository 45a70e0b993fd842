"""What a newcomer's first hour with action items found: the app as owner, and mentions shown as raw markup."""

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
