"""Check-ins: set up a channel's cadence, open its rounds, record answers, and say who has not answered.

Slack-free: the roster of a round is given as people (the scheduler looks the channel's members up), and
the messages a round needs are queued elsewhere (scheduler/checkin_jobs.py) from what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, String, cast, delete, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import (
    AnswerSource,
    Audience,
    Cadence,
    CadenceMember,
    Delivery,
    Invite,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressSource,
    Round,
    Workspace,
    ZoneMode,
)
from services import people
from services.outcomes import ListScope, list_outcomes
from services.progress import BadProgress, Entry, Logged, log_progress
from services.recurrence import Rule, local_instant, next_round

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


class Invalid(CheckinError):
    def __init__(self, errors: dict[Field, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Forbidden(CheckinError):
    def __init__(self, action: str, owner: Person) -> None:
        name = owner.display_name or "the person who set it up"
        super().__init__(f"Only {name} (who set up this check-in) or a workspace admin can {action}.")
        self.owner = owner


class NotParticipant(CheckinError):
    def __init__(self) -> None:
        super().__init__("You aren't one of the people asked in this check-in round, so there is nothing to answer.")


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
    errors: dict[Field, str] = {}
    try:
        audience = Audience(form.audience)
    except ValueError:
        errors[Field.AUDIENCE] = "Choose the channel's members or the people you pick."
        audience = Audience.CHANNEL
    members = tuple(dict.fromkeys(m for m in form.members if m))
    if audience is Audience.CHOSEN and not members:
        errors[Field.MEMBERS] = "Pick at least one person, or choose everyone in the channel."
    if len(members) > MAX_MEMBERS:
        errors[Field.MEMBERS] = f"Pick at most {MAX_MEMBERS} people; for more, use everyone in the channel."
    interval = {"1": 1, "2": 2}.get(str(form.interval_weeks).strip())
    if interval is None:
        errors[Field.FREQUENCY] = "Choose every week or every two weeks."
    weekdays = tuple(sorted({int(d) for d in form.weekdays if str(d).strip().isdigit() and int(d) in range(7)}))
    if not weekdays or len(weekdays) != len(set(form.weekdays)):
        errors[Field.DAYS] = "Choose at least one day of the week."
    local_time = _parse_time(form.local_time)
    if local_time is None:
        errors[Field.TIME] = "Give a time of day, such as 09:30."
    try:
        zone_mode = ZoneMode(form.zone_mode)
    except ValueError:
        errors[Field.ZONE_MODE] = "Choose each person's own time or one time zone for everyone."
        zone_mode = ZoneMode.PERSONAL
    zone = form.timezone.strip()
    if not is_zone(zone):
        errors[Field.ZONE] = f"{zone[:64] or 'An empty name'} is not a time zone name; use one like Europe/Berlin."
    starts_on = today
    if form.starts_on:
        try:
            starts_on = date.fromisoformat(form.starts_on)
        except ValueError:
            errors[Field.START] = "Give a date as YYYY-MM-DD."
    questions = tuple(line.strip() for line in form.questions.splitlines() if line.strip())
    if not questions and not (form.ask_blocker or form.ask_confidence):
        errors[Field.QUESTIONS] = "Ask at least one question (one per line)."
    elif len(questions) > MAX_QUESTIONS:
        errors[Field.QUESTIONS] = f"Ask at most {MAX_QUESTIONS} questions, so an answer takes a minute."
    elif any(len(q) > MAX_QUESTION for q in questions):
        errors[Field.QUESTIONS] = f"Keep each question under {MAX_QUESTION} characters."
    remind = _minutes(form.remind_after, allow_none=True)
    if remind is False or remind not in REMIND_CHOICES:
        errors[Field.REMIND] = "Choose when to remind people who haven't answered."
    digest = _minutes(form.digest_after, allow_none=False)
    if digest is False or digest not in DIGEST_CHOICES:
        errors[Field.DIGEST] = "Choose when the digest is posted."
    if errors:
        raise Invalid(errors)
    assert interval is not None and local_time is not None and isinstance(digest, int)
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
        remind_after_minutes=remind if isinstance(remind, int) else None,
        digest_after_minutes=digest,
    )


def _parse_time(text: str | None) -> time | None:
    try:
        parsed = time.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return parsed.replace(second=0, microsecond=0)


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


def zone_of(person: Person, fallback: str) -> ZoneInfo:
    """The person's own zone when Slack told us one, else `fallback`."""
    return ZoneInfo(person.timezone if person.timezone and is_zone(person.timezone) else fallback)


