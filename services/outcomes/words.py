"""Reading what people type after `/progress O-12`: status words, however they are spelled, and metric names.

A status is recognised in any case, written with `-`, `_`, a space or nothing between its words (`at risk`,
`OffTrack`, `on_track`). A word one or two typos away from a status (`at-rsik`, `offtrak`) is questioned, never
stored as the start of a note: the person is asked whether they meant the status. A metric is found by its
name, the start of it, or some of its words, ignoring case and punctuation; a name that fits several metrics is
questioned with the candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from models import Metric, OutcomeStatus

# The statuses `/progress` sets by word, keyed by their letters alone.
STATUSES = {
    "ontrack": OutcomeStatus.ON_TRACK,
    "atrisk": OutcomeStatus.AT_RISK,
    "offtrack": OutcomeStatus.OFF_TRACK,
    "done": OutcomeStatus.DONE,
}
SPELLED = {
    OutcomeStatus.ON_TRACK: "on-track",
    OutcomeStatus.AT_RISK: "at-risk",
    OutcomeStatus.OFF_TRACK: "off-track",
    OutcomeStatus.DONE: "done",
}
# Words that begin a two-word status (`at risk`); only then is the next word read with them.
_FIRST_HALVES = ("at", "on", "off")
# `done` is too short to guess at: `none`, `gone` and `dine` start real notes.
_GUESSABLE = ("ontrack", "atrisk", "offtrack")


class StatusTypo(Exception):
    """A word that looks like a misspelt status; `guesses` are the statuses it may mean."""

    def __init__(self, typed: str, guesses: list[OutcomeStatus]) -> None:
        self.typed, self.guesses = typed, guesses
        super().__init__(typed)


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _letters(word: str) -> str:
    return _NOT_WORD.sub("", word.lower())


def _distance(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (optimal string alignment)."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def _guesses(letters: str) -> list[OutcomeStatus]:
    found = []
    for key in _GUESSABLE:
        allowed = 1 if len(key) <= 6 else 2
        if letters[:1] == key[:1] and abs(len(letters) - len(key)) <= 1 and _distance(letters, key) <= allowed:
            found.append(STATUSES[key])
    return found


def read_status(words: list[str]) -> tuple[OutcomeStatus | None, int]:
    """The status the next words spell and how many words it took (1 or 2), or (None, 0) when they spell none.

    Raises StatusTypo when they look like a misspelt status."""
    if not words:
        return None, 0
    first = _letters(words[0])
    candidates = [(first, 1)]
    if first in _FIRST_HALVES and len(words) > 1:
        candidates.insert(0, (first + _letters(words[1]), 2))
    for letters, used in candidates:
        if letters in STATUSES:
            return STATUSES[letters], used
    for letters, used in candidates:
        if guesses := _guesses(letters):
            raise StatusTypo(" ".join(words[:used]), guesses)
    return None, 0


def typo_text(typo: StatusTypo) -> str:
    options = " or ".join(f"`{SPELLED[s]}`" for s in typo.guesses)
    return f"Did you mean {options}?"


# metric names -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricMatch:
    metric: Metric | None
    candidates: tuple[Metric, ...] = ()  # when the name fits several


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    # Cached: every /progress compares what was typed with each of the outcome's metric names, several times over.
    return tuple(w for w in _NOT_WORD.split(name.lower()) if w)


@lru_cache(maxsize=4096)
def _squashed(name: str) -> str:
    return "".join(_words(name))


def _fits(typed: tuple[str, ...], metric_words: tuple[str, ...]) -> bool:
    """Each typed word starts one of the metric's words, in order: `act` → Activation rate, `demos-b` → Demos
    booked, `booked` → Demos booked; the name run together works too (`demosbooked`)."""
    if "".join(metric_words).startswith("".join(typed)):
        return True
    position = 0
    for word in typed:
        while position < len(metric_words) and not metric_words[position].startswith(word):
            position += 1
        if position == len(metric_words):
            return False
        position += 1
    return True


def exact_metric(metrics: list[Metric], name: str) -> Metric | None:
    """The metric `name` spells in full, case and punctuation aside (`demos booked`, `Demos-Booked`), or None."""
    typed = _squashed(name)  # the same words, or the same letters run together (`demosbooked`)
    return next((m for m in metrics if _squashed(m.name) == typed), None) if typed else None


def find_metric(metrics: list[Metric], name: str) -> MetricMatch:
    """The one metric `name` means: the exact name first (case and punctuation aside), else the only one it fits."""
    typed = _words(name)
    if not typed:
        return MetricMatch(None)
    if exact := exact_metric(metrics, name):
        return MetricMatch(exact)
    fitting = [m for m in metrics if _fits(typed, _words(m.name))]
    if len(fitting) == 1:
        return MetricMatch(fitting[0])
    return MetricMatch(None, tuple(fitting))


# natural ranges ---------------------------------------------------------------------------------------------------


def out_of_range(metric: Metric, value: float, *, percent: bool = False) -> str | None:
    """Why `value` looks wrong for `metric`, or None. A percentage lies between 0 and 100 and other amounts are not
    negative, unless the metric's own baseline or target lies outside that range. A value typed with `%` on a
    metric that is not a percentage, and a fraction (0.38) on one that has always been tens of percent, look like
    slips too."""
    low, high = min(metric.baseline, metric.target), max(metric.baseline, metric.target)
    if percent and metric.unit != "%":
        return f"{metric.name} is not a percentage" + (f" (it counts {metric.unit})" if metric.unit else "")
    if metric.unit == "%" and 0 < value < 1 and min(abs(low), abs(metric.latest)) >= 10:
        meant = f"{value * 100:g}"
        return f"{metric.name} is in percent, and {value:g} is under one percent (for {meant}%, type `{meant}`)"
    if value < 0 <= low:
        what = "a percentage" if metric.unit == "%" else "an amount that does not go below 0"
        return f"{metric.name} is {what}"
    if metric.unit == "%" and value > 100 >= high:
        return f"{metric.name} is a percentage"
    return None
