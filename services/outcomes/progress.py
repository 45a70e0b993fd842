"""Logging progress: the `/progress` grammar, and recording values, status, note and blocker in one go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressSource, ProgressUpdate
from models.outcome import WORRYING_STATUSES
from services.numbers import BadNumber, format_number, looks_numeric, parse_value
from services.outcomes.form import MAX_METRIC_NAME
from services.outcomes.queries import lock_outcome
from services.outcomes.rules import require_manager
from services.outcomes.words import StatusTypo, exact_metric, find_metric, out_of_range, read_status, typo_text
from services.outcomes.writes import Change, store

MAX_NOTE = 2000
REPEAT_WINDOW = timedelta(minutes=10)  # the same line again within this is a repeat, not news
# `blocker: ...`, and the ways people write it: `blockers: ...`, `blocked - ...`, and `blocked on ...` (or `by`) where
# a sentence or clause starts, so that "we were blocked on legal last week" stays a note.
_BLOCKER = re.compile(
    r"(?:^|\s)(?:blockers?|blocked)(?:\s*:|\s+[-–—](?=\s))\s*|(?:^|[.;,]\s*)blocked\s+(?:on|by)\s+", re.IGNORECASE
)


class Part(StrEnum):
    """Which part of a progress update a problem is about (a modal shows it beside that field)."""

    OUTCOME = "outcome"
    VALUES = "values"
    STATUS = "status"
    NOTE = "note"
    BLOCKER = "blocker"


class BadProgress(Exception):
    """Nothing was stored; the message says why and what to type instead."""

    def __init__(self, message: str, part: Part = Part.VALUES) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class Entry:
    """One typed value: for the lagging metric (name None) or for a metric by name."""

    raw: str
    name: str | None = None


@dataclass(frozen=True)
class Typed:
    """`/progress O-12 ...` taken apart."""

    ref: str
    entries: tuple[Entry, ...] = ()
    status: OutcomeStatus | None = None
    note: str | None = None
    blocker: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.entries or self.status or self.note or self.blocker)

    @property
    def is_undo(self) -> bool:
        """`/progress O-12 undo` and nothing else: take back my last update (services.outcomes.undo)."""
        return (self.note or "").lower() == "undo" and not (self.entries or self.status or self.blocker)


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
        """News for the outcome's channel: a turn for the worse, the way back from one, and the finish. Only bad
        news left the channel's last word on an outcome "at risk" after it had recovered or was done."""
        if not (self.status_changed and self.outcome.channel_id):
            return False
        return (
            self.status_after in WORRYING_STATUSES
            or self.status_before in WORRYING_STATUSES
            or self.status_after is OutcomeStatus.DONE
        )


def parse_command(text: str) -> Typed:
    """`O-12 [value] [name=value ...] [status] [note ... [blocker: ...]]`; the caller checks the ref exists."""
    words = list(re.finditer(r"\S+", text))
    if not words:
        raise BadProgress("Tell me which outcome, e.g. `/progress O-12 42 shipped the onboarding flow`.")
    ref = words[0].group()
    entries: list[Entry] = []
    status: OutcomeStatus | None = None
    rest = ""
    position = 1
    while position < len(words):
        match = words[position]
        word = match.group()
        if status is None and not _is_named(word) and not looks_numeric(word):
            try:
                found, used = read_status([w.group() for w in words[position : position + 2]])
            except StatusTypo as typo:
                raise BadProgress(typo_text(typo), Part.STATUS) from None
            if found is not None and not _done_starts_note(found, words[position + used :]):
                status, position = found, position + used
                continue
        if _is_named(word):
            entries.append(_named(word))
        elif looks_numeric(word) and not any(e.name is None for e in entries):
            following = words[position + 1].group() if position + 1 < len(words) else ""
            spaced = following in ("%", "%!") and not word.endswith("%")  # `34 %`: the sign belongs to the number
            entries.append(Entry(raw=word + following if spaced else word))
            position += spaced
        else:
            rest = text[match.start() :]
            break
        position += 1
    note, blocker = split_blocker(rest)
    return Typed(ref, tuple(entries), status, note, blocker)


def _done_starts_note(status: OutcomeStatus, following: list[re.Match[str]]) -> bool:
    """`done` followed by words is the start of a note ("done with the first cohort"), not a request to close the
    outcome: closing takes `done` with nothing after it but values. Other statuses keep their note ("at-risk
    waiting on legal"): setting them is easily undone, closing by accident is not."""
    return status is OutcomeStatus.DONE and any(
        not (_is_named(w.group()) or looks_numeric(w.group())) for w in following
    )


