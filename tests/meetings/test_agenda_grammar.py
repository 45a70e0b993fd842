"""The agenda as people type it, one item per line: `Pricing options — @alex — 15 decide`, with an em or en dash,
a pipe or a spaced hyphen between the parts, and the owner as a name or a pasted mention. Pure: no database."""

from __future__ import annotations

import pytest

from models import ItemKind
from services.meetings import parse_agenda
from services.meetings.agenda import over_time_problem


@pytest.mark.parametrize(
    ("typed", "topic", "owner", "minutes", "kind"),
    [
        ("Pricing options — @alex — 15 decide", "Pricing options", "alex", 15, ItemKind.DECIDE),
        ("Pricing options – alex – 15 decide", "Pricing options", "alex", 15, ItemKind.DECIDE),
        ("Launch date | Priya Raman | 20", "Launch date", "Priya Raman", 20, ItemKind.DISCUSS),
        ("Follow-up on Q3 - @alex - inform 5", "Follow-up on Q3", "alex", 5, ItemKind.INFORM),
        ("Budget—@alex—10 min discuss", "Budget", "alex", 10, ItemKind.DISCUSS),
        ("A — B — @alex — 15 DECIDE", "A — B", "alex", 15, ItemKind.DECIDE),
        ("Roadmap draft - priya - 30 - decide", "Roadmap draft", "priya", 30, ItemKind.DECIDE),  # the kind apart
    ],
)
def test_each_way_of_writing_an_item_reads_the_same(typed, topic, owner, minutes, kind) -> None:
    [item], problems = parse_agenda(typed)
    assert problems == []
    assert (item.topic, item.owner_name, item.minutes, item.kind) == (topic, owner, minutes, kind)


def test_a_pasted_mention_is_an_id_and_its_label_is_no_separator() -> None:
    [item], problems = parse_agenda("Hiring plan | <@U0ALEX|alex> | 10 decide")
    assert problems == [] and (item.owner_id, item.owner_name, item.topic) == ("U0ALEX", None, "Hiring plan")


def test_blank_lines_are_skipped_and_items_keep_their_order() -> None:
    items, problems = parse_agenda("\nFirst — @alex — 5\n\n  \nSecond — @priya — 10 inform\n")
    assert problems == [] and [(i.number, i.topic) for i in items] == [(1, "First"), (2, "Second")]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Pricing options — 15 decide", "has no owner"),
        ("Pricing options", "needs an owner and minutes"),
        ("Pricing options — @alex — soon", "needs its minutes last"),
        ("Pricing options — @alex — 0 decide", "needs its minutes"),
    ],
)
def test_a_line_that_cannot_be_read_says_which_and_shows_the_way(typed, said) -> None:
    items, problems = parse_agenda(f"Intro — @alex — 5\n{typed}")
    assert len(items) == 1 and len(problems) == 1
    assert problems[0].startswith("Line 2") and said in problems[0]


def test_time_boxes_may_fill_the_meeting_but_not_run_past_it() -> None:
    items, _ = parse_agenda("A — @alex — 30\nB — @priya — 15")
    assert over_time_problem(items, 45) is None
    said = over_time_problem(items, 40)
    assert said is not None and "add up to 45 minutes, 5 more than the meeting's 40" in said


def test_a_kind_it_does_not_know_is_named_rather_than_the_minutes_blamed() -> None:
    _, [problem] = parse_agenda("Hiring plan — @alex — 15 brainstorm")
    assert "“brainstorm” isn't a kind here; use decide, discuss or inform." in problem
