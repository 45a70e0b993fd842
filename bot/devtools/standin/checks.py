"""Argument checks that make the stand-in refuse what Slack refuses."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.devtools.standin.calls import SlackError, invalid_arguments

MAX_MESSAGE_BLOCKS = 50
MAX_TEXT = 40_000
MAX_INPUT_LENGTH = 3000
_TS = re.compile(r"^\d{1,10}\.\d{6}$")

# The published spec (2020) under-states some required arguments that Slack enforces today;
# these are the ones the simulated methods rely on.
EXTRA_REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.delete": ("channel", "ts"),
    "conversations.history": ("channel",),
    "conversations.info": ("channel",),
    "conversations.members": ("channel",),
    "conversations.replies": ("channel", "ts"),
    "users.info": ("user",),
    "views.update": ("view",),
}


@cache
def method_table() -> dict[str, dict[str, list[str]]]:
    text = resources.files("bot.devtools.standin").joinpath("data/slack_methods.json").read_text(encoding="utf-8")
    return json.loads(text)


def required_args(method: str) -> list[str]:
    spec = method_table().get(method, {"required": []})
    return sorted(set(spec["required"]) | set(EXTRA_REQUIRED.get(method, ())))


def check_required(method: str, args: dict) -> None:
    missing = [name for name in required_args(method) if name not in args]
    if missing:
        raise invalid_arguments(*(f"[ERROR] missing required field: {name}" for name in missing))


def truthy(value: object) -> bool:
    """A boolean argument as Slack reads it: JSON true, or "true" / "1" in a form or query string."""
    return value is True or str(value).lower() in ("true", "1")


def parse_json_arg(args: dict, name: str, error: str = "invalid_arguments") -> Any:
    """Form posts carry structured args as JSON strings; JSON posts carry them as-is."""
    value = args.get(name)
    if isinstance(value, str):
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError as e:
            raise SlackError(error, messages=[f"[ERROR] failed to parse {name} as JSON: {e}"]) from e
    return value


def _types(node: Any) -> list[str]:
    """Every `type` in a JSON tree; slack_sdk silently drops elements it cannot parse."""
    if isinstance(node, dict):
        found = [node["type"]] if isinstance(node.get("type"), str) else []
        for value in node.values():
            found.extend(_types(value))
        return found
    if isinstance(node, list):
        return [t for item in node for t in _types(item)]
    return []


def _long_inputs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = []
        if node.get("type") == "plain_text_input":
            for key in ("max_length", "min_length"):
                if isinstance(node.get(key), int) and node[key] > MAX_INPUT_LENGTH:
                    found.append(f"[ERROR] must be less than {MAX_INPUT_LENGTH + 1} [json-pointer:{key}]")
        return found + [m for value in node.values() for m in _long_inputs(value)]
    if isinstance(node, list):
        return [m for item in node for m in _long_inputs(item)]
    return []


def block_problems(blocks: Any) -> list[str]:
    """Why Slack would refuse these blocks; empty when they are fine."""
    if not isinstance(blocks, list):
        return ["[ERROR] blocks must be an array"]
    problems: list[str] = []
    for i, raw in enumerate(blocks):
        if not isinstance(raw, dict):
            problems.append(f"[ERROR] must be an object [json-pointer:/blocks/{i}]")
            continue
        parsed = Block.parse(raw)
        if parsed is None:
            problems.append(f"[ERROR] unsupported type: {raw.get('type')} [json-pointer:/blocks/{i}]")
            continue
        try:
            out = parsed.to_dict()
        except SlackObjectFormationError as e:
            problems.append(f"[ERROR] {e} [json-pointer:/blocks/{i}]")
            continue
        lost = sorted(set(_types(raw)) - set(_types(out)))
        if lost:
            problems.append(f"[ERROR] unsupported type: {', '.join(lost)} [json-pointer:/blocks/{i}]")
    return problems + _long_inputs(blocks)


def check_message_blocks(args: dict, error: str = "invalid_blocks") -> list | None:
    blocks = parse_json_arg(args, "blocks", error)
    if blocks is None:
        return None
    problems = block_problems(blocks)
    if isinstance(blocks, list) and len(blocks) > MAX_MESSAGE_BLOCKS:
        problems.append(f"[ERROR] no more than {MAX_MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]")
    if problems:
        raise SlackError(error, messages=problems)
    return blocks


def check_message_content(args: dict) -> tuple[str, list | None]:
    """Returns (text, blocks) of a message after Slack's checks."""
    blocks = check_message_blocks(args)
    attachments = parse_json_arg(args, "attachments", "invalid_attachments")
    text = args.get("text") or ""
    if not isinstance(text, str):
        text = str(text)
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    return text, blocks


def check_view(args: dict, types: tuple[str, ...] = ("modal", "home")) -> dict:
    view = parse_json_arg(args, "view")
    if not isinstance(view, dict):
        raise invalid_arguments("[ERROR] view must be an object [json-pointer:/view]")
    missing = [k for k in ("type", "blocks") if k not in view]
    if view.get("type") == "modal" and "title" not in view:
        missing.append("title")
    if missing:
        raise invalid_arguments(*(f"[ERROR] missing required field: {k} [json-pointer:/view]" for k in missing))
    if view["type"] not in types:
        raise invalid_arguments(f"[ERROR] must be one of: {', '.join(types)} [json-pointer:/view/type]")
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as e:
        raise invalid_arguments(f"[ERROR] {e} [json-pointer:/view]") from e
    problems = block_problems(view["blocks"])
    if problems:
        raise invalid_arguments(*(p.replace("json-pointer:/blocks", "json-pointer:/view/blocks") for p in problems))
    return view


def check_ts(value: Any, error: str, name: str) -> str:
    ts = str(value)
    if not _TS.match(ts):
        raise SlackError(error, messages=[f"[ERROR] {ts} is not a valid {name}"])
    return ts
