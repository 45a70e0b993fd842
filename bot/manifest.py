"""The Slack app manifest, generated from the same constants the listeners register from.

`followthrough manifest` is the first step of a real install, before any token exists, so it reads no
credentials: flags (with PUBLIC_URL, SLACK_APP_TOKEN and SLACK_CLIENT_ID as defaults) say what to print.
"""

from __future__ import annotations

import ipaddress
import sys
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import yaml
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import surface

EVENTS_PATH = "/slack/events"
APP_NAME = "Followthrough"
EXAMPLE_URL = "https://followthrough.example.org"
INVITE_ADVICE = (
    f"The bot posts only in channels it is a member of: `{surface.INVITE}` in each channel that runs a check-in, "
    "or where decisions are asked and outcomes announced."
)


@dataclass(frozen=True)
class ManifestOptions:
    public_url: str | None = None  # where Slack sends requests; unused in Socket Mode
    socket_mode: bool = False
    oauth: bool = False  # many workspaces install it: a redirect URL for /slack/oauth_redirect


class _Environment(BaseSettings):
    """Only what the manifest needs from the environment, read without the app's checks: a half-configured
    environment (an app token, no bot token yet) is exactly the one this command is for."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    public_url: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None


class ManifestError(Exception):
    """The manifest can't be made as asked; the message says what to do instead."""


def options_from(url: str | None, socket_mode: bool, oauth: bool) -> ManifestOptions:
    """Flags first, then the environment."""
    env = _Environment()
    socket = socket_mode or bool(env.slack_app_token)
    if oauth and socket:
        raise ManifestError(
            "OAuth installs for many workspaces need HTTP mode: drop --socket-mode (and SLACK_APP_TOKEN), "
            "or drop --oauth to install the Socket Mode app in one workspace."
        )
    return ManifestOptions(
        public_url=url or env.public_url or None, socket_mode=socket, oauth=oauth or bool(env.slack_client_id)
    )


def check_url(options: ManifestOptions) -> str | None:
    """Refuses an HTTP-mode manifest without an address; returns a warning for one Slack can't reach."""
    if options.socket_mode:
        return None
    url = (options.public_url or "").rstrip("/")
    if not url:
        raise ManifestError(
            "Slack needs the public address it will send commands and events to. Pass it with "
            f"`followthrough manifest --url {EXAMPLE_URL}` (or set PUBLIC_URL), or print a Socket Mode "
            "manifest with `followthrough manifest --socket-mode`: then the app connects to Slack and needs "
            "no public address."
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ManifestError(f"{url} is not a web address; it looks like {EXAMPLE_URL}.")
    if parts.scheme != "https":
        return f"Warning: Slack sends requests only to https:// addresses, so it will refuse {url}."
    if _private(parts.hostname):
        return (
            f"Warning: {parts.hostname} is not reachable from the internet, so Slack can't send anything to it. "
            "Use the app's public address, or --socket-mode."
        )
    return None


def _private(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def build_manifest(options: ManifestOptions) -> dict[str, Any]:
    socket = options.socket_mode
    base = (options.public_url or "").rstrip("/")
    request_url = f"{base}{EVENTS_PATH}"
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
    if options.oauth and not socket:
        # Installs come back to the first; Sign in with Slack (OpenID Connect) to the second, with user scopes.
        oauth["redirect_urls"] = [f"{base}/slack/oauth_redirect", f"{base}{surface.SIGN_IN_CALLBACK_PATH}"]
        oauth["scopes"]["user"] = list(surface.SIGN_IN_SCOPES)
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": APP_NAME,
            "description": "Outcomes, progress, action items, check-ins and decisions where your team already works.",
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": surface.BOT_HANDLE, "always_online": True},
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


def manifest_yaml(options: ManifestOptions) -> str:
    return yaml.safe_dump(build_manifest(options), sort_keys=False, allow_unicode=True)


def print_manifest(
    url: str | None, socket_mode: bool, oauth: bool, *, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr
) -> int:
    """`followthrough manifest`: the YAML on stdout (so it can be redirected to a file), advice on stderr."""
    try:
        options = options_from(url, socket_mode, oauth)
        warning = check_url(options)
    except ManifestError as exc:
        print(exc, file=stderr)
        return 2
    if warning:
        print(warning, file=stderr)
    if options.socket_mode and url:
        print("Socket Mode: the app connects to Slack itself, so the manifest has no URLs (--url is not used).",
              file=stderr)  # fmt: skip
    stdout.write(manifest_yaml(options))
    print(_next_step(options), file=stderr)
    return 0


def _next_step(options: ManifestOptions) -> str:
    step = "Create the app from this manifest at https://api.slack.com/apps (From an app manifest)"
    if options.socket_mode:
        return (
            f"{step}, then make an app-level token with connections:write (SLACK_APP_TOKEN) and install it to "
            f"your workspace for the bot token (SLACK_BOT_TOKEN). {INVITE_ADVICE}"
        )
    return f"{step}, then install it and set its tokens (see the README). {INVITE_ADVICE}"
