"""Reading focus time as people type it: `2h`, `90m`, `1h 30m`, `until 15:00` (in their own zone), `off`. Pure."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.errors import Invalid

OFF = ("off", "stop", "end", "none")
EXAMPLE = "`/followthrough focus 2h`, `focus 90m` or `focus until 15:00`"
_LENGTH = re.compile(r"^(?:(\d{1,3})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,4})\s*m(?:in(?:ute)?s?)?)?$")
_UNTIL = re.compile(r"^until\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def _wall_clock(hours: str, minutes: str | None, half: str | None) -> time:
    hour, minute = int(hours), int(minutes or 0)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)  # ValueError past 23:59


def read(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When focus ends (UTC), or None for `off`. `until` means today in `zone`: a time already past is the
    caller's to refuse, not a guess at tomorrow."""
    typed = text.strip().lower()
    if typed in OFF:
        return None
    if found := _UNTIL.match(typed):
        try:
            clock = _wall_clock(*found.groups())
        except ValueError:
            raise Invalid({"focus": f"I couldn't read that time; try {EXAMPLE}."}) from None
        local = datetime.combine(now.astimezone(zone).date(), clock).replace(tzinfo=zone)
        return local.astimezone(UTC)
    found = _LENGTH.match(typed)
    if typed and found and any(found.groups()):
        hours, minutes = (int(g or 0) for g in found.groups())
        length = timedelta(hours=hours, minutes=minutes)
        if length <= timedelta(0):
            raise Invalid({"focus": f"Give a length of at least a minute, e.g. {EXAMPLE}."})
        return now + length
    raise Invalid({"focus": f"I couldn't read “{text.strip()[:40]}”; try {EXAMPLE}, or `focus off`."})
