"""Everything Slack must know about the app: commands, events, scopes.

Listeners register from these constants and the manifest is generated from them, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlashCommand:
    name: str
    description: str  # manifest and help; Slack caps it at 2000 characters
    usage_hint: str
    examples: tuple[tuple[str, str], ...] = ()  # (typed text, what it does), shown by help


FOLLOWTHROUGH = SlashCommand(
    "/followthrough",
    "What Followthrough does, with examples",
    "help",
    examples=(("help", "this overview of every command"),),
)

COMMANDS: tuple[SlashCommand, ...] = (FOLLOWTHROUGH,)

BOT_EVENTS: tuple[str, ...] = (
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
)

BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "users:read",
    "im:write",
)
