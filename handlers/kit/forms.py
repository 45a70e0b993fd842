"""Modals: reading what was typed, carrying where a form came from, and putting errors on their fields."""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View


def state_of(values: dict, block: str) -> dict[str, Any]:
    """One input's state; every input here uses its block id as its action id."""
    return (values.get(block) or {}).get(block) or {}


def typed(values: dict, block: str) -> str:
    return state_of(values, block).get("value") or ""


def chosen(values: dict, block: str) -> str | None:
    return (state_of(values, block).get("selected_option") or {}).get("value")


def chosen_all(values: dict, block: str) -> list[str]:
    return [o["value"] for o in state_of(values, block).get("selected_options") or []]


def encode_meta(**values: Any) -> str:
    """private_metadata: what a form's submission needs to know about where it came from."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def decode_meta(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def field_errors(errors: Mapping[Any, str], blocks: Mapping[Any, str], fallback: str) -> dict[str, str]:
    """A service's errors (by field) as Slack's `response_action="errors"` map (by block id).

    A field the form does not show lands on `fallback`, so no error is ever dropped."""
    shown: dict[str, str] = {}
    for field, message in errors.items():
        block = str(blocks.get(field, fallback))
        shown[block] = f"{shown[block]} {message}" if block in shown else message
    return shown


def text_input(
    block: StrEnum | str,
    label: str,
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
    **element: Any,
) -> InputBlock:
    """A plain-text input whose action id is its block id (so `typed(values, block)` reads it)."""
    return InputBlock(
        block_id=str(block),
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(action_id=str(block), initial_value=initial or None, **element),
    )


def labelled(
    block: StrEnum | str, label: str, element: Any, *, optional: bool = False, hint: str | None = None
) -> InputBlock:
    """Any input element under a label; the element's action id must equal the block id."""
    return InputBlock(block_id=str(block), label=label, optional=optional, hint=hint, element=element)


def modal(
    callback: StrEnum | str,
    title: str,
    blocks: list,
    *,
    submit: str | None = "Save",
    metadata: str = "",
    close: str = "Cancel",
) -> dict:
    """A modal view, validated by slack_sdk (title, submit and close fit Slack's limits)."""
    return View(
        type="modal",
        callback_id=str(callback),
        title=title,
        submit=submit,
        close=close,
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()
