"""Answers to a round: from the answer form (which also logs progress on the person's outcomes, all or
nothing) or as a reply in the round's thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, AnswerSource, Invite, Outcome, OutcomeStatus, Person, ProgressSource, Round
from services import blockers
from services.checkins.commitments import check_commitments, record_commitments
from services.checkins.rounds import invite_of
from services.checkins.rules import CONFIDENCE_CHOICES, MAX_ANSWER, MODAL_OUTCOMES, CheckinError, NotParticipant
from services.outcomes import BadProgress, Entry, ListScope, Logged, list_outcomes, log_progress


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
    actions: list[Action] = field(default_factory=list)  # made from its "I will…" lines


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


def _check_answer(
    texts: list[str],
    blocker: str | None,
    confidence: OutcomeStatus | None,
    outcomes: Sequence[OutcomeAnswer],
    commitments: Sequence[str] = (),
) -> None:
    if any(len(t) > MAX_ANSWER for t in [*texts, blocker or ""]):
        raise CheckinError(f"Keep each answer under {MAX_ANSWER:,} characters (a link to the details works well).")
    if confidence is not None and confidence not in CONFIDENCE_CHOICES:
        raise CheckinError("Choose on track, at risk or off track.")
    if not (any(texts) or blocker or confidence or outcomes or commitments):
        raise CheckinError("Answer at least one question.")
    check_commitments(commitments)


async def _log_outcomes(
    session: AsyncSession, round_: Round, person: Person, outcomes: Sequence[OutcomeAnswer], now: datetime
) -> list[Logged]:
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
    return logged


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
    commitments: Sequence[str] = (),
) -> Answered:
    """Stores a person's answer from the form (again: it replaces their earlier one), logs a status, and any
    values, on each of their outcomes through the progress service, and makes each of `commitments` (the "I
    will…" lines) an action item of theirs. All of it, or nothing."""
    invite = invite_of(round_, person)
    if invite is None:
        raise NotParticipant()
    texts = [(a or "").strip() for a in answers][: len(round_.questions)]
    texts += [""] * (len(round_.questions) - len(texts))
    blocker = blockers.answered(blocker)  # "nope" is not a blocker
    _check_answer(texts, blocker, confidence, outcomes, commitments)
    logged = await _log_outcomes(session, round_, person, outcomes, now)
    made = await record_commitments(session, round_=round_, person=person, lines=commitments, now=now)
    invite.answers = texts
    invite.blocker = blocker
    invite.confidence = confidence.value if confidence else None
    invite.reply = None
    first = _mark_answered(round_, invite, AnswerSource.MODAL, now)
    await session.flush()
    return Answered(invite=invite, first=first, logged=logged, actions=made)


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
