"""/followthrough help: through the real app with signed requests, on both databases."""

from __future__ import annotations

import json

from models import Person, Workspace


def block_text(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and "text" in element:
                parts.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
    return "\n".join(parts)


async def test_help_lists_commands_with_examples_privately(harness) -> None:
    response = await harness.slack.command(harness.me, "/followthrough", "help")

    assert response.status_code == 200
    body = response.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"  # help is for the asker, not the channel
    text = block_text(body["blocks"])
    assert "/followthrough help" in text
    assert "I don't know" not in text


async def test_bare_command_shows_help(harness) -> None:
    body = (await harness.slack.command(harness.me, "/followthrough", "")).json()
    assert "/followthrough help" in block_text(body["blocks"])


async def test_unknown_subcommand_answers_with_help_not_silence(harness) -> None:
    body = (await harness.slack.command(harness.me, "/followthrough", "frobnicate now")).json()

    text = block_text(body["blocks"])
    assert "I don't know `frobnicate now`" in text
    assert "/followthrough help" in text
    assert "frobnicate" in body["text"]  # the notification fallback says it too


async def test_first_request_records_workspace_and_person_with_slack_time_zone(harness) -> None:
    await harness.slack.command(harness.me, "/followthrough", "help")
    await harness.slack.command(harness.me, "/followthrough", "help")

    [workspace] = await harness.rows(Workspace)
    assert workspace.team_id == "T0LOCAL"
    [person] = await harness.rows(Person)
    assert (person.slack_user_id, person.display_name, person.timezone) == (
        "U0LOCAL",
        "Dana Scully",
        "America/New_York",
    )
    assert person.is_admin is True
    # The profile is fetched once a day, not on every command.
    assert len(harness.standin.calls_to("users.info")) == 1


async def test_profile_lookup_failure_does_not_break_the_command(harness) -> None:
    harness.standin.fail("users.info", error="user_not_found", status=200)

    response = await harness.slack.command(harness.me, "/followthrough", "help")

    assert response.status_code == 200
    assert "/followthrough help" in json.dumps(response.json())
    [person] = await harness.rows(Person)
    assert person.timezone is None and person.profile_refreshed_at is None  # retried on the next request


async def test_home_tab_is_published_for_the_person_who_opened_it(harness) -> None:
    response = await harness.slack.event(harness.me, {"type": "app_home_opened", "user": "U0LOCAL", "tab": "home"})

    assert response.status_code == 200
    [call] = harness.standin.calls_to("views.publish")
    assert call.args["user_id"] == "U0LOCAL"
    view = call.args["view"] if isinstance(call.args["view"], dict) else json.loads(call.args["view"])
    assert view["type"] == "home"
    assert "Dana Scully" in block_text(view["blocks"])
