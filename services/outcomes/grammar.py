"""What people type after `/progress`: the line taken apart (values, status, note, blocker), the modal's values
field, and the readings of loose typing (a metric's name with its spaces, `done` that starts a note). Nothing here
reads or writes the database; services.outcomes.progress checks and stores what is found."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from models import Metric, Outcome, OutcomeStatus
from services.numbers import looks_numeric
from services.outcomes.form import MAX_METRIC_NAME
from services.outcomes.words import StatusTypo, exact_metric, read_status, typo_text

_WORD, _NOT_LETTER = re.compile(r"\S+"), re.compile(r"[^a-z]")  # compiled once: every /progress uses them
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
    status_at: tuple[int, int] | None = None  # where the status words sit in what was typed

    @property
    def is_empty(self) -> bool:
        return not (self.entries or self.status or self.note or self.blocker)

    @property
    def is_undo(self) -> bool:
        """`/progress O-12 undo` and nothing else: take back my last update (services.outcomes.undo)."""
        return (self.note or "").lower() == "undo" and not (self.entries or self.status or self.blocker)


def parse_command(text: str) -> Typed:
    """`O-12 [value] [name=value ...] [status] [note ... [blocker: ...]]`; the caller checks the ref exists."""
    words = list(_WORD.finditer(text))
    if not words:
        raise BadProgress("Tell me which outcome, e.g. `/progress O-12 42 shipped the onboarding flow`.")
    ref = words[0].group()
    entries: list[Entry] = []
    status: OutcomeStatus | None = None
    status_at: tuple[int, int] | None = None
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
                status_at = (match.start(), words[position + used - 1].end())
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
    return Typed(ref, tuple(entries), status, note, blocker, status_at)


def without_status(text: str, request: Typed) -> str | None:
    """What was typed, less its status, when something else is left to log (values, a note, a blocker): offered
    to send again when only the status change was refused, so that nobody types their note twice."""
    if request.status_at is None or not (request.entries or request.note or request.blocker):
        return None
    start, end = request.status_at
    return " ".join((text[:start] + text[end:]).split())


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
    return first[0] if first and _NOT_LETTER.sub("", first[0].lower()) in _FINISHED else None


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
    found = replace(request, entries=tuple(entries), note=note)
    _refuse_an_unclear_reading(outcome, found)
    return found


def _refuse_an_unclear_reading(outcome: Outcome, request: Typed) -> None:
    """A note that starts like a reading of another metric is asked about, not stored as typed:

    - `/progress O-1 7 demos`: the bare number goes to the lagging metric, though `demos` starts a leading one's
      name: a conversion rate read as 7 would be stored;
    - `/progress O-1 demos booked 8` (a name, then a number, and no values): only a note would be stored, the
      reading lost.
    """
    note, lagging = request.note, outcome.lagging
    if not note:
        return
    words = [w.group() for w in _WORD.finditer(note)][:5]
    bare = next((e for e in request.entries if e.name is None), None)
    if bare is not None:
        metric = _started(outcome, words[0])
        if metric is not None and metric is not lagging and lagging is not None:
            rest = note[len(words[0]) :].strip()
            raise BadProgress(
                f"Is {bare.raw} for {metric.name}? A number with no name goes to {lagging.name}, and your note "
                f"begins with “{words[0]}”. For {metric.name}, send `/progress {outcome.ref} "
                f"{metric.slug}={bare.raw}{' ' + rest if rest else ''}`; for {lagging.name}, with that note, send "
                f"`/progress {outcome.ref} {lagging.slug}={bare.raw} {note}`."
            )
    elif not request.entries:
        for count in range(min(len(words) - 1, 4), 0, -1):
            name, value = " ".join(words[:count]), words[count]
            metric = exact_metric(list(outcome.metrics), name) or (_started(outcome, name) if count == 1 else None)
            if metric is not None and looks_numeric(value):
                raise BadProgress(
                    f"Is {value} a reading of {metric.name}? Your note begins with it, and a note alone stores no "
                    f"reading. To log it, send `/progress {outcome.ref} {metric.slug}={value}` and your note after."
                )


def _started(outcome: Outcome, word: str) -> Metric | None:
    """The one metric whose name begins with `word` (three letters at least: `demos` → Demos booked), or None."""
    letters = _NOT_LETTER.sub("", word.lower())
    if len(letters) < 3:
        return None
    found = [m for m in outcome.metrics if _NOT_LETTER.sub("", m.name.lower()).startswith(letters)]
    return found[0] if len(found) == 1 else None


def _name_at_start(metrics: list[Metric], note: str) -> tuple[Metric, str | None] | None:
    """The metric the note's first words spell in full (the longest such name), and the note after it."""
    words = list(_WORD.finditer(note))[:4]
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
