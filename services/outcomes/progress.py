"""Logging progress: values, status, note and blocker checked together, then stored in one go (the grammar of the
`/progress` line is services.outcomes.grammar)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressSource, ProgressUpdate
from models.outcome import WORRYING_STATUSES
from services import blockers
from services.numbers import BadNumber, format_number, parse_value
from services.outcomes.grammar import BadProgress, Entry, Part
from services.outcomes.queries import lock_outcome
from services.outcomes.rules import require_manager
from services.outcomes.words import exact_metric, find_metric, out_of_range
from services.outcomes.writes import Change, store

MAX_NOTE = 2000
REPEAT_WINDOW = timedelta(minutes=10)  # the same line again within this is a repeat, not news


@dataclass(frozen=True)
class Move:
    metric: Metric
    before: float
    after: float


@dataclass
class Logged:
    outcome: Outcome
    update: ProgressUpdate
    moves: list[Move] = field(default_factory=list)
    status_before: OutcomeStatus | None = None
    status_after: OutcomeStatus | None = None

    @property
    def status_changed(self) -> bool:
        return self.status_after is not None and self.status_after != self.status_before

    @property
    def worth_announcing(self) -> bool:
        """News for the outcome's channel: a turn for the worse, the way back from one, the finish, and a reopening.
        Only bad news left the channel's last word on an outcome "at risk" after it had recovered or was done, and
        an outcome reopened silently stayed "done" there."""
        if not (self.status_changed and self.outcome.channel_id):
            return False
        assert self.status_before is not None
        return (
            self.status_after in WORRYING_STATUSES
            or self.status_before in WORRYING_STATUSES
            or self.status_after is OutcomeStatus.DONE
            or not self.status_before.is_open
        )


def _check_length(text: str | None, what: str, part: Part) -> None:
    if text and len(text) > MAX_NOTE:
        raise BadProgress(
            f"Your {what} is {len(text):,} characters; the limit is {MAX_NOTE:,}. Shorten it (a link to the details "
            "works well).",
            part,
        )


def _metric_for(outcome: Outcome, entry: Entry) -> Metric:
    if entry.name is None:
        if outcome.lagging is None:
            raise BadProgress(f"{outcome.ref} has no lagging metric; give a value as `name=value`.")
        return outcome.lagging
    metrics = list(outcome.metrics)
    match = find_metric(metrics, entry.name)
    short = len(re.sub(r"[\W_]", "", entry.name)) < 2
    if match.metric is not None and short and exact_metric(metrics, entry.name) is None:
        # One letter fits too many names to be a choice: `s` would pick whichever metric has a word starting so.
        # A metric really named so (`S`, in any case) is still chosen.
        raise BadProgress(f"`{entry.name}` is too short to tell which metric you mean. Type more of its name, "
                          f"e.g. `{match.metric.slug}={entry.raw}`.")  # fmt: skip
    if match.metric is not None:
        return match.metric
    if match.candidates:
        names = " or ".join(f"`{m.slug}`" for m in match.candidates)
        raise BadProgress(f"`{entry.name}` could be {names}: type more of the name.")
    names = ", ".join(f"`{m.slug}`" for m in outcome.metrics)
    raise BadProgress(f"{outcome.ref} has no metric called `{entry.name}`. Its metrics: {names}.")


def _value_of(metric: Metric, entry: Entry) -> float:
    """The typed value; one outside the metric's natural range is refused unless it ends in `!` (meant as typed)."""
    raw = entry.raw
    meant = raw.endswith("!")
    try:
        value = parse_value(raw.removesuffix("!"), metric.unit)
    except BadNumber as exc:
        raise BadProgress(f"{metric.name}: {exc}") from None
    if raw.startswith("+") and not meant:
        # `demos=+2` reads as "two more" to the person typing it, but a reading is where the metric now stands.
        total = format_number(metric.latest + value)
        typed = f"{entry.name}={total}" if entry.name else total
        raise BadProgress(
            f"{metric.name} takes where it stands now, not the change: it is at {format_number(metric.latest)}, so "
            f"for {format_number(value)} more type `{typed}`. If you meant {format_number(value)} itself, add `!`: "
            f"`{raw}!`."
        )
    problem = None if meant else out_of_range(metric, value, percent=raw.removesuffix("!").endswith("%"))
    if problem:
        typed = f"{entry.name}={raw}" if entry.name else raw
        raise BadProgress(
            f"{problem}, so `{raw}` looks like a typo. If you meant it, add `!` to the value: `{typed}!`."
        )
    return value


