"""The rules of check-ins that every part shares: defaults and limits, the set-up form's fields, who may change
a cadence, and the recurrence rule a cadence follows."""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from models import Cadence, OutcomeStatus, Person
from services.errors import Forbidden
from services.recurrence import Rule

# Our wording of the usual four: progress, plans, blockers (a field of its own), confidence (a status).
DEFAULT_QUESTIONS = ("What moved forward on your outcomes?", "What will you take on next?")
BLOCKER_QUESTION = "Is anything in your way?"
CONFIDENCE_QUESTION = "How sure are you that your work lands?"
CONFIDENCE_CHOICES = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK)
DEFAULT_WEEKDAYS = (0,)
DEFAULT_TIME = time(9, 30)
DEFAULT_REMIND_MINUTES = 4 * 60
DEFAULT_DIGEST_MINUTES = 6 * 60
REMIND_CHOICES = (None, 60, 2 * 60, 4 * 60, 8 * 60, 24 * 60)
DIGEST_CHOICES = (60, 2 * 60, 4 * 60, 6 * 60, 8 * 60, 24 * 60)
MAX_QUESTIONS = 6
MAX_QUESTION = 150
MAX_ANSWER = 3000
MAX_MEMBERS = 100
MODAL_OUTCOMES = 8  # a person's outcomes listed in the answer form (two inputs each; views hold 100 blocks)
REMINDER_BATCH = 500
KEY_PREFIX = "checkin"  # outbox keys: checkin:<round>:<kind> and checkin:<round>:<person>:<kind>
THREAD = "thread"
OWNER_ROLE = "who set up this check-in"


class Field(StrEnum):
    """The parts of the set-up form a problem can be about."""

    AUDIENCE = "audience"
    MEMBERS = "members"
    FREQUENCY = "frequency"
    DAYS = "days"
    TIME = "time"
    ZONE_MODE = "zone_mode"
    ZONE = "zone"
    START = "start"
    QUESTIONS = "questions"
    REMIND = "remind"
    DIGEST = "digest"


class CheckinError(Exception):
    """Nothing was changed; the message says why in words for the person who asked."""


class NotParticipant(CheckinError):
    def __init__(self) -> None:
        super().__init__("You aren't one of the people asked in this check-in round, so there is nothing to answer.")


def rule_of(cadence: Cadence) -> Rule:
    return Rule(
        interval_weeks=cadence.interval_weeks,
        weekdays=tuple(cadence.weekdays),
        at=cadence.local_time,
        anchor=cadence.starts_on,
    )


def can_manage(person: Person, cadence: Cadence) -> bool:
    return person.is_admin or person.id == cadence.owner_id


def refusal(cadence: Cadence, action: str) -> Forbidden:
    return Forbidden(action, role=OWNER_ROLE, people=[cadence.owner])


def require_manager(person: Person, cadence: Cadence, action: str) -> None:
    if not can_manage(person, cadence):
        raise refusal(cadence, action)
