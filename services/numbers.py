"""Metric values as people type them (`42`, `31%`, `3.5 days`, `$40`) and as we show them back."""

from __future__ import annotations

import math
import re

MAX_ABS_VALUE = 1e15
MAX_UNIT_LENGTH = 16
PREFIX_UNITS = ("$", "€", "£")
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*)$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d")
_UNIT = re.compile(r"^(%|[^\W\d_][\w/ ]*)$")
_NUMERIC_START = re.compile(r"^[$€£]?[+-]?(\d|\.\d)")


class BadNumber(ValueError):
    """A typed value we cannot take; the message says what to type instead."""


def looks_numeric(word: str) -> bool:
    """Whether a word was meant as a number, so `4o2` is refused instead of read as the start of a note."""
    return bool(_NUMERIC_START.match(word.strip()))


def _split(raw: str) -> tuple[float, str, str]:
    """(value, prefix unit, suffix text) of a typed number."""
    prefix = next((p for p in PREFIX_UNITS if raw.startswith(p)), "")
    word = raw[len(prefix) :].strip()
    if _DECIMAL_COMMA.match(word):
        raise BadNumber(f"`{raw}`: use a dot for decimals and no thousands separators (`1.5`, `1500`).")
    match = _NUMBER.match(word)
    if not match:
        raise BadNumber(f"`{raw}` is not a number.")
    value = float(match.group(1))
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise BadNumber(f"`{raw}` is too large a number.")
    return value, prefix, match.group(2).strip()


def parse_value(text: str, unit: str = "") -> float:
    """A number with an optional unit: `%` or the metric's own unit (`days`, `$`), which is stripped."""
    raw = text.strip()
    value, prefix, suffix = _split(raw)
    if prefix and prefix != unit:
        raise BadNumber(f"`{raw}` is not a number" + (f" in {unit}." if unit else "."))
    if suffix and suffix != "%" and suffix.lower() != unit.lower():
        raise BadNumber(f"`{raw}` is not a number" + (f" in {unit}." if unit else "."))
    return value


def parse_with_unit(text: str) -> tuple[float, str]:
    """`20%` -> (20.0, "%"), `10 days` -> (10.0, "days"), `$5` -> (5.0, "$"), `7` -> (7.0, "")."""
    raw = text.strip()
    value, prefix, suffix = _split(raw)
    if prefix and suffix:
        raise BadNumber(f"`{raw}`: give the unit once, before or after the number.")
    if suffix and (len(suffix) > MAX_UNIT_LENGTH or not _UNIT.match(suffix)):
        raise BadNumber(f"`{raw}`: a unit is a short word such as `%`, `days` or `$`.")
    return value, prefix or suffix


def check_unit(text: str) -> str:
    unit = " ".join(text.split())
    if unit and unit not in PREFIX_UNITS and (len(unit) > MAX_UNIT_LENGTH or not _UNIT.match(unit)):
        raise BadNumber(f"`{unit[:40]}`: a unit is a short word such as `%`, `days` or `$` (at most 16 characters).")
    return unit


def format_number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_value(value: float, unit: str = "") -> str:
    number = format_number(value)
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    if unit in PREFIX_UNITS:
        return f"{unit}{number}"
    return f"{number} {unit}"
