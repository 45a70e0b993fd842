"""The detectors against the labelled set (tests/health/scenarios.py): precision and recall per kind of
finding, printed as a table, and no kind below 0.9 on either."""

from __future__ import annotations

from collections import Counter

from services.health import Kind, findings
from tests.health.histories import NOW
from tests.health.scenarios import labelled_set

FLOOR = 0.9


def scores() -> dict[Kind, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per kind."""
    labelled = labelled_set()
    found = {(f.kind, f.subject) for f in findings(labelled.workspace(), NOW)}
    tally: dict[Kind, Counter] = {kind: Counter() for kind in Kind}
    for kind, _ in found & labelled.expected:
        tally[kind]["tp"] += 1
    for kind, _ in found - labelled.expected:
        tally[kind]["fp"] += 1
    for kind, _ in labelled.expected - found:
        tally[kind]["fn"] += 1
    return {kind: (c["tp"], c["fp"], c["fn"]) for kind, c in tally.items()}


def table() -> str:
    rows = ["detector               expected  found  precision  recall"]
    for kind, (tp, fp, fn) in scores().items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        rows.append(f"{kind.value:<22} {tp + fn:>8} {tp + fp:>6} {precision:>10.2f} {recall:>7.2f}")
    return "\n".join(rows)


def test_the_labelled_set_is_large_enough_to_mean_something() -> None:
    labelled = labelled_set()
    histories = len(labelled.outcomes) + len(labelled.decisions) + len(labelled.meetings)
    assert histories >= 40
    assert all(tp + fn > 0 for tp, _, fn in scores().values()), "every kind of finding has cases that should fire"


def test_every_detector_keeps_precision_and_recall_above_the_floor(capsys) -> None:
    print("\n" + table())
    for kind, (tp, fp, fn) in scores().items():
        assert tp / (tp + fp or 1) >= FLOOR, f"{kind.value}: {fp} false findings\n{table()}"
        assert tp / (tp + fn or 1) >= FLOOR, f"{kind.value}: {fn} missed\n{table()}"
