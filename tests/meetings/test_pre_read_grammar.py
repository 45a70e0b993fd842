"""Pre-reads as people type them, one per line: `Title — https://link`, `Title | link`, or a bare link (titled
from the link itself); problems name their line; what the edit form writes back reads back the same. Pure: no
database."""

from __future__ import annotations

import pytest

from models import ItemKind
from services.meetings import parse_agenda, parse_pre_reads
from services.meetings.agenda import item_text
from services.meetings.prereads import pre_reads_text

LINK = "https://docs.example.com/pricing?v=2&draft=no"


@pytest.mark.parametrize(
    ("typed", "title", "link"),
    [
        (f"Pricing options — {LINK}", "Pricing options", LINK),
        (f"Pricing options – {LINK}", "Pricing options", LINK),
        (f"Pricing options | {LINK}", "Pricing options", LINK),
        (f"Pricing options - {LINK}", "Pricing options", LINK),
        (f"  Pricing   options    {LINK}  ", "Pricing options", LINK),
        (f"Q3 — pricing — {LINK}", "Q3 — pricing", LINK),
        (f"Follow-up notes — {LINK}", "Follow-up notes", LINK),
        (LINK, "docs.example.com/pricing", LINK),
        (
            "HTTPS://files.example.org/a/b/Launch%20plan.pdf",
            "files.example.org/Launch plan.pdf",
            "https://files.example.org/a/b/Launch%20plan.pdf",
        ),  # fmt: skip
        ("https://wiki.example.org/", "wiki.example.org", "https://wiki.example.org/"),
    ],
)
def test_each_way_of_writing_a_pre_read_reads_the_same(typed: str, title: str, link: str) -> None:
    assert parse_pre_reads(typed) == ([(title, link)], [])


def test_blank_lines_are_skipped_and_the_order_is_kept() -> None:
    found, problems = parse_pre_reads(f"\nFirst — {LINK}\n\n  \nhttps://docs.example.com/second\n")
    assert problems == [] and [t for t, _ in found] == ["First", "docs.example.com/second"]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (f"Notes — {LINK}\nSlides — ftp://files.example/x", "Line 2: that link doesn't look right. Give a link"),
        ("Notes — https://ok.example/a>x|<!channel>", "Line 1: that link doesn't look right. A link can't contain"),
        ("Just a title", "Line 1 (“Just a title”) needs a link after its title"),
        (f"Notes — {LINK}\nAgain — {LINK}", "Line 2 repeats an earlier pre-read's link."),
        (f"{'x' * 151} — {LINK}", "Line 1: keep the pre-read's title within 150 characters."),
        ("\n".join(f"Part {n} — {LINK}{n}" for n in range(6)), "Keep it to 5 pre-reads (this has 6)"),
    ],
)
def test_each_problem_names_its_line(typed: str, said: str) -> None:
    _, problems = parse_pre_reads(typed)
    assert any(said in p for p in problems), problems


def test_what_the_edit_form_writes_back_reads_back_the_same() -> None:
    typed = f"Q3 — pricing | {LINK}\nhttps://docs.example.com/notes/\nLaunch - https://x.example/a?b=1"
    found, _ = parse_pre_reads(typed)
    assert parse_pre_reads(pre_reads_text(found)) == (found, [])
    agenda = "Pricing options — @alex — 15 decide\nA — B | Priya Raman | 20\nFollow-up - @dana - 5 inform"
    items, _ = parse_agenda(agenda)
    again = "\n".join(item_text(i.topic, f"@{i.owner_name}", i.minutes, i.kind) for i in items)
    assert parse_agenda(again) == (items, [])
    assert [i.kind for i in items] == [ItemKind.DECIDE, ItemKind.DISCUSS, ItemKind.INFORM]