def rule_of(cadence: Cadence) -> Rule:
    return Rule(
        interval_weeks=cadence.interval_weeks,
        weekdays=tuple(cadence.weekdays),
        at=cadence.local_time,
        anchor=cadence.starts_on,
    )


def can_manage(person: Person, cadence: Cadence) -> bool:
    return person.is_admin or person.id == cadence.owner_id


def require_manager(person: Person, cadence: Cadence, action: str) -> None:
    if not can_manage(person, cadence):
        raise Forbidden(action, cadence.owner)


# cadences --------------------------------------------------------------------------------------------------


def _with_people(query: Select) -> Select:
    return query.options(selectinload(Cadence.owner), selectinload(Cadence.members).selectinload(CadenceMember.person))


async def get_cadence(session: AsyncSession, *, workspace_id: int, channel_id: str) -> Cadence | None:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id, Cadence.channel_id == channel_id)
    return await session.scalar(_with_people(query))


async def get_cadence_by_id(session: AsyncSession, *, workspace_id: int, cadence_id: int) -> Cadence | None:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id, Cadence.id == cadence_id)
    return await session.scalar(_with_people(query))


async def list_cadences(session: AsyncSession, *, workspace_id: int) -> list[Cadence]:
    query = select(Cadence).where(Cadence.workspace_id == workspace_id).order_by(Cadence.channel_id)
    return list(await session.scalars(_with_people(query)))


async def save_cadence(
    session: AsyncSession,
    *,
    workspace: Workspace,
    actor: Person,
    channel_id: str,
    form: CadenceForm,
    now: datetime,
    today: date,
) -> tuple[Cadence, bool]:
    """Creates the channel's cadence, or changes it (its owner or an admin). Returns it and whether it is new."""
    settings = validate(form, today=today)
    cadence = await get_cadence(session, workspace_id=workspace.id, channel_id=channel_id)
    created = cadence is None
    if cadence is None:
        cadence = Cadence(workspace_id=workspace.id, channel_id=channel_id, owner_id=actor.id, paused=False)
        cadence.owner = actor
        cadence.members = []
        session.add(cadence)
    else:
        require_manager(actor, cadence, "change this check-in")
    cadence.audience = settings.audience
    cadence.interval_weeks = settings.interval_weeks
    cadence.weekdays = list(settings.weekdays)
    cadence.local_time = settings.local_time
    cadence.zone_mode = settings.zone_mode
    cadence.timezone = settings.timezone
    cadence.starts_on = settings.starts_on
    cadence.questions = list(settings.questions)
    cadence.ask_blocker = settings.ask_blocker
    cadence.ask_confidence = settings.ask_confidence
    cadence.remind_after_minutes = settings.remind_after_minutes
    cadence.digest_after_minutes = settings.digest_after_minutes
    wanted = {}
    for user_id in settings.members:
        person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
        wanted[person.id] = person
    kept = [m for m in cadence.members if m.person_id in wanted]
    known = {m.person_id for m in kept}
    added = [
        CadenceMember(workspace_id=workspace.id, person_id=p.id, person=p) for p in wanted.values() if p.id not in known
    ]
    cadence.members = kept + added
    await session.flush()
    await schedule_next(session, cadence=cadence, now=now)
    return cadence, created


async def pause(session: AsyncSession, *, cadence: Cadence, actor: Person) -> bool:
    """Stops new rounds (a round under way still gets its reminders and digest). False if already paused."""
    require_manager(actor, cadence, "pause this check-in")
    if cadence.paused:
        return False
    cadence.paused = True
    cadence.next_on = cadence.next_at = None
    await session.flush()
    return True


