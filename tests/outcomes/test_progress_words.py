"""Issue 10 items 6, 7 and 10: status words however they are spelled, misspelt ones questioned, metric names
found loosely, and values outside a metric's natural range questioned. Pure functions, no Slack, no database."""

from __future__ import annotations

import pytest

from models import Direction, Metric, MetricKind, OutcomeStatus
from services.outcomes.grammar import BadProgress, parse_command
from services.outcomes.words import find_metric, out_of_range


@pytest.mark.parametrize(
    ("typed", "status", "note"),
    [("O-1 at risk legal", OutcomeStatus.AT_RISK, "legal"), ("O-1 offtrack", OutcomeStatus.OFF_TRACK, None),
     ("O-1 off track churn", OutcomeStatus.OFF_TRACK, "churn"), ("O-1 On-Track", OutcomeStatus.ON_TRACK, None),
     ("O-1 ontrack fine", OutcomeStatus.ON_TRACK, "fine"), ("O-1 AT_RISK x", OutcomeStatus.AT_RISK, "x"),
     ("O-1 42 At Risk waiting", OutcomeStatus.AT_RISK, "waiting"), ("O-1 DONE", OutcomeStatus.DONE, None),
     ("O-1 at-risk, legal", OutcomeStatus.AT_RISK, "legal")],
)  # fmt: skip
def test_near_misses_of_a_status_word_are_recognised(typed: str, status: OutcomeStatus, note: str | None) -> None:
    parsed = parse_command(typed)
    assert (parsed.status, parsed.note) == (status, note)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("O-1 at-rsik legal", "`at-risk`"), ("O-1 at rsik", "`at-risk`"), ("O-1 offtrak", "`off-track`"),
     ("O-1 on-trak", "`on-track`"), ("O-1 Atrisc waiting", "`at-risk`")],
)  # fmt: skip
def test_a_misspelt_status_is_questioned_not_stored_as_a_note(typed: str, meant: str) -> None:
    with pytest.raises(BadProgress, match=f"^Did you mean {meant}\\?$"):
        parse_command(typed)


@pytest.mark.parametrize(
    "typed", ["O-1 none of the demos happened", "O-1 on Tuesday we shipped", "O-1 track record", "O-1 at rest"]
)
def test_notes_that_merely_start_like_a_status_stay_notes(typed: str) -> None:
    parsed = parse_command(typed)
    assert parsed.status is None and parsed.note == typed[4:]


def metric(name: str, unit: str = "", baseline: float = 0, target: float = 10) -> Metric:
    return Metric(
        name=name, slug=name.lower().replace(" ", "-"), unit=unit, baseline=baseline, target=target,
        kind=MetricKind.LEADING, direction=Direction.UP,
    )  # fmt: skip


METRICS = [metric("Activation rate", "%", 20, 40), metric("Demos booked"), metric("Demo calls"), metric("Setup time")]


@pytest.mark.parametrize(
    ("typed", "found"),
    [("activation", "Activation rate"), ("ACTIVATION-RATE", "Activation rate"), ("act", "Activation rate"),
     ("activation_rate", "Activation rate"), ("activationrate", "Activation rate"), ("rate", "Activation rate"),
     ("demos", "Demos booked"), ("Demos.Booked", "Demos booked"), ("booked", "Demos booked"),
     ("demo-c", "Demo calls"), ("setup", "Setup time"), ("time", "Setup time")],
)  # fmt: skip
def test_a_metric_is_found_by_an_unambiguous_prefix_or_its_words(typed: str, found: str) -> None:
    match = find_metric(METRICS, typed)
    assert match.metric is not None and match.metric.name == found


def test_an_exact_name_wins_over_a_longer_one_it_starts() -> None:
    both = [metric("Demos booked"), metric("Demos")]
    assert find_metric(both, "demos").metric is both[1]


def test_an_ambiguous_name_lists_the_candidates_and_an_unknown_one_finds_nothing() -> None:
    ambiguous = find_metric(METRICS, "demo")
    assert ambiguous.metric is None
    assert [m.name for m in ambiguous.candidates] == ["Demos booked", "Demo calls"]
    unknown = find_metric(METRICS, "revenue")
    assert unknown.metric is None and unknown.candidates == ()


@pytest.mark.parametrize(
    ("unit", "baseline", "target", "value", "questioned"),
    [("%", 20, 40, -5, True), ("%", 20, 40, 101, True), ("%", 20, 40, 100, False), ("%", 20, 40, 0, False),
     ("%", 100, 150, 130, False), ("%", -10, 5, -3, False), ("", 2, 10, -1, True), ("days", 5, 1, -2, True),
     ("", 2, 10, 500, False), ("$", -100, 0, -50, False)],
)  # fmt: skip
def test_values_outside_a_metrics_natural_range(unit, baseline, target, value, questioned) -> None:
    assert bool(out_of_range(metric("M", unit, baseline, target), value)) is questioned
