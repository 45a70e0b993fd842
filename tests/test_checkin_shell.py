"""The "done when" of check-ins, in `followthrough shell`: a newcomer sets up a check-in in the form, runs
`/checkin now`, answers from the direct message with `:click`, and sees the thread and the digest.

The shell starts the app in this process in local mode, scheduler included (as `followthrough serve` runs it):
the round's messages and the digest reach the stand-in through the outbox sender, not by the test's hand."""

from __future__ import annotations

import asyncio
import io
import queue

import pytest

from bot.settings import Settings
from bot.shell import run_shell
from tests.test_serve import free_port


class TypedLines(io.TextIOBase):
    """stdin that hands out lines only once the test types them."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def type(self, *lines: str) -> None:
        for line in lines:
            self.lines.put(line + "\n")

    def close_input(self) -> None:
        self.lines.put("")

    def readline(self, size: int = -1) -> str:  # noqa: ARG002
        return self.lines.get()


class Transcript(io.StringIO):
    async def shows(self, text: str, after: int = 0, seconds: float = 15.0) -> int:
        """Wait (bounded) until `text` appears after position `after`; returns where it ends."""
        for _ in range(int(seconds / 0.02)):
            found = self.getvalue().find(text, after)
            if found >= 0:
                return found + len(text)
            await asyncio.sleep(0.02)
        raise AssertionError(f"{text!r} never showed; the transcript so far:\n{self.getvalue()[after:]}")


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # local mode keeps its signing secret and SQLite file under ./data
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/data/ft.db", port=free_port())


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
