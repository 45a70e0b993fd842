"""Pre-reads as typed, one per line: `Pricing options — https://docs.example.com/pricing`, parsed without the
database, and written back the same way so the edit form shows them as they were typed.

The link is the line's last word; a dash, an en or em dash or a pipe may stand between it and the title. A line
that is only a link gets a title from the link itself (`docs.example.com/pricing`). Problems name their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from services.errors import Invalid
from services.links import check_url
from services.meetings.rules import MAX_PRE_READ_TITLE, one_line

MAX_PRE_READS = 5
PRE_READ_EXAMPLE = "Pricing options — https://docs.example.com/pricing"
_TRAILING_SEPARATOR = re.compile(r"\s*(?:[—–|]|\s-)\s*$")


def title_from_link(link: str) -> str:
    """`https://docs.example.com/notes/pricing.pdf?v=2` -> `docs.example.com/pricing.pdf`: enough to recognise."""
    parts = urlsplit(link)
    tail = next((unquote(p) for p in reversed(parts.path.split("/")) if p), "")
    title = f"{parts.hostname}/{tail}" if tail else str(parts.hostname)
    return one_line(title)[:MAX_PRE_READ_TITLE]


def parse_line(text: str, number: int) -> tuple[tuple[str, str] | None, str | None]:
    """One line: (title, link), or a sentence saying what is wrong with it (plain text, for a field error)."""
    line = text.strip()
    head, _, last = line.rpartition(" ")
    link = last.strip()
    title = one_line(_TRAILING_SEPARATOR.sub("", " " + head))
    if "." not in link and ":" not in link:
        return None, (f"Line {number} (“{line[:40]}”) needs a link after its title, e.g. “{PRE_READ_EXAMPLE}”.")
    try:
        link = check_url(link)
    except Invalid as exc:
        return None, f"Line {number}: that link doesn't look right. {next(iter(exc.errors.values()))}"
    if len(title) > MAX_PRE_READ_TITLE:
        return None, f"Line {number}: keep the pre-read's title within {MAX_PRE_READ_TITLE} characters."
    return (title or title_from_link(link), link), None


def parse_pre_reads(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Every non-empty line, in order, as (title, link); and the problems found, each naming its line."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_PRE_READS:
        return [], [f"Keep it to {MAX_PRE_READS} pre-reads (this has {len(lines)}): fewer get read."]
    found: list[tuple[str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        parsed, problem = parse_line(line, number)
        if problem:
            problems.append(problem)
        elif parsed and any(parsed[1] == link for _, link in found):
            problems.append(f"Line {number} repeats an earlier pre-read's link.")
        elif parsed:
            found.append(parsed)
    return found, problems


def pre_reads_text(pre_reads: Iterable[tuple[str, str]]) -> str:
    """The lines the form shows for stored pre-reads; parsed again they give the same titles and links."""
    return "\n".join(f"{title} — {link}" for title, link in pre_reads)