_FINISHED = ("done", "complete", "completed", "finished")


def finishing_word(note: str | None) -> str | None:
    """The word a logged note begins with when it says the work is finished (`done`, `finished`...), which did not
    close the outcome; None otherwise."""
    first = (note or "").split(maxsplit=1)[:1]
    return first[0] if first and re.sub(r"[^a-z]", "", first[0].lower()) in _FINISHED else None


# `demos booked=4`: a metric's name typed with its spaces, at the start of what would be the note.
_SPACED_NAME = re.compile(r"((?:[^\s=]+\s+){1,3}[^\s=]+)=(\S+)(?:\s+|$)")


def with_metric_names(outcome: Outcome, request: Typed) -> Typed:
    """Metric names the grammar alone would have left in the note, where the value vanished without a word:

    - `/progress O-1 demos booked=4 good week`: the words before `=` spell a metric in full, so they are its value;
    - `/progress O-1 3 demos booked today`: the words after the bare number spell a metric in full, so the number
      is that metric's, not the lagging one's.

    Only a metric's whole name counts, so prose that holds an `=` or begins with a name's first word stays the
    note."""
    metrics = list(outcome.metrics)
    entries, note = list(request.entries), request.note
    bare = next((n for n, e in enumerate(entries) if e.name is None), None)
    if bare is not None and note and (found := _name_at_start(metrics, note)):
        metric, rest = found
        if not any(e.name and exact_metric(metrics, e.name) is metric for e in entries):
            entries[bare], note = Entry(raw=entries[bare].raw, name=metric.name), rest
    while note and (match := _SPACED_NAME.match(note)):
        metric = exact_metric(metrics, match.group(1))
        if metric is None:
            break
        entries.append(Entry(raw=match.group(2), name=metric.name))
        note = note[match.end() :].strip() or None
    return replace(request, entries=tuple(entries), note=note)


def _name_at_start(metrics: list[Metric], note: str) -> tuple[Metric, str | None] | None:
    """The metric the note's first words spell in full (the longest such name), and the note after it."""
    words = list(re.finditer(r"\S+", note))[:4]
    for count in range(len(words), 0, -1):
        if metric := exact_metric(metrics, " ".join(w.group() for w in words[:count])):
            return metric, note[words[count - 1].end() :].strip() or None
    return None


def parse_values(text: str) -> tuple[Entry, ...]:
    """The modal's values field: `42`, `activation=31%`, several separated by spaces."""
    entries: list[Entry] = []
    for word in text.split():
        if _is_named(word):
            entries.append(_named(word))
        elif looks_numeric(word) and not any(e.name is None for e in entries):
            entries.append(Entry(raw=word))
        else:
            raise BadProgress(f"`{word[:40]}` is neither a number nor `name=value` (e.g. `42` or `activation=31%`).")
    return tuple(entries)


def _is_named(word: str) -> bool:
    # A link (https://...?a=b) holds "=" too; it starts a note.
    return "=" in word and not word.startswith("<") and "://" not in word and not word.lower().startswith("blocker:")


def _named(word: str) -> Entry:
    name, _, raw = word.partition("=")
    if not re.search(r"[^\W_]", name) or len(name) > MAX_METRIC_NAME:
        raise BadProgress(f"`{name[:60]}` is not a metric name. Type `name=value`, e.g. `demos-booked=4`.")
    if not raw:
        raise BadProgress(f"Give a value after `{name}=`, e.g. `{name}=31`.")
    return Entry(raw=raw, name=name)


def split_blocker(text: str) -> tuple[str | None, str | None]:
    """`shipped it blocker: waiting on legal` -> note and blocker."""
    match = _BLOCKER.search(text)
    if not match:
        return text.strip() or None, None
    return text[: match.start()].strip() or None, text[match.end() :].strip() or None


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
    match = find_metric(list(outcome.metrics), entry.name)
    if match.metric is not None and len(re.sub(r"[\W_]", "", entry.name)) < 2 and match.metric.name != entry.name:
        # One letter fits too many names to be a choice: `s` would pick whichever metric has a word starting so.
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
    note, blocker = (note or "").strip() or None, (blocker or "").strip() or None
    _check_length(note, "note", Part.NOTE)
    _check_length(blocker, "blocker", Part.BLOCKER)
    values = _resolve(outcome, entries)
    _check_status(outcome, author, status, note)
    if not (values or status or note or blocker):
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
