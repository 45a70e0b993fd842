"""The "done when" of check-ins, in `followthrough shell`: a newcomer sets up a check-in in the form, runs
`/checkin now`, answers from the direct message with `:click`, and sees the thread and the digest.

The shell starts the app in this process in local mode, scheduler included (as `followthrough serve` runs it):
the round's messages and the digest reach the stand-in through the outbox sender, not by the test's hand."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from tests.support import shell as shell_support
from tests.support.shell import Transcript, TypedLines, typing_shell


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
    async with typing_shell(local_settings) as (stdin, out):
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
            "Send the interview notes to the team",  # I will…
            ".",
            "1",  # on track
        )
        at = await out.shows("Thanks! Your answer is saved, and on its way to the check-in thread in", at)
        at = await until(stdin, out, "Digest · check-in of", at)

    transcript = out.getvalue()
    thread = transcript.index("Check-in ·")
    answer = transcript.index("Shipped the onboarding checklist", transcript.index("Thanks! Your answer is saved"))
    digest = transcript.index("Digest · check-in of")
    assert thread < answer < digest
    assert "Answered (1 of 1): You" in transcript[digest:]
    assert "Waiting for the new test account (You)" in transcript[digest:]
    assert ", thread " in transcript[answer - 200 : answer]  # the answer is in the round's thread
    assert "I've made *A-1* your action item, due" in transcript  # its "I will…" line


SET_UP_JUST_ME = (
    "/checkin",
    "2",  # who is asked: only the people I pick
    "you",  # ... just me, to try it out
    *[""] * 11,  # every week, on Monday, at 09:30 in each person's own zone, and the other defaults
)


async def test_a_team_lead_deletes_a_check_in_sets_it_up_again_and_skips_a_round_for_good(
    local_settings: Settings,
) -> None:
    """Issue 10 items 1 and 4, as typed: the re-created check-in's round really arrives (SQLite gives its rows
    the deleted one's ids), delete asks first, and a skipped round stays skipped through pause and resume."""
    async with typing_shell(local_settings) as (stdin, out):
        at = await out.shows("Started Followthrough in this process")
        stdin.type(*SET_UP_JUST_ME)
        at = await out.shows("is set up: every Monday at 09:30, each person in their own time zone", at)
        stdin.type("/checkin now")
        at = await out.shows("Started: a thread in", at)
        at = await until(stdin, out, "Time for the", at)

        stdin.type("/checkin delete")
        at = await out.shows("Delete the check-in of #general?", at)
        stdin.type(":click Delete")
        at = await out.shows("The check-in of #general is deleted. Its threads stay in the channel.", at)

        stdin.type(*SET_UP_JUST_ME)
        at = await out.shows("is set up: every Monday at 09:30", at)
        stdin.type("/checkin now")
        at = await out.shows("Started: a thread in #general and a direct message to 1 person", at)
        at = await until(stdin, out, "Check-in ·", at)  # the new round's thread really arrives ...
        at = await until(stdin, out, "Time for the", at)  # ... and its ask

        stdin.type("/checkin skip")
        at = await out.shows("is skipped. ", at)
        skipped = out.getvalue()[at - 200 : at]
        next_round = out.getvalue()[at:].split("Next round ", 1)[1].split(".", 1)[0]
        assert next_round.endswith("at 09:30 in each person's own time zone"), next_round
        stdin.type("/checkin pause")
        at = await out.shows("Paused: no new rounds until `/checkin resume`.", at)
        stdin.type("/checkin resume")
        at = await out.shows(f"Next round {next_round}.", at)

    transcript = out.getvalue()
    assert transcript.count("Time for the") == 2 and transcript.count("Check-in ·") >= 2
    assert "HTTP 500" not in transcript and "UTC" not in transcript[transcript.index("/checkin skip") :]
    assert "The round of" in skipped
