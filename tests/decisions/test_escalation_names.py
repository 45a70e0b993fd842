"""`/escalation edit <name>` takes a path's name as people type it: any case, without its emoji or punctuation,
or just the start of it; when that could be several paths, it names them (issue 10 item 10)."""

from __future__ import annotations

import pytest

from tests.support.decisions import START, define_path, install_clock
from tests.support.outcomes import sent_view

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
async def two_paths(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)
    for name in ("🚀 Fast demo path!", "Fast lane"):
        answer = await define_path(harness, name, [{"decider": True, "wait": "60"}])
        assert answer["response_action"] == "update", answer


async def edit(harness, typed: str) -> tuple[str, str | None]:
    """What `/escalation edit <typed>` answered, and the name in the form it opened (None: none opened)."""
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(harness.me, "/escalation", f"edit {typed}")
    assert response.status_code == 200
    calls = harness.standin.calls_to("views.open")[opened:]
    if not calls:
        return response.json()["text"], None
    view = sent_view(calls[0])
    name = next(b for b in view["blocks"] if b.get("block_id") == "escalation_name")
    return response.text, name["element"]["initial_value"]


@pytest.mark.parametrize(
    ("typed", "path"),
    [
        ("🚀 Fast demo path!", "🚀 Fast demo path!"),
        ("fast demo path", "🚀 Fast demo path!"),
        ("FAST-DEMO", "🚀 Fast demo path!"),
        ("fast l", "Fast lane"),
        ("  standard ", "Standard"),
    ],
)
async def test_a_name_matches_loosely_or_by_a_unique_start(harness, typed, path) -> None:
    assert (await edit(harness, typed))[1] == path


async def test_an_ambiguous_start_names_the_candidates(harness) -> None:
    said, opened = await edit(harness, "fast")

    assert opened is None
    assert said == "“fast” could be *🚀 Fast demo path!*, *Fast lane*. Type more of the name to pick one."


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("slow", "There is no path called slow. `/escalation list` shows them."),
        ("!!", "There is no path called !!. `/escalation list` shows them."),
        ("", "Say which path to edit, e.g. `/escalation edit Standard`. `/escalation list` shows them."),
    ],
)
async def test_no_match_says_so(harness, typed, says) -> None:
    assert await edit(harness, typed) == (says, None)
