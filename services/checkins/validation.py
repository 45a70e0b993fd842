"""The set-up form: what was submitted (`CadenceForm`), what a cadence is set to once checked
(`CadenceSettings`), and `validate`, one check per field so each problem lands on its own field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models import Audience, ZoneMode
from services.checkins.rules import (
    DEFAULT_DIGEST_MINUTES,
    DEFAULT_QUESTIONS,
    DEFAULT_REMIND_MINUTES,
    DIGEST_CHOICES,
    MAX_MEMBERS,
    MAX_QUESTION,
    MAX_QUESTIONS,
    REMIND_CHOICES,
    Field,
)
from services.errors import Invalid

Errors = dict[Field, str]


@dataclass(frozen=True)
class CadenceForm:
    """The set-up form as submitted: plain values, nothing checked yet."""

    audience: str = Audience.CHANNEL
    members: tuple[str, ...] = ()  # Slack user ids, for Audience.CHOSEN
    interval_weeks: str = "1"
    weekdays: tuple[str, ...] = ("0",)
    local_time: str | None = "09:30"  # HH:MM
    zone_mode: str = ZoneMode.PERSONAL
    timezone: str = ""
    starts_on: str | None = None  # YYYY-MM-DD; today when empty
    questions: str = "\n".join(DEFAULT_QUESTIONS)
    ask_blocker: bool = True
    ask_confidence: bool = True
    remind_after: str | None = str(DEFAULT_REMIND_MINUTES)  # minutes, "" or "never" for no reminder
    digest_after: str = str(DEFAULT_DIGEST_MINUTES)


@dataclass(frozen=True)
class CadenceSettings:
    audience: Audience
    members: tuple[str, ...]
    interval_weeks: int
    weekdays: tuple[int, ...]
    local_time: time
    zone_mode: ZoneMode
    timezone: str
    starts_on: date
    questions: tuple[str, ...]
    ask_blocker: bool
    ask_confidence: bool
    remind_after_minutes: int | None
    digest_after_minutes: int


def validate(form: CadenceForm, *, today: date) -> CadenceSettings:
    """Every rule of a cadence, each problem tied to its field."""
    errors: Errors = {}
    audience = _audience(form, errors)
    members = _members(form, audience, errors)
    interval = _interval(form, errors)
    weekdays = _weekdays(form, errors)
    local_time = _local_time(form, errors)
    zone_mode = _zone_mode(form, errors)
    zone = _zone(form, errors)
    starts_on = _starts_on(form, today, errors)
    questions = _questions(form, errors)
    remind = _remind(form, errors)
    digest = _digest(form, errors)
    if errors:
        raise Invalid(errors)
    assert interval is not None and local_time is not None and digest is not None
    return CadenceSettings(
        audience=audience,
        members=members if audience is Audience.CHOSEN else (),
        interval_weeks=interval,
        weekdays=weekdays,
        local_time=local_time,
        zone_mode=zone_mode,
        timezone=zone,
        starts_on=starts_on,
        questions=questions,
        ask_blocker=form.ask_blocker,
        ask_confidence=form.ask_confidence,
        remind_after_minutes=remind,
        digest_after_minutes=digest,
    )


# one check per field: each returns the value to use and notes its problem in `errors` ---------------------


def _audience(form: CadenceForm, errors: Errors) -> Audience:
    try:
        return Audience(form.audience)
    except ValueError:
        errors[Field.AUDIENCE] = "Choose the channel's members or the people you pick."
        return Audience.CHANNEL


def _members(form: CadenceForm, audience: Audience, errors: Errors) -> tuple[str, ...]:
    members = tuple(dict.fromkeys(m for m in form.members if m))
    if len(members) > MAX_MEMBERS:
        errors[Field.MEMBERS] = f"Pick at most {MAX_MEMBERS} people; for more, use everyone in the channel."
    elif audience is Audience.CHOSEN and not members:
        errors[Field.MEMBERS] = "Pick at least one person, or choose everyone in the channel."
    return members


def _interval(form: CadenceForm, errors: Errors) -> int | None:
    interval = {"1": 1, "2": 2}.get(str(form.interval_weeks).strip())
    if interval is None:
        errors[Field.FREQUENCY] = "Choose every week or every two weeks."
    return interval


def _weekdays(form: CadenceForm, errors: Errors) -> tuple[int, ...]:
    weekdays = tuple(sorted({int(d) for d in form.weekdays if str(d).strip().isdigit() and int(d) in range(7)}))
    if not weekdays or len(weekdays) != len(set(form.weekdays)):
        errors[Field.DAYS] = "Choose at least one day of the week."
    return weekdays


def _local_time(form: CadenceForm, errors: Errors) -> time | None:
    try:
        parsed = time.fromisoformat((form.local_time or "").strip())
    except ValueError:
        errors[Field.TIME] = "Give a time of day, such as 09:30."
        return None
    return parsed.replace(second=0, microsecond=0)


def _zone_mode(form: CadenceForm, errors: Errors) -> ZoneMode:
    try:
        return ZoneMode(form.zone_mode)
    except ValueError:
        errors[Field.ZONE_MODE] = "Choose each person's own time or one time zone for everyone."
        return ZoneMode.PERSONAL


def _zone(form: CadenceForm, errors: Errors) -> str:
    zone = form.timezone.strip()
    if not is_zone(zone):
        errors[Field.ZONE] = f"{zone[:64] or 'An empty name'} is not a time zone name; use one like Europe/Berlin."
    return zone


def _starts_on(form: CadenceForm, today: date, errors: Errors) -> date:
    if not form.starts_on:
        return today
    try:
        return date.fromisoformat(form.starts_on)
    except ValueError:
        errors[Field.START] = "Give a date as YYYY-MM-DD."
        return today


def _questions(form: CadenceForm, errors: Errors) -> tuple[str, ...]:
    questions = tuple(line.strip() for line in form.questions.splitlines() if line.strip())
    if not questions and not (form.ask_blocker or form.ask_confidence):
        errors[Field.QUESTIONS] = "Ask at least one question (one per line)."
    elif len(questions) > MAX_QUESTIONS:
        errors[Field.QUESTIONS] = f"Ask at most {MAX_QUESTIONS} questions, so an answer takes a minute."
    elif any(len(q) > MAX_QUESTION for q in questions):
        errors[Field.QUESTIONS] = f"Keep each question under {MAX_QUESTION} characters."
    return questions


def _remind(form: CadenceForm, errors: Errors) -> int | None:
    remind = _minutes(form.remind_after, allow_none=True)
    if remind is False or remind not in REMIND_CHOICES:
        errors[Field.REMIND] = "Choose when to remind people who haven't answered."
        return None
    return remind if isinstance(remind, int) else None


def _digest(form: CadenceForm, errors: Errors) -> int | None:
    digest = _minutes(form.digest_after, allow_none=False)
    if digest is False or digest not in DIGEST_CHOICES:
        errors[Field.DIGEST] = "Choose when the digest is posted."
        return None
    return digest if isinstance(digest, int) else None


def _minutes(text: str | None, *, allow_none: bool) -> int | None | bool:
    value = (text or "").strip().lower()
    if value in ("", "never", "none"):
        return None if allow_none else False
    return int(value) if value.isdigit() else False


def is_zone(name: str) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