async def resume(session: AsyncSession, *, cadence: Cadence, actor: Person, now: datetime) -> bool:
    """Rounds start again from the next occurrence after now; those missed while paused are not made up."""
    require_manager(actor, cadence, "resume this check-in")
    if not cadence.paused:
        return False
    cadence.paused = False
    await schedule_next(session, cadence=cadence, now=now)
    return True


async def skip(session: AsyncSession, *, cadence: Cadence, actor: Person, now: datetime) -> date:
    """Skips the next round; returns the date skipped (the one after is next)."""
    require_manager(actor, cadence, "skip a round of this check-in")
    if cadence.paused or cadence.next_on is None:
        raise CheckinError("This check-in is paused, so there is no next round to skip. `/checkin resume` first.")
    skipped = cadence.next_on
    await schedule_next(session, cadence=cadence, now=now, after_day=skipped)
    return skipped


async def delete_cadence(session: AsyncSession, *, cadence: Cadence, actor: Person) -> list[int]:
    """Deletes the cadence with its rounds and answers; returns the round ids (their queued messages go too)."""
    require_manager(actor, cadence, "delete this check-in")
    round_ids = list(await session.scalars(select(Round.id).where(Round.cadence_id == cadence.id)))
    await session.execute(delete(Cadence).where(Cadence.id == cadence.id, Cadence.workspace_id == cadence.workspace_id))
    await session.flush()
    return round_ids


async def cadence_zones(session: AsyncSession, cadence: Cadence) -> list[ZoneInfo]:
    """The zones a round's asks fall in, so it opens at the earliest: the team zone, or the participants'
    (for a channel cadence: the people asked last time, as the roster is only known when a round opens)."""
    if cadence.zone_mode is ZoneMode.TEAM:
        return [ZoneInfo(cadence.timezone)]
    if cadence.audience is Audience.CHOSEN:
        persons = [m.person for m in cadence.members]
    else:
        latest = (
            select(Round.id)
            .where(Round.cadence_id == cadence.id)
            .order_by(Round.occurs_on.desc())
            .limit(1)
            .scalar_subquery()
        )
        persons = list(
            await session.scalars(
                select(Person).join(Invite, Invite.person_id == Person.id).where(Invite.round_id == latest)
            )
        )
    zones = {cadence.timezone: ZoneInfo(cadence.timezone)}
    for person in persons:
        zone = zone_of(person, cadence.timezone)
        zones[zone.key] = zone
    return list(zones.values())


async def schedule_next(
    session: AsyncSession, *, cadence: Cadence, now: datetime, after_day: date | None = None
) -> None:
    """Sets when the next round opens: the first occurrence after `now` on a day later than any round held so
    far (and later than `after_day`, to skip one)."""
    if cadence.paused:
        cadence.next_on = cadence.next_at = None
        return
    held = await session.scalar(select(func.max(Round.occurs_on)).where(Round.cadence_id == cadence.id))
    days = [d for d in (held, after_day) if d is not None]
    floor = max(days) + timedelta(days=1) if days else None
    found = next_round(rule_of(cadence), await cadence_zones(session, cadence), after=now, not_before=floor)
    cadence.next_on, cadence.next_at = found.day, found.starts_at
    await session.flush()


async def set_away(session: AsyncSession, *, person: Person, until: date | None, today: date) -> None:
    """Away until `until` (included), or back (None): no check-in asks on days up to then, in their own zone."""
    if until is not None and until < today:
        raise CheckinError(f"{until:%a %-d %b %Y} has passed already; give today or a later date.")
    if until is not None and until > today + timedelta(days=366):
        raise CheckinError("Give a date within a year; you can always set it again.")
    person.away_until = until
    await session.flush()


# rounds ----------------------------------------------------------------------------------------------------


