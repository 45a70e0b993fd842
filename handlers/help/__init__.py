"""/followthrough: help, and an answer (never silence) for anything it does not know."""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.surface import FOLLOWTHROUGH
from handlers.kit.help import help_blocks, help_text
from handlers.kit.home import HomeTab
from handlers.kit.text import from_command


async def followthrough_command(ack: AsyncAck, command: dict) -> None:
    word = from_command(command.get("text") or "").strip()
    unknown = None if word.lower() in ("", "help", "?") else word
    await ack(text=help_text(unknown=unknown), blocks=help_blocks(unknown=unknown))


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(FOLLOWTHROUGH.name)(followthrough_command)
