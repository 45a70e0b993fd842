"""Modal inputs in Slack's exact `state.values` shape: typed answers parsed and checked as Slack's client would."""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.devtools.shell.directory import Directory
from bot.devtools.shell.render import all_options, option_text, text_of

MULTI_SELECTS = {"multi_static_select", "checkboxes", "multi_external_select"}
# The state key each element reports its value under, and whether it holds a list.
STATE_KEYS: dict[str, tuple[str, bool]] = {
    "plain_text_input": ("value", False),
    "url_text_input": ("value", False),
    "email_text_input": ("value", False),
    "number_input": ("value", False),
    "rich_text_input": ("rich_text_value", False),
    "static_select": ("selected_option", False),
    "external_select": ("selected_option", False),
    "radio_buttons": ("selected_option", False),
    "overflow": ("selected_option", False),
    "multi_static_select": ("selected_options", True),
    "multi_external_select": ("selected_options", True),
    "checkboxes": ("selected_options", True),
    "users_select": ("selected_user", False),
    "multi_users_select": ("selected_users", True),
    "conversations_select": ("selected_conversation", False),
    "multi_conversations_select": ("selected_conversations", True),
    "channels_select": ("selected_channel", False),
    "multi_channels_select": ("selected_channels", True),
    "datepicker": ("selected_date", False),
    "timepicker": ("selected_time", False),
    "datetimepicker": ("selected_date_time", False),
}
INITIAL_KEYS = {
    "value": "initial_value",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "rich_text_value": "initial_value",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AnswerError(ValueError):
    """A typed answer Slack's client would not accept; the message says what would be."""


@dataclass
class Field:
    block_id: str
    action_id: str
    element: dict[str, Any]
    label: str
    hint: str
    optional: bool

    @property
    def kind(self) -> str:
        return self.element.get("type", "")

    @property
    def multiline(self) -> bool:
        if self.kind == "rich_text_input":
            return True
        return self.kind == "plain_text_input" and bool(self.element.get("multiline"))


def _short_id() -> str:
    return uuid.uuid4().hex[:5]


def prepare_view(view: dict[str, Any]) -> dict[str, Any]:
    """A copy of the view with every block and input element id filled in, as Slack fills them when it
    renders a view: the submitted view and its state must agree on them."""
    view = copy.deepcopy(view)
    for block in view.get("blocks") or []:
        block.setdefault("block_id", _short_id())
        element = block.get("element")
        if block.get("type") == "input" and isinstance(element, dict):
            element.setdefault("action_id", _short_id())
        for e in block.get("elements") or []:
            if isinstance(e, dict) and e.get("type") not in ("plain_text", "mrkdwn", "image"):
                e.setdefault("action_id", _short_id())
        if isinstance(block.get("accessory"), dict) and block["accessory"].get("type") != "image":
            block["accessory"].setdefault("action_id", _short_id())
    return view


def input_fields(view: dict[str, Any], directory: Directory) -> list[Field]:
    fields = []
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        fields.append(
            Field(
                block_id=block.get("block_id", ""),
                action_id=element.get("action_id", ""),
                element=element,
                label=text_of(block.get("label"), directory),
                hint=text_of(block.get("hint"), directory),
                optional=bool(block.get("optional")),
            )
        )
    return fields


def empty_state(element: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends for an input left empty: null, or an empty list for multi-value elements."""
    kind = element.get("type", "")
    key, many = STATE_KEYS.get(kind, ("value", False))
    return {"type": kind, key: [] if many else None}


def has_value(state: dict[str, Any] | None) -> bool:
    if not state:
        return False
    key, _ = STATE_KEYS.get(state.get("type", ""), ("value", False))
    return state.get(key) not in (None, [], "")


def _rich_text_value(text: str) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }


def initial_state(element: dict[str, Any]) -> dict[str, Any] | None:
    kind = element.get("type", "")
    key, _ = STATE_KEYS.get(kind, ("value", False))
    initial = element.get(INITIAL_KEYS[key])
    if initial in (None, [], ""):
        return None
    if kind == "plain_text_input" or kind in ("url_text_input", "email_text_input", "number_input"):
        initial = str(initial)
    if kind == "rich_text_input" and isinstance(initial, str):
        initial = _rich_text_value(initial)
    state = {"type": kind, key: copy.deepcopy(initial)}
    if kind == "timepicker" and element.get("timezone"):
        state["timezone"] = element["timezone"]
    return state


def describe_state(state: dict[str, Any], directory: Directory, tz: str = "UTC") -> str:
    """A state value as the person would type it, to offer it as the default."""
    kind = state.get("type", "")
    key, _ = STATE_KEYS.get(kind, ("value", False))
    value = state.get(key)
    if value is None:
        return ""
    if key == "selected_option":
        return option_text(value)
    if key == "selected_options":
        return ", ".join(option_text(o) for o in value)
    if key == "selected_user":
        return directory.user_name(value)
    if key == "selected_users":
        return ", ".join(directory.user_name(u) for u in value)
    if key in ("selected_conversation", "selected_channel"):
        return directory.channel_name(value)
    if key in ("selected_conversations", "selected_channels"):
        return ", ".join(directory.channel_name(c) for c in value)
    if key == "selected_date_time":
        return datetime.fromtimestamp(int(value), ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    if key == "rich_text_value":
        return rich_text_plain(value)
    return str(value)


def rich_text_plain(value: dict[str, Any]) -> str:
    out = []
    for section in value.get("elements") or []:
        out.extend(e.get("text", "") for e in section.get("elements") or [])
    return "".join(out)


def pick_option(options: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    """An option by its number (1-based), its label or its value."""
    answer = answer.strip()
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    lowered = answer.lower()
    for option in options:
        if option_text(option).lower() == lowered or str(option.get("value", "")).lower() == lowered:
            return option
    raise AnswerError(f"choose 1-{len(options)} or an option's label")


def split_list(answer: str) -> list[str]:
    return [part.strip() for part in answer.split(",") if part.strip()]


def _number(element: dict[str, Any], answer: str) -> str:
    text = answer.strip()
    try:
        number = float(text)
    except ValueError:
        raise AnswerError("enter a number") from None
    if not element.get("is_decimal_allowed") and not re.fullmatch(r"-?\d+", text):
        raise AnswerError("enter a whole number")
    for bound, test, word in (("min_value", number.__lt__, "at least"), ("max_value", number.__gt__, "at most")):
        if element.get(bound) is not None and test(float(element[bound])):
            raise AnswerError(f"must be {word} {element[bound]}")
    return text


def parse_answer(element: dict[str, Any], answer: str, directory: Directory, *, tz: str = "UTC") -> dict[str, Any]:
    """The state entry for a non-empty typed answer; raises AnswerError when Slack would refuse it.

    external selects are not handled here: their options come from the app (see ModalFiller)."""
    kind = element.get("type", "")
    key, _ = STATE_KEYS.get(kind, ("value", False))
    parse = _PARSERS.get(kind)
    if parse is None:
        raise AnswerError(f"the shell cannot fill a {kind} element")
    state: dict[str, Any] = {"type": kind}
    state[key] = parse(element, answer, directory, tz)
    if kind == "timepicker" and element.get("timezone"):
        state["timezone"] = element["timezone"]
    return state


def _typed_text(element: dict[str, Any], answer: str, _d: Directory, _tz: str) -> Any:
    kind = element.get("type")
    text = answer.strip("\n") if element.get("multiline") or kind == "rich_text_input" else answer.strip()
    low, high = element.get("min_length"), element.get("max_length")
    if low is not None and len(text) < int(low):
        raise AnswerError(f"at least {int(low):,} characters, and this is {len(text):,}")
    if high is not None and len(text) > int(high):
        # As long as Slack lets one type: say by how much, so the person knows how much to cut.
        over = len(text) - int(high)
        raise AnswerError(f"at most {int(high):,} characters, and this is {len(text):,} ({over:,} too many); "
                          "shorten it and type it again")  # fmt: skip
    return _rich_text_value(text) if kind == "rich_text_input" else text


def _url(_e: dict[str, Any], answer: str, _d: Directory, _tz: str) -> str:
    text = answer.strip()
    if not re.match(r"^https?://\S+$", text):
        raise AnswerError("enter a URL starting with http:// or https://")
    return text


def _email(_e: dict[str, Any], answer: str, _d: Directory, _tz: str) -> str:
    text = answer.strip()
    if not _EMAIL.match(text):
        raise AnswerError("enter an email address")
    return text


def _one_option(element: dict[str, Any], answer: str, _d: Directory, _tz: str) -> Any:
    return copy.deepcopy(pick_option(all_options(element), answer.strip()))


def _many_options(element: dict[str, Any], answer: str, _d: Directory, _tz: str) -> Any:
    options = all_options(element)
    picked = [pick_option(options, part) for part in split_list(answer.strip())]
    check_max(element, picked)
    return copy.deepcopy(list({o.get("value"): o for o in picked}.values()))


def _many(find: Any) -> Any:
    """A multi-select of users or channels: each part found, at most max_selected_items, no repeats."""

    def parse(element: dict[str, Any], answer: str, directory: Directory, _tz: str) -> list[str]:
        picked = [find(directory, part) for part in split_list(answer.strip())]
        check_max(element, picked)
        return list(dict.fromkeys(picked))

    return parse


def _date(_e: dict[str, Any], answer: str, _d: Directory, _tz: str) -> str:
    try:
        return date.fromisoformat(answer.strip()).isoformat()
    except ValueError:
        raise AnswerError("enter a date as YYYY-MM-DD") from None


def _datetime(_e: dict[str, Any], answer: str, _d: Directory, tz: str) -> int:
    day, _, clock = answer.strip().replace("T", " ").partition(" ")
    try:
        when = datetime.combine(date.fromisoformat(day), time.fromisoformat(_time(clock)), ZoneInfo(tz))
    except (ValueError, AnswerError):
        raise AnswerError(f"enter a date and time as YYYY-MM-DD HH:MM ({tz})") from None
    return int(when.timestamp())


_PARSERS: dict[str, Any] = {
    "plain_text_input": _typed_text,
    "rich_text_input": _typed_text,
    "number_input": lambda e, a, _d, _tz: _number(e, a.strip()),
    "url_text_input": _url,
    "email_text_input": _email,
    "static_select": _one_option,
    "radio_buttons": _one_option,
    "overflow": _one_option,
    "multi_static_select": _many_options,
    "checkboxes": _many_options,
    "users_select": lambda _e, a, d, _tz: _user(d, a.strip()),
    "multi_users_select": _many(lambda d, part: _user(d, part)),
    "conversations_select": lambda _e, a, d, _tz: _channel(d, a.strip()),
    "channels_select": lambda _e, a, d, _tz: _channel(d, a.strip()),
    "multi_conversations_select": _many(lambda d, part: _channel(d, part)),
    "multi_channels_select": _many(lambda d, part: _channel(d, part)),
    "datepicker": _date,
    "timepicker": lambda _e, a, _d, _tz: _time(a.strip()),
    "datetimepicker": _datetime,
}


def check_max(element: dict[str, Any], picked: list[Any]) -> None:
    most = element.get("max_selected_items")
    if most is not None and len(picked) > int(most):
        raise AnswerError(f"choose at most {most}")


def _user(directory: Directory, text: str) -> str:
    found = directory.find_user(text)
    if not found:
        known = ", ".join(directory.user_name(u) for u in directory.users)
        raise AnswerError(f"no user {text!r}; known: {known}")
    return found


def _channel(directory: Directory, text: str) -> str:
    found = directory.find_channel(text)
    if not found:
        raise AnswerError(f"no channel {text!r}; use a channel id (C...) or a known #name")
    return found


def _time(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise AnswerError("enter a time as HH:MM (24-hour)")
    return f"{int(match[1]):02d}:{match[2]}"


def field_help(f: Field) -> str:
    """What to type, shown under the label."""
    kind = f.kind
    if kind in ("static_select", "radio_buttons", "multi_static_select", "checkboxes"):
        many = kind in MULTI_SELECTS
        listing = "  ".join(f"{i}) {option_text(o)}" for i, o in enumerate(all_options(f.element), 1))
        return listing + ("\n  (numbers separated by commas)" if many else "")
    return {
        "plain_text_input": "several lines; end with a line holding a single '.'" if f.multiline else "",
        "rich_text_input": "several lines; end with a line holding a single '.'",
        "number_input": "a decimal number" if f.element.get("is_decimal_allowed") else "a whole number",
        "users_select": "a name or user id",
        "multi_users_select": "names or user ids, separated by commas",
        "conversations_select": "a channel: #name or id",
        "channels_select": "a channel: #name or id",
        "multi_conversations_select": "channels, separated by commas",
        "multi_channels_select": "channels, separated by commas",
        "datepicker": "YYYY-MM-DD",
        "timepicker": "HH:MM",
        "datetimepicker": "YYYY-MM-DD HH:MM",
        "external_select": "type text to search",
        "multi_external_select": "type text to search",
        "url_text_input": "a URL",
        "email_text_input": "an email address",
    }.get(kind, "")
