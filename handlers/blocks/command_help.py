"""Help for one command: what it does, its grammar, examples to copy."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.surface import SlashCommand
from handlers.blocks.help import command_section
from handlers.blocks.outcome import esc


def command_help_blocks(command: SlashCommand, details: list[str], *, unknown: str | None = None) -> list[dict]:
    blocks: list = []
    if unknown:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=f"I don't know `{unknown[:100]}`. Here is what {command.name} does:")
            )
        )
    blocks += [HeaderBlock(text=command.name), command_section(command)]
    if details:
        blocks += [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=esc("\n".join(details))))]
    usage = esc(f"{command.name} {command.usage_hint}")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Usage: `{usage}`")]))
    return [b.to_dict() for b in blocks]


def command_help_text(command: SlashCommand, *, unknown: str | None = None) -> str:
    prefix = f"I don't know `{unknown[:100]}`. " if unknown else ""
    return f"{prefix}{command.name}: {command.description}. Try `{command.name} help`."
