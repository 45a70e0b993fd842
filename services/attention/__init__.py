"""Respecting attention: one policy for when a bot-initiated DM may interrupt someone.

- `hours`: working hours and days, parsed from what people type; `policy`: send, hold, or round up. Pure.
- `focus`: focus time as typed (pure); `settings`: the workspace's settings and a person's own, and `effective`;
- `responses`: a person answered a DM; `noise`: the four weeks' figures for `/followthrough noise` and /metrics.
"""

from services.attention.hours import WorkingHours, canonical, parse, stored
from services.attention.policy import Decision, Person, Urgency, Verdict, decide

__all__ = ["Decision", "Person", "Urgency", "Verdict", "WorkingHours", "canonical", "decide", "parse", "stored"]