def _resolve(outcome: Outcome, entries: tuple[Entry, ...]) -> list[tuple[Metric, float]]:
    resolved: list[tuple[Metric, float]] = []
    for entry in entries:
        metric = _metric_for(outcome, entry)
        if any(m is metric for m, _ in resolved):
            raise BadProgress(f"{metric.name} is given twice; give it once.")
        resolved.append((metric, _value_of(metric, entry)))
    return resolved


def _check_status(outcome: Outcome, author: Person, status: OutcomeStatus | None, note: str | None) -> None:
    current = outcome.status
    if status is None:
        if current is OutcomeStatus.DROPPED:
            raise BadProgress(
                f"{outcome.ref} was dropped, so it takes no more progress. Its owner or an admin can reopen it "
                f"with `/progress {outcome.ref} on-track`.",
                Part.OUTCOME,
            )
        return
    if status is OutcomeStatus.DONE and current is not OutcomeStatus.DONE:
        require_manager(author, outcome, f"mark {outcome.ref} done")
    elif status is OutcomeStatus.DROPPED and current is not OutcomeStatus.DROPPED:
        require_manager(author, outcome, f"drop {outcome.ref}")
        if not note:
            raise BadProgress("Say why it is dropped: the reason is what people will look for later.", Part.NOTE)
    elif status.is_open and not current.is_open:
        require_manager(author, outcome, f"reopen {outcome.ref}")


async def _refuse_a_repeat(
    session: AsyncSession,
    outcome: Outcome,
    author: Person,
    values: list[tuple[Metric, float]],
    note: str | None,
    blocker: str | None,
    now: datetime,
) -> None:
    """The same `/progress` line sent again by the same person moments later (the up arrow and Enter, or a reply
    that seemed slow) is refused rather than stored twice. Only when the outcome changed that recently and already
    holds these values is anything read back, so the usual request costs no extra query."""
    last = outcome.last_progress_at
    if last is None or now - last > REPEAT_WINDOW or any(m.current_value != v for m, v in values):
        return
    mine = (
        await session.execute(
            select(ProgressUpdate.id, ProgressUpdate.note, ProgressUpdate.blocker, ProgressUpdate.created_at)
            .where(ProgressUpdate.workspace_id == outcome.workspace_id, ProgressUpdate.outcome_id == outcome.id,
                   ProgressUpdate.author_id == author.id, ProgressUpdate.created_at >= now - REPEAT_WINDOW)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
            .limit(1)
        )
    ).first()  # fmt: skip
    if mine is None or (mine.note, mine.blocker) != (note, blocker):
        return
    readings = await session.execute(
        select(MetricReading.metric_id, MetricReading.value).where(MetricReading.update_id == mine.id)
    )
    if {tuple(row) for row in readings} != {(m.id, v) for m, v in values}:
        return
    minutes = int((now - mine.created_at).total_seconds() // 60)
    when = "moments ago" if minutes < 1 else f"{minutes} minute{'s' if minutes > 1 else ''} ago"
    raise BadProgress(
        f"You logged exactly this on {outcome.ref} {when}, so it is not stored twice. If it happened again, "
        "say what is new in the note."
    )


async def log_progress(
    session: AsyncSession,
    *,
    outcome: Outcome,
    author: Person,
    entries: tuple[Entry, ...] = (),
    status: OutcomeStatus | None = None,
    note: str | None = None,
    blocker: str | None = None,
    source: ProgressSource,
    now: datetime,
) -> Logged:
    """Checks everything first, then stores one update with its readings; on any problem nothing is stored.

    `outcome` comes with its owner and metrics loaded (services.outcomes.queries.get_outcome).
    """
    await lock_outcome(session, outcome)  # status and current values are read fresh, then changed
    note, blocker = (note or "").strip() or None, blockers.typed(blocker)  # "none": clears the earlier ones
    _check_length(note, "note", Part.NOTE)
    _check_length(blocker, "blocker", Part.BLOCKER)
    values = _resolve(outcome, entries)
    _check_status(outcome, author, status, note)
    if not (values or status or note or blocker is not None):
        raise BadProgress(
            f"Nothing to log. Give a value, a status or a note, e.g. `/progress {outcome.ref} 42 shipped it` "
            f"or `/progress {outcome.ref} at-risk waiting on legal`."
        )
    before = outcome.status
    changed = status is not None and status != before
    if source is ProgressSource.COMMAND and not changed:
        await _refuse_a_repeat(session, outcome, author, values, note, blocker, now)
    moves = [Move(metric, metric.latest, value) for metric, value in values]
    change = Change(outcome, author.id, values, note, blocker, source, now,
                    status_before=before if changed else None, status_after=status if changed else None)  # fmt: skip
    return Logged(outcome, await store(session, change), moves, status_before=before, status_after=status)
