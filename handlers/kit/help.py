"""Help: what each command does, with examples people can copy; every feature's `help` answers with these."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.surface import COMMANDS, SlashCommand
from handlers.kit.text import esc

INTRO = (
    "Followthrough keeps a team's execution visible where the team already talks: clear outcomes with "
    "one owner, progress logged in seconds, short written check-ins, action items that follow through, "
    "meetings with an agenda and a desired outcome, and decisions that always have a decider and a date."
)


def command_section(command: SlashCommand) -> SectionBlock:
    lines = [f"*{command.name}*  {command.description}"]
    lines += [f"• `{command.name} {typed}`  {meaning}" for typed, meaning in command.examples]
    return SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))


def not_known(unknown: str | None) -> str:
    """`I don't know `what they typed`. `, or nothing; `unknown` is as typed (a command's text, unescaped once)."""
    return f"I don't know `{esc(unknown[:100])}`. " if unknown else ""


def help_blocks(*, unknown: str | None = None, commands: tuple[SlashCommand, ...] = COMMANDS) -> list:
    blocks: list = []
    if unknown:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{not_known(unknown)}Here is what I do know:")))
    blocks += [HeaderBlock(text="Followthrough"), SectionBlock(text=MarkdownTextObject(text=INTRO)), DividerBlock()]
    blocks += [command_section(c) for c in commands]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="Add `help` to any command for its details.")]))
    return [b.to_dict() for b in blocks]


def short_help_blocks() -> list[dict]:
    """Help in two lines, for the foot of the Home tab: the commands by name and where the examples are."""
    names = " · ".join(f"`{c.name}`" for c in COMMANDS if c is not COMMANDS[0])
    text = f"*Commands* {names}\n`/followthrough help` shows what each does, with examples to copy."
    return [ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()]


def help_text(*, unknown: str | None = None) -> str:
    """Notification fallback for the blocks above."""
    return not_known(unknown) + "Followthrough commands: " + ", ".join(c.name for c in COMMANDS)


def command_help_blocks(command: SlashCommand, details: list[str], *, unknown: str | None = None) -> list[dict]:
    blocks: list = []
    if unknown:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"{not_known(unknown)}Here is what {command.name} does:"))
        )
    blocks += [HeaderBlock(text=command.name), command_section(command)]
    if details:
        blocks.append(DividerBlock())
        blocks += [SectionBlock(text=MarkdownTextObject(text=text)) for text in _sections(details)]
    usage = esc(f"{command.name} {command.usage_hint}")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Usage: `{usage}`")]))
    return [b.to_dict() for b in blocks]


def _sections(details: list[str], limit: int = 3000) -> list[str]:
    """The details, as few sections as Slack's 3,000 characters per section allow, never splitting one."""
    sections: list[str] = []
    for detail in (esc(d) for d in details):
        if sections and len(sections[-1]) + 1 + len(detail) <= limit:
            sections[-1] += "\n" + detail
        else:
            sections.append(detail[:limit])
    return sections


def command_help_text(command: SlashCommand, *, unknown: str | None = None) -> str:
    return f"{not_known(unknown)}{command.name}: {command.description}. Try `{command.name} help`."
