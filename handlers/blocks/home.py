"""The App Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.blocks.basic_components import MarkdownTextObject
from slack_sdk.models.views import View

from handlers.blocks.help import help_blocks


def home_view(display_name: str | None) -> dict:
    greeting = f"Hello {display_name}!" if display_name else "Hello!"
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"*{greeting}* Here is how to get started.")).to_dict()]
    return View(type="home", blocks=blocks + help_blocks()).to_dict()
