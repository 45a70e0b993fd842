"""The manifest and the listeners come from the same constants, so Slack and the app agree."""

from __future__ import annotations

import yaml

from bot import surface
from bot.manifest import manifest_yaml
from tests.conftest import make_settings


def manifest(**overrides: object) -> dict:
    settings = make_settings("sqlite+aiosqlite:///x.db", "http://127.0.0.1:1/api", **overrides)
    return yaml.safe_load(manifest_yaml(settings))


def test_http_manifest_points_everything_at_the_one_endpoint() -> None:
    data = manifest(public_url="https://ft.example.org")
    url = "https://ft.example.org/slack/events"
    assert [c["command"] for c in data["features"]["slash_commands"]] == [c.name for c in surface.COMMANDS]
    assert {c["url"] for c in data["features"]["slash_commands"]} == {url}
    assert data["settings"]["event_subscriptions"] == {"bot_events": list(surface.BOT_EVENTS), "request_url": url}
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["settings"]["socket_mode_enabled"] is False
    assert set(data["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "users:read"}
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_socket_mode_manifest_has_no_request_urls() -> None:
    data = manifest(slack_app_token="xapp-1-x", slack_signing_secret=None)
    assert data["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in data["settings"]["event_subscriptions"]
    assert all("url" not in c for c in data["features"]["slash_commands"])


async def test_every_manifest_command_has_a_listener(harness) -> None:
    for command in manifest()["features"]["slash_commands"]:
        response = await harness.slack.command(harness.me, command["command"], "help")
        assert response.status_code == 200, command["command"]
        assert response.json().get("blocks"), command["command"]


async def test_every_manifest_event_is_acknowledged(harness) -> None:
    for event_type in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        # A `message.channels` subscription delivers events of type `message` (Bolt refuses the dotted name).
        event = {"type": event_type.split(".")[0], "user": "U0LOCAL", "tab": "messages"}
        if event_type == "tokens_revoked":
            event["tokens"] = {"bot": ["U0BOT"]}
        response = await harness.slack.event(harness.me, event)
        assert response.status_code == 200, event_type
