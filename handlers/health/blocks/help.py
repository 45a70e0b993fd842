"""`/followthrough health help`: how to ask, what each finding means, and the thresholds with this workspace's
values (and the defaults where they differ)."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.health.blocks.words import KIND_MEANS, KIND_TITLE, SEVERITY_MARK, THRESHOLD_MEANS
from handlers.kit.text import clip
from services.health import Severity, Thresholds
from services.health.settings import DAYS


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def threshold_lines(limits: Thresholds, defaults: dict[str, float | int]) -> list[str]:
    lines = []
    for name, default in defaults.items():
        value = getattr(limits, name)
        changed = f" (default {_shown(default)})" if value != default else ""
        means = THRESHOLD_MEANS.get(name)
        lines.append(f"• `{name}` *{_shown(value)}*{changed}" + (f": {means}" if means else ""))
    return lines


def _shown(value: float | int) -> str:
    """A share as people say it (0.15 is 15%); counts and days as they are. Admins still type the share."""
    return f"{value:g} ({round(value * 100)}%)" if isinstance(value, float) else str(value)


def weekly_line(day: int, hour: int) -> str:
    return f"• `weekly` *{DAYS[day]} {hour}*: the weekly health post's day and hour, in the workspace's time zone"


def help_blocks(details: list[str], limits: Thresholds, defaults: dict[str, float | int], weekly: str) -> list[dict]:
    marks = " ".join(f"{SEVERITY_MARK[s]} {s.name.lower()}" for s in Severity)
    kinds = [f"• *{KIND_TITLE[kind]}*: {means}" for kind, means in KIND_MEANS.items()]
    blocks = [
        HeaderBlock(text="/followthrough health"),
        _section("\n".join(details)),
        DividerBlock(),
        _section(f"*What each finding means* ({marks})\n" + "\n".join(kinds)),
        _section("*Thresholds here*\n" + "\n".join([*threshold_lines(limits, defaults), weekly])),
        ContextBlock(elements=[MarkdownTextObject(text="Admins change them: `/followthrough health settings "
                                                       "stale_days 10`, `/followthrough health weekly monday 9`.")]),
    ]  # fmt: skip
    return [b.to_dict() for b in blocks]
