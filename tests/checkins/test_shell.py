"""The "done when" of check-ins, in `followthrough shell`: a newcomer sets up a check-in in the form, runs
`/checkin now`, answers from the direct message with `:click`, and sees the thread and the digest.

The shell starts the app in this process in local mode, scheduler included (as `followthrough serve` runs it):
the round's messages and the digest reach the stand-in through the outbox sender, not by the test's hand."""

from __future__ import annotations

import asyncio

import pytest

from bot.devtools.shell import run_shell
from bot.settings import Settings
from tests.support import shell as shell_support
from tests.support.shell import Transcript, TypedLines


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch)


async def until(stdin: TypedLines, out: Transcript, text: str, after: int) -> int:
    """`:wait` a little at a time (as a person would) until `text` shows; bounded."""
    for _ in range(40):
        stdin.type(":wait 0.25")
        try:
            return await out.shows(text, after, seconds=0.5)
        except AssertionError:
            continue
    raise AssertionError(f"{text!r} never showed; the transcript so far:\n{out.getvalue()[after:]}")


async def test_a_newcomer_sets_up_a_check_in_answers_it_and_reads_the_thread_and_digest(
    local_settings: Settings,
) -> None:
    stdin, out = TypedLines(), Transcript()
    shell = asyncio.create_task(run_shell(local_settings, stdin=stdin, stdout=out))
    try:
        at = await out.shows("Started Followthrough in this process")
        stdin.type(
            "/checkin",
            "2",  # who is asked: only the people I pick
            "you",  # ... just me, to try it out
            "",  # every week
            "",  # on Monday
            "",  # at 09:30
            "",  # each person in their own time zone
            "",  # the fallback time zone
            "",  # starting today
            "",  # the default questions
            "",  # also ask about blockers and confidence
            "",  # remind after 4 hours
            "",  # the digest 6 hours after the first ask
        )
        at = await out.shows("is set up: every Monday at 09:30, each person in their own time zone", at)

        stdin.type("/checkin now")
        at = await out.shows("Started: a thread in", at)
        at = await until(stdin, out, "Time for the", at)  # the direct message, after the thread

        stdin.type(
            ":click Answer",
            "Shipped the onboarding checklist",
            ".",
            "Interview two customers",
            ".",
            "Waiting for the new test account",
            ".",
            "1",  # on track
        )
        at = await out.shows("Thanks! Your answer is going to the", at)
        at = await until(stdin, out, "Digest · check-in of", at)
        stdin.close_input()
        assert await asyncio.wait_for(shell, 15) == 0
    finally:
        if not shell.done():
            stdin.close_input()
            shell.cancel()

    transcript = out.getvalue()
    thread = transcript.index("Check-in ·")
    answer = transcript.index("Shipped the onboarding checklist", transcript.index("Thanks! Your answer"))
    digest = transcript.index("Digest · check-in of")
    assert thread < answer < digest
    assert "Answered (1 of 1): You" in transcript[digest:]
    assert "Waiting for the new test account (You)" in transcript[digest:]
    assert ", thread " in transcript[answer - 200 : answer]  # the answer is in the round's thread
