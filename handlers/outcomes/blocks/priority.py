"""Block Kit for /priority: the ranked list."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc, plural
from services.outcomes.priorities import PriorityLine


def priority_list_blocks(lines: list[PriorityLine], *, is_admin: bool) -> list[dict]:
    if not lines:
        text = "*Priorities*\nNo priorities yet."
        if is_admin:
            text += " Add the first with `/priority add Grow self-serve revenue`; outcomes can then serve it."
        else:
            text += " A workspace admin can add them with `/priority add` and a title."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    rows = []
    for rank, line in enumerate(lines, 1):
        counts = plural(line.open_outcomes, "open outcome")
        if line.worrying:
            counts += f", {line.worrying} at risk or off track"
        rows.append(f"{rank}. *{line.priority.ref}* {esc(clip(line.priority.title, 150))} · {counts}")
    blocks = [SectionBlock(text=MarkdownTextObject(text="*Priorities*, most important first"))]
    # Several sections: one section's text stops at 3,000 characters.
    for start in range(0, len(rows), 10):
        blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(rows[start : start + 10]))))
    hint = "Admins: `/priority rank P-2 1` moves P-2 to the top." if is_admin else "Outcomes pick one under *Serves*."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
    return [b.to_dict() for b in blocks[:50]]
