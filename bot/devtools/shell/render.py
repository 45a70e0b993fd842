"""Block Kit and mrkdwn as plain text, with interactive elements numbered so `:click N` can press them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.devtools.shell.directory import Directory

RULE = "-" * 40
SELECT_TYPES = {
    "static_select", "external_select", "users_select", "conversations_select", "channels_select",
    "multi_static_select", "multi_external_select", "multi_users_select", "multi_conversations_select",
    "multi_channels_select", "overflow", "datepicker", "timepicker", "datetimepicker", "radio_buttons", "checkboxes",
}  # fmt: skip

_LINK = re.compile(r"<([^<>]+)>")


@dataclass
class Control:
    """An interactive element as shown: its number, the element and the block that holds it."""

    number: int
    element: dict[str, Any]
    block_id: str

    @property
    def label(self) -> str:
        return element_label(self.element)

    @property
    def is_button(self) -> bool:
        return self.element.get("type") == "button"


@dataclass
class Rendered:
    text: str
    controls: list[Control] = field(default_factory=list)


def _link(match: re.Match[str], directory: Directory) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or directory.user_name(target[1:]))
    if target.startswith("#"):
        return "#" + (label or directory.channel_name(target[1:]).lstrip("#"))
    if target.startswith("!date^"):
        if label:
            return label
        stamp = target.split("^")[1]
        return datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%d %H:%M UTC") if stamp.isdigit() else target
    if target.startswith("!subteam^"):
        return label or "@team"
    if target.startswith("!"):
        return "@" + (label or target[1:])
    if label:
        return f"{label} ({target})"
    return target.removeprefix("mailto:")


def mrkdwn(text: str, directory: Directory) -> str:
    """Slack's mrkdwn made readable: mentions by name, links as `label (url)`, dates by their fallback."""
    return html.unescape(_LINK.sub(lambda m: _link(m, directory), text or ""))


def text_of(obj: Any, directory: Directory) -> str:
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if obj.get("type") == "mrkdwn":
        return mrkdwn(obj.get("text", ""), directory)
    return obj.get("text", "")


def element_label(element: dict[str, Any]) -> str:
    kind = element.get("type", "")
    if kind == "button":
        return (element.get("text") or {}).get("text", "button")
    placeholder = (element.get("placeholder") or {}).get("text")
    return placeholder or kind.replace("_", " ")


def option_text(option: dict[str, Any]) -> str:
    return (option.get("text") or {}).get("text", option.get("value", ""))


def all_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


class _Renderer:
    def __init__(self, directory: Directory, controls: list[Control]):
        self.d = directory
        self.controls = controls
        self.lines: list[str] = []

    def control(self, element: dict[str, Any], block_id: str) -> str:
        number = len(self.controls) + 1
        self.controls.append(Control(number, element, block_id))
        kind = element.get("type")
        if kind == "button":
            suffix = f" -> {element['url']}" if element.get("url") else ""
            return f"[{number}] {element_label(element)}{suffix}"
        if kind == "overflow":
            return f"[{number}] ... ({' / '.join(option_text(o) for o in all_options(element))})"
        if kind in ("radio_buttons", "checkboxes"):
            return f"[{number}] ({' / '.join(option_text(o) for o in all_options(element))})"
        return f"[{number}] {element_label(element)} v"

    def element_inline(self, element: dict[str, Any], block_id: str) -> str:
        kind = element.get("type")
        if kind == "image":
            return f"(image: {element.get('alt_text', '')})"
        if kind in ("plain_text", "mrkdwn"):
            return text_of(element, self.d)
        if kind == "button" or kind in SELECT_TYPES:
            return self.control(element, block_id)
        return f"({kind})"

    def block(self, block: dict[str, Any]) -> None:
        kind = block.get("type")
        draw = self.DRAWERS.get(kind)
        if draw is None:
            self.lines.append(f"({kind} block)")
        else:
            draw(self, block, block.get("block_id", ""))

    def header(self, block: dict[str, Any], _: str) -> None:
        title = text_of(block.get("text"), self.d)
        self.lines += [title, "=" * min(len(title), 60)]

    def section(self, block: dict[str, Any], block_id: str) -> None:
        text = text_of(block.get("text"), self.d)
        accessory = block.get("accessory")
        extra = self.element_inline(accessory, block_id) if accessory else ""
        if text:
            lines = text.splitlines() or [""]
            self.lines.append(lines[0] + (f"   {extra}" if extra else ""))
            self.lines.extend(lines[1:])
        elif extra:
            self.lines.append(extra)
        fields = [text_of(f, self.d) for f in block.get("fields") or []]
        for i in range(0, len(fields), 2):
            self.lines.append("  " + "    ".join(f.replace("\n", " ") for f in fields[i : i + 2]))

    def context(self, block: dict[str, Any], block_id: str) -> None:
        self.lines.append("  " + " · ".join(self.element_inline(e, block_id) for e in block.get("elements") or []))

    def divider(self, _block: dict[str, Any], _: str) -> None:
        self.lines.append(RULE)

    def actions(self, block: dict[str, Any], block_id: str) -> None:
        self.lines.append("  ".join(self.control(e, block_id) for e in block.get("elements") or []))

    def input(self, block: dict[str, Any], _: str) -> None:
        element = block.get("element") or {}
        optional = " (optional)" if block.get("optional") else ""
        self.lines.append(f"{text_of(block.get('label'), self.d)}{optional}: <{element.get('type', 'input')}>")
        if block.get("hint"):
            self.lines.append(f"  {text_of(block.get('hint'), self.d)}")

    def image(self, block: dict[str, Any], _: str) -> None:
        title = text_of(block.get("title"), self.d)
        self.lines.append(f"(image: {block.get('alt_text', '')}){' ' + title if title else ''}")

    def rich(self, block: dict[str, Any], _: str) -> None:
        self.lines.append(rich_text(block, self.d))

    def markdown(self, block: dict[str, Any], _: str) -> None:
        self.lines.append(block.get("text", ""))

    DRAWERS: dict[str, Any] = {
        "header": header,
        "section": section,
        "context": context,
        "divider": divider,
        "actions": actions,
        "input": input,
        "image": image,
        "rich_text": rich,
        "markdown": markdown,
    }


