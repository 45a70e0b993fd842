"""Help: what each command does, with examples people can copy."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.surface import COMMANDS, SlashCommand

INTRO = (
    "Followthrough keeps a team's execution visible where the team already talks: clear outcomes with "
    "one owner, progress logged in seconds, short written check-ins, and decisions that always have a "
    "decider and a date."
)


def command_section(command: SlashCommand) -> SectionBlock:
    lines = [f"*{command.name}*  {command.description}"]
    lines += [f"• `{command.name} {typed}`  {meaning}" for typed, meaning in command.examples]
    return SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))


def help_blocks(*, unknown: str | None = None, commands: tuple[SlashCommand, ...] = COMMANDS) -> list:
    blocks: list = []
    if unknown:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"I don't know `{unknown[:100]}`. Here is what I do know:"))
        )
    blocks += [HeaderBlock(text="Followthrough"), SectionBlock(text=MarkdownTextObject(text=INTRO)), DividerBlock()]
    blocks += [command_section(c) for c in commands]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="Add `help` to any command for its details.")]))
    return [b.to_dict() for b in blocks]


def help_text(*, unknown: str | None = None) -> str:
    """Notification fallback for the blocks above."""
    prefix = f"I don't know `{unknown[:100]}`. " if unknown else ""
    return prefix + "Followthrough commands: " + ", ".join(c.name for c in COMMANDS)