async def due_cadences(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[Cadence]:
    """Cadences whose next round should have opened by now (across workspaces: the scheduler's question)."""
    query = select(Cadence).where(Cadence.next_at <= now).order_by(Cadence.next_at, Cadence.id).limit(limit)
    return list(await session.scalars(_with_people(query)))


async def latest_due_day(session: AsyncSession, *, cadence: Cadence, now: datetime) -> date | None:
    """The day of the round to open now: the most recent occurrence that has come. After a long outage only
    that one opens (rounds older than it are stale news and are skipped)."""
    if cadence.next_on is None or cadence.next_at is None or cadence.next_at > now:
        return None
    zones = await cadence_zones(session, cadence)
    day = cadence.next_on
    while True:
        later = next_round(rule_of(cadence), zones, after=cadence.next_at, not_before=day + timedelta(days=1))
        if later.starts_at > now:
            return day
        day = later.day


def _roster(persons: Sequence[Person]) -> list[Person]:
    return [p for p in {p.id: p for p in persons}.values() if not p.is_deleted]


async def open_round(
    session: AsyncSession,
    *,
    cadence: Cadence,
    roster: Sequence[Person],
    occurs_on: date,
    now: datetime,
    started_by: Person | None = None,
) -> Round | None:
    """Opens the round of `occurs_on` with an invite for each person of `roster`; None if that day's round
    exists already (so a repeated or concurrent run opens it once).

    Each person is asked at the cadence's wall time in their own zone (or the team's), or at once for a
    round started by hand; never before now. Someone away that day (in their zone) is invited but not asked."""
    if await session.scalar(select(Round.id).where(Round.cadence_id == cadence.id, Round.occurs_on == occurs_on)):
        return None
    invites: list[Invite] = []
    for person in _roster(roster):
        own_zone = zone_of(person, cadence.timezone)
        ask_zone = own_zone if cadence.zone_mode is ZoneMode.PERSONAL else ZoneInfo(cadence.timezone)
        ask_at = now if started_by else max(now, local_instant(occurs_on, cadence.local_time, ask_zone))
        away = person.away_until is not None and ask_at.astimezone(own_zone).date() <= person.away_until
        remind_at = None
        if not away and cadence.remind_after_minutes is not None:
            remind_at = ask_at + timedelta(minutes=cadence.remind_after_minutes)
        invites.append(
            Invite(
                workspace_id=cadence.workspace_id,
                person_id=person.id,
                person=person,
                ask_at=ask_at,
                away=away,
                remind_at=remind_at,
                revision=0,
                late=False,
            )
        )
    asked = [i.ask_at for i in invites if not i.away]
    opened_at = min(asked) if asked else now
    round_ = Round(
        workspace_id=cadence.workspace_id,
        cadence_id=cadence.id,
        channel_id=cadence.channel_id,
        occurs_on=occurs_on,
        opened_at=opened_at,
        started_by_id=started_by.id if started_by else None,
        questions=list(cadence.questions),
        ask_blocker=cadence.ask_blocker,
        ask_confidence=cadence.ask_confidence,
        digest_at=opened_at + timedelta(minutes=cadence.digest_after_minutes),
        digest_revision=0,
        invites=invites,
    )
    round_.cadence = cadence
    try:
        async with session.begin_nested():
            session.add(round_)
    except IntegrityError:  # opened concurrently by another scheduler or a /checkin now
        return None
    return round_


def round_day(cadence: Cadence, now: datetime) -> date:
    """The date a round started now belongs to: today in the cadence's zone."""
    return now.astimezone(ZoneInfo(cadence.timezone)).date()


async def load_round(session: AsyncSession, *, workspace_id: int, round_id: int, lock: bool = False) -> Round | None:
    """A round with its invites, their people and its cadence. `lock` for writers of its answers or digest:
    an answer and the digest job then take turns, so the digest never misses an answer committed meanwhile."""
    query = (
        select(Round)
        .where(Round.workspace_id == workspace_id, Round.id == round_id)
        .options(
            selectinload(Round.invites).selectinload(Invite.person),
            selectinload(Round.cadence).selectinload(Cadence.owner),
        )
    )
    if lock:
        query = query.with_for_update(of=Round)
    return await session.scalar(query)


async def previous_round(session: AsyncSession, *, round_: Round) -> Round | None:
    query = (
        select(Round)
        .where(Round.cadence_id == round_.cadence_id, Round.occurs_on < round_.occurs_on)
        .order_by(Round.occurs_on.desc())
        .limit(1)
    )
    return await session.scalar(query)


def delivery_key(round_id: int, kind: str, user_id: str | None = None) -> str:
    """The outbox key of one of a round's messages: one per (round, person, kind). The kind comes last, so a
    prefix ending in a person's id and a kind cancels exactly that message."""
    return f"{KEY_PREFIX}:{round_id}:{user_id}:{kind}" if user_id else f"{KEY_PREFIX}:{round_id}:{kind}"


async def round_for_thread(
    session: AsyncSession, *, workspace_id: int, channel_id: str, thread_ts: str
) -> Round | None:
    """The round whose thread starts at `thread_ts` in this channel. A round learns its thread's ts from the
    outbox (the ts Slack gave its thread message) the first time someone replies there."""
    in_channel = (Round.workspace_id == workspace_id, Round.channel_id == channel_id)
    round_id = await session.scalar(select(Round.id).where(*in_channel, Round.thread_ts == thread_ts))
    if round_id is None:
        thread_key = literal(f"{KEY_PREFIX}:") + cast(Round.id, String) + literal(f":{THREAD}")
        sent = (
            select(Round)
            .join(Delivery, (Delivery.workspace_id == Round.workspace_id) & (Delivery.key == thread_key))
            .where(*in_channel, Round.thread_ts.is_(None), Delivery.slack_ts == thread_ts)
        )
        found = await session.scalar(sent)
        if found is None:
            return None
        found.thread_ts = thread_ts
        round_id = found.id
    return await load_round(session, workspace_id=workspace_id, round_id=round_id, lock=True)


def invite_of(round_: Round, person: Person) -> Invite | None:
    return next((i for i in round_.invites if i.person_id == person.id), None)


def missing(round_: Round) -> list[Invite]:
    """Who was asked and has not answered (people away are not missing)."""
    return [i for i in round_.invites if not i.away and not i.answered]


def everyone_answered(round_: Round) -> bool:
    asked = [i for i in round_.invites if not i.away]
    return bool(asked) and not missing(round_)


# answers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeAnswer:
    """What the answer form says about one of the person's outcomes."""

    outcome: Outcome
    status: OutcomeStatus
    entries: tuple[Entry, ...] = ()


class BadOutcomeAnswer(CheckinError):
    """An outcome's part of the answer cannot be stored (nothing was stored); `ref` says which outcome."""

    def __init__(self, ref: str, problem: BadProgress) -> None:
        super().__init__(f"{ref}: {problem}")
        self.ref = ref
        self.part = problem.part


@dataclass
class Answered:
    invite: Invite
    first: bool  # the person's first answer in this round (not an edit)
    logged: list[Logged] = field(default_factory=list)


async def person_outcomes(session: AsyncSession, *, workspace_id: int, person: Person) -> list[Outcome]:
    """The open outcomes a person owns, soonest due first, as many as the answer form lists."""
    found, _ = await list_outcomes(
        session, workspace_id=workspace_id, scope=ListScope.MINE, person=person, channel_id=None, limit=MODAL_OUTCOMES
    )
    return found


def _mark_answered(round_: Round, invite: Invite, source: AnswerSource, now: datetime) -> bool:
    first = invite.answered_at is None
    if first:
        invite.answered_at = now
        invite.late = round_.digest_posted_at is not None
    invite.source = source
    invite.revision += 1
    invite.remind_at = None  # nothing left to remind of
    return first


async def record_answer(
    session: AsyncSession,
    *,
    round_: Round,
    person: Person,
    answers: Sequence[str],
    blocker: str | None,
    confidence: OutcomeStatus | None,
    outcomes: Sequence[OutcomeAnswer],
    now: datetime,
) -> Answered:
    """Stores a person's answer from the form (again: it replaces their earlier one) and logs a status, and any
    values, on each of their outcomes through the progress service. All of it, or nothing."""
    invite = invite_of(round_, person)
    if invite is None:
        raise NotParticipant()
    texts = [(a or "").strip() for a in answers][: len(round_.questions)]
    texts += [""] * (len(round_.questions) - len(texts))
    blocker = (blocker or "").strip() or None
    if any(len(t) > MAX_ANSWER for t in [*texts, blocker or ""]):
        raise CheckinError(f"Keep each answer under {MAX_ANSWER:,} characters (a link to the details works well).")
    if confidence is not None and confidence not in CONFIDENCE_CHOICES:
        raise CheckinError("Choose on track, at risk or off track.")
    if not (any(texts) or blocker or confidence or outcomes):
        raise CheckinError("Answer at least one question.")
    logged: list[Logged] = []
    async with session.begin_nested():  # progress on every outcome, or on none
        for item in outcomes:
            if item.outcome.workspace_id != round_.workspace_id or item.outcome.owner_id != person.id:
                raise CheckinError(f"{item.outcome.ref} isn't one of your open outcomes.")
            try:
                logged.append(
                    await log_progress(
                        session,
                        outcome=item.outcome,
                        author=person,
                        entries=item.entries,
                        status=item.status,
                        source=ProgressSource.CHECKIN,
                        now=now,
                    )
                )
            except BadProgress as exc:
                raise BadOutcomeAnswer(item.outcome.ref, exc) from None
    invite.answers = texts
    invite.blocker = blocker
    invite.confidence = confidence.value if confidence else None
    invite.reply = None
    first = _mark_answered(round_, invite, AnswerSource.MODAL, now)
    await session.flush()
    return Answered(invite=invite, first=first, logged=logged)


async def record_thread_reply(
    session: AsyncSession, *, round_: Round, person: Person, text: str, now: datetime
) -> Answered | None:
    """A participant's reply in the round's thread is their answer, unless they have answered already (then it
    is just a reply). None when it does not count: not a participant, already answered, or empty."""
    invite = invite_of(round_, person)
    text = (text or "").strip()
    if invite is None or invite.answered or not text:
        return None
    invite.reply = text[:MAX_ANSWER]
    first = _mark_answered(round_, invite, AnswerSource.THREAD, now)
    await session.flush()
    return Answered(invite=invite, first=first)


# the scheduler's other questions ---------------------------------------------------------------------------


async def due_reminders(session: AsyncSession, *, now: datetime, limit: int = REMINDER_BATCH) -> list[Invite]:
    """Invites whose one reminder is due: asked, not answered, not reminded yet (across workspaces)."""
    query = (
        select(Invite)
        .where(Invite.remind_at <= now)
        .order_by(Invite.remind_at, Invite.id)
        .limit(limit)
        # An answer coming in meanwhile waits for (or is skipped by) this claim, never crosses it.
        .with_for_update(skip_locked=True, of=Invite)
        .options(
            selectinload(Invite.person),
            selectinload(Invite.round).selectinload(Round.cadence).selectinload(Cadence.owner),
        )
    )
    return list(await session.scalars(query))


def take_reminder(invite: Invite, now: datetime) -> bool:
    """Marks the reminder as sent; False when it is no longer wanted (answered meanwhile, or away)."""
    wanted = not invite.answered and not invite.away and invite.reminded_at is None
    invite.remind_at = None
    if wanted:
        invite.reminded_at = now
    return wanted


async def due_digests(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
    """(workspace id, round id) of rounds whose digest time has come and has not gone out (across workspaces)."""
    query = (
        select(Round.workspace_id, Round.id)
        .where(Round.digest_posted_at.is_(None), Round.digest_at <= now)
        .order_by(Round.digest_at, Round.id)
        .limit(limit)
    )
    return [(row.workspace_id, row.id) for row in await session.execute(query)]
