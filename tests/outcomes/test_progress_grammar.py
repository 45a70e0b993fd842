"""The /progress grammar, typed values and units, and the sparkline: pure functions, no Slack, no database."""

from __future__ import annotations

import pytest

from models import OutcomeStatus
from services.numbers import BadNumber, format_value, parse_value, parse_with_unit
from services.outcomes.grammar import BadProgress, Entry, parse_command, parse_values
from services.outcomes.sparkline import sparkline


def test_a_full_line_comes_apart() -> None:
    typed = parse_command("O-12 42 activation=31% at-risk legal is slow   to answer blocker: contract review")
    assert typed.ref == "O-12"
    assert typed.entries == (Entry("42"), Entry("31%", "activation"))
    assert typed.status is OutcomeStatus.AT_RISK
    assert (typed.note, typed.blocker) == ("legal is slow   to answer", "contract review")


def test_the_note_begins_at_the_first_word_that_is_not_a_value_or_status() -> None:
    typed = parse_command("O-1 shipped 3 screens, at-risk of slipping")
    assert typed.entries == () and typed.status is None
    assert typed.note == "shipped 3 screens, at-risk of slipping"


def test_a_second_number_belongs_to_the_note_and_links_are_notes() -> None:
    assert parse_command("O-1 3 2 customers signed").note == "2 customers signed"
    assert parse_command("O-1 https://x.example/?a=b updated").note == "https://x.example/?a=b updated"


def test_a_ref_alone_is_empty() -> None:
    assert parse_command("o-3").is_empty


@pytest.mark.parametrize("typed", ["O-1 !!=3", "O-1 =3", "O-1 " + "a" * 41 + "=3"])
def test_malformed_metric_names_are_refused(typed: str) -> None:
    with pytest.raises(BadProgress):
        parse_command(typed)


def test_form_values_field() -> None:
    assert parse_values("42  demos=4") == (Entry("42"), Entry("4", "demos"))
    with pytest.raises(BadProgress, match="neither a number"):
        parse_values("42 forty")


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [("42", "", 42.0), ("31%", "%", 31.0), ("31 %", "days", 31.0), ("3.5days", "days", 3.5), ("$40", "$", 40.0),
     ("-2", "", -2.0), (".5", "", 0.5), ("7 Days", "days", 7.0)],
)  # fmt: skip
def test_values_with_units(typed: str, unit: str, value: float) -> None:
    assert parse_value(typed, unit) == value


@pytest.mark.parametrize(
    ("typed", "says"),
    [("1,5", "use a dot"), ("1,000", "use a dot"), ("4o2", "not a number"), ("5kg", "not a number in %"),
     ("1e999", "not a number"), ("9" * 20, "too large")],
)  # fmt: skip
def test_values_refused(typed: str, says: str) -> None:
    with pytest.raises(BadNumber, match=says):
        parse_value(typed, "%")


def test_units_read_from_the_definition_form() -> None:
    assert parse_with_unit("20%") == (20.0, "%")
    assert parse_with_unit("10 days") == (10.0, "days")
    assert parse_with_unit("$5") == (5.0, "$")
    with pytest.raises(BadNumber):
        parse_with_unit("$5 days")


def test_values_are_shown_the_way_people_write_them() -> None:
    assert [format_value(31.0, "%"), format_value(2.5, "days"), format_value(40, "$"), format_value(-0.0)] == [
        "31%",
        "2.5 days",
        "$40",
        "0",
    ]


def test_sparkline() -> None:
    assert sparkline([]) == ""
    assert sparkline([5, 5, 5]) == "▄▄▄"
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([28, 31, 35]) == "▁▄█"
