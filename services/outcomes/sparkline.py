"""A text sparkline of recent readings: ▁▂▃▄▅▆▇█."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return BARS[3] * len(values)  # flat: a mid bar, not an empty-looking floor
    span = high - low
    return "".join(BARS[round((v - low) / span * (len(BARS) - 1))] for v in values)