def _rich_elements(elements: list[dict[str, Any]], d: Directory) -> str:
    parts = []
    for e in elements:
        kind = e.get("type")
        if kind == "text":
            text = e.get("text", "")
            parts.append(f"*{text}*" if (e.get("style") or {}).get("bold") and text.strip() else text)
        elif kind == "link":
            parts.append(f"{e['text']} ({e['url']})" if e.get("text") else e.get("url", ""))
        elif kind == "user":
            parts.append("@" + d.user_name(e.get("user_id")))
        elif kind == "channel":
            parts.append(d.channel_name(e.get("channel_id")))
        elif kind == "emoji":
            parts.append(f":{e.get('name')}:")
        elif kind == "broadcast":
            parts.append("@" + e.get("range", "here"))
        elif kind == "date":
            parts.append(e.get("fallback") or str(e.get("timestamp")))
        else:
            parts.append(e.get("text", ""))
    return "".join(parts)


def rich_text(block: dict[str, Any], d: Directory) -> str:
    lines: list[str] = []
    for part in block.get("elements") or []:
        kind = part.get("type")
        if kind == "rich_text_list":
            for i, item in enumerate(part.get("elements") or [], 1):
                bullet = f"{i}." if part.get("style") == "ordered" else "-"
                lines.append(f"{'  ' * part.get('indent', 0)}{bullet} {_rich_elements(item.get('elements') or [], d)}")
        elif kind == "rich_text_quote":
            lines.extend("> " + line for line in _rich_elements(part.get("elements") or [], d).splitlines())
        elif kind == "rich_text_preformatted":
            lines.extend("    " + line for line in _rich_elements(part.get("elements") or [], d).splitlines())
        else:
            lines.append(_rich_elements(part.get("elements") or [], d))
    return "\n".join(lines)


def render_blocks(blocks: list[dict[str, Any]], directory: Directory, *, skip_inputs: bool = False) -> Rendered:
    controls: list[Control] = []
    r = _Renderer(directory, controls)
    for block in blocks or []:
        if skip_inputs and block.get("type") == "input":
            continue
        r.block(block)
    return Rendered("\n".join(r.lines), controls)


def render_message(text: str | None, blocks: list[dict[str, Any]] | None, directory: Directory) -> Rendered:
    """Blocks when there are any (Slack shows those), else the text."""
    if blocks:
        return render_blocks(blocks, directory)
    return Rendered(mrkdwn(text or "", directory))


def render_view(view: dict[str, Any], directory: Directory, *, skip_inputs: bool = False) -> Rendered:
    title = text_of(view.get("title"), directory) or ("Home" if view.get("type") == "home" else "Modal")
    body = render_blocks(view.get("blocks") or [], directory, skip_inputs=skip_inputs)
    head = f"+-- {title} " + "-" * max(4, 36 - len(title))
    lines = [head]
    if body.text:
        lines.extend("| " + line for line in body.text.splitlines())
    buttons = [f"{text_of(view.get(k), directory)}" for k in ("submit", "close") if view.get(k)]
    foot = "+" + "-" * (len(head) - 1)
    if buttons and not skip_inputs:
        foot = f"+-- ({' / '.join(buttons)}) " + "-" * max(4, 30 - len(" / ".join(buttons)))
    lines.append(foot)
    return Rendered("\n".join(lines), body.controls)


def indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())
