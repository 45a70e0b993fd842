"""The Slack app manifest, generated from the same constants the listeners register from."""

from __future__ import annotations

from typing import Any

import yaml

from bot import surface
from bot.settings import Mode, Settings

EVENTS_PATH = "/slack/events"


def build_manifest(settings: Settings) -> dict[str, Any]:
    socket = settings.mode is Mode.SOCKET
    request_url = f"{settings.public_url}{EVENTS_PATH}"
    commands = []
    for command in surface.COMMANDS:
        entry: dict[str, Any] = {
            "command": command.name,
            "description": command.description,
            "usage_hint": command.usage_hint,
            "should_escape": command.should_escape,
        }
        if not socket:
            entry["url"] = request_url
        commands.append(entry)
    events: dict[str, Any] = {"bot_events": list(surface.BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket:
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
        interactivity["message_menu_options_url"] = request_url
    oauth: dict[str, Any] = {"scopes": {"bot": list(surface.BOT_SCOPES)}}
    if settings.slack_client_id:
        oauth["redirect_urls"] = [f"{settings.public_url}/slack/oauth_redirect"]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": settings.app_name,
            "description": "Outcomes, progress, action items, check-ins and decisions where your team already works.",
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": settings.app_name.lower(), "always_online": True},
            "slash_commands": commands,
            "shortcuts": [
                {"name": s.name, "type": "message", "callback_id": s.callback_id, "description": s.description}
                for s in surface.MESSAGE_SHORTCUTS
            ],
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(settings: Settings) -> str:
    return yaml.safe_dump(build_manifest(settings), sort_keys=False, allow_unicode=True)
