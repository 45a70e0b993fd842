"""Which outbox rows interrupt a person, and how urgently: one table for every feature's kinds of message.

A row interrupts someone when it is a new direct message the bot starts (chat.postMessage to a user id, not a
reply in a thread): channel posts, edits, ephemerals and Home views do not. A feature names the urgency where
one kind can be both (a decision nudge on the deadline day is urgent, earlier ones are not); otherwise the
kind decides, and a kind not listed here is normal.
"""

from __future__ import annotations

import re
from typing import Any

from services.attention.policy import Urgency

YOUR_DAY_KIND = "attention.your_day"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

URGENCY: dict[str, Urgency] = {
    "decision.escalation": Urgency.URGENT,  # a level reaching its target
    "checkin.ask": Urgency.NORMAL,
    "checkin.remind": Urgency.NORMAL,
    "decision.nudge": Urgency.NORMAL,
    "decision.tell": Urgency.NORMAL,
    "action.nudge": Urgency.NORMAL,
    "action.tell": Urgency.NORMAL,
    "meeting.gate": Urgency.NORMAL,
    "meeting.read": Urgency.NORMAL,
    "meeting.async": Urgency.NORMAL,
    "meeting.actions": Urgency.NORMAL,
    "meeting.tell": Urgency.NORMAL,
    "health.tell": Urgency.NORMAL,
    "playbook.step": Urgency.NORMAL,  # a step come due; incident steps are sent as urgent (messages/runs.py)
    "playbook.status": Urgency.URGENT,  # an incident lead's status-update reminder
    "playbook.retro": Urgency.NORMAL,
    "playbook.suggestions": Urgency.NORMAL,
    "playbook.proposal": Urgency.NORMAL,
    "playbook.review": Urgency.LOW,
    "experiment.ask": Urgency.NORMAL,
    "outcome.tell": Urgency.LOW,
    "delivery.failure_notice": Urgency.LOW,
    YOUR_DAY_KIND: Urgency.LOW,
}

# What the "your day" round-up calls each feature, by the first part of a kind.
FEATURES: dict[str, str] = {
    "checkin": "Check-ins",
    "decision": "Decisions",
    "action": "Action items",
    "meeting": "Meetings",
    "health": "Execution health",
    "outcome": "Outcomes",
    "playbook": "Playbooks",
    "experiment": "Experiments",
    "delivery": "Delivery problems",
}


def interrupted(method: str, args: dict[str, Any], thread_of: str | None) -> str | None:
    """The Slack user a call interrupts: a new DM's recipient; None for anything else."""
    channel = str(args.get("channel") or "")
    if method != "chat.postMessage" or thread_of is not None or args.get("thread_ts"):
        return None
    return channel if _USER_ID.match(channel) else None


def urgency_of(kind: str, given: Urgency | None = None) -> Urgency:
    return given or URGENCY.get(kind, Urgency.NORMAL)


def feature_of(kind: str) -> str:
    return FEATURES.get(kind.split(".", 1)[0], "Other")
