"""Reading the app's HTTP answers (acks) the way Slack reads them."""

from __future__ import annotations

import json
from typing import Any

import httpx

from bot.devtools.shell.modal import AnswerError, pick_option
from bot.devtools.shell.render import all_options


def json_body(resp: httpx.Response) -> dict[str, Any] | None:
    if not resp.content:
        return None
    try:
        body = json.loads(resp.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def options_of(resp: httpx.Response) -> list[dict[str, Any]]:
    return all_options(json_body(resp) or {})


def pick_first(options: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    if not options:
        raise AnswerError(f"nothing matches {answer!r}")
    return pick_option(options, "1" if len(options) == 1 else answer)
