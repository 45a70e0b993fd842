"""The shell as a team tries it: acting as someone by name, switching people, replying in a thread, scripts that
need no `:wait` for the app's immediate replies, and two shells acting as one person at once."""

from __future__ import annotations

import asyncio
import io
import re

import httpx
import pytest

from bot.devtools.shell import run_shell
from bot.settings import STANDIN_MOUNT, Settings
from tests.support import shell as shell_support
from tests.support.processes import ROOT
from tests.support.shell import typing_shell

# The check-in form, answered: only the people picked (that person), every default kept.
CHECKIN_FOR = ["/checkin", "2", "{who}", "", "", "", "", "", "", "", "", "", ""]
ANSWER_FORM = ["Shipped the onboarding checklist", ".", "Interview two customers", ".", "", "", "1"]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch)


def checkin_for(who: str) -> list[str]:
    return [line.format(who=who) for line in CHECKIN_FOR]


async def run_script(settings: Settings, lines: list[str], **kw: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_shell(settings, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, **kw)
    return code, out.getvalue()


async def test_shell_as_a_name_acts_as_that_person(local_settings: Settings) -> None:
    code, transcript = await run_script(local_settings, [":home"], user="priya", channel="general")

    assert code == 0
    assert "You are @priya in #general." in transcript
    assert "priya@#general> :home" in transcript
    assert "Hello Priya Raman!" in transcript


async def test_shell_as_someone_unknown_says_who_is_there_and_stops(local_settings: Settings) -> None:
    code, transcript = await run_script(local_settings, [":home"], user="nobody")

    assert code == 2
    assert "No such person: nobody. People here: you, alex, priya" in transcript
    assert ":home" not in transcript  # nothing ran as a made-up person


async def test_the_prompt_is_the_one_the_readme_shows(local_settings: Settings) -> None:
    readme = (ROOT / "README.md").read_text()
    _, transcript = await run_script(local_settings, ["/followthrough help"])

    assert "you@#general> /followthrough help" in readme
    assert "you@#general> /followthrough help" in transcript


async def test_a_script_presses_answer_straight_after_checkin_now(local_settings: Settings) -> None:
    lines = [*checkin_for("you"), "/checkin now", ":click Answer", *ANSWER_FORM, ":as alex"]
    code, transcript = await run_script(local_settings, lines)

    assert code == 0
    assert "Nothing to press yet." not in transcript
    assert "Thanks! Your answer is saved, and on its way to the check-in thread in #general." in transcript
    # The app's replies to the answer (the thread post and the digest) showed before the script went on.
    digest = transcript.index("Digest · check-in of")
    assert "Answered (1 of 1): You" in transcript[digest:]
    assert digest < transcript.index("you@#general> :as alex")


async def test_as_shows_the_persons_earlier_direct_messages_so_they_can_answer(local_settings: Settings) -> None:
    lines = [*checkin_for("alex"), "/checkin now", ":as alex", ":click Answer", *ANSWER_FORM]
    code, transcript = await run_script(local_settings, lines)

    assert code == 0
    switched = transcript.index("You are now @alex")
    shown = transcript.index("Direct messages to @alex so far:", switched)
    assert "Time for the #general check-in" in transcript[shown:]
    assert "Thanks! Your answer is saved, and on its way to the check-in thread in #general." in transcript[shown:]
    assert "Answered (1 of 1): Alex Meyer" in transcript[shown:]


async def dm_arrives(base: str, user: str) -> None:
    """Until the stand-in holds a direct message to `user` (the outbox sends it a moment after the command)."""
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(150):
            found = await client.get(f"{STANDIN_MOUNT}/messages", params={"channel": user})
            if found.json().get("messages"):
                return
            await asyncio.sleep(0.1)
    raise AssertionError(f"no direct message to {user}")


async def test_starting_as_someone_shows_their_earlier_direct_messages(local_settings: Settings) -> None:
    async with typing_shell(local_settings) as (stdin, out):
        await out.shows("You are @you in #general.")
        base = re.search(r"Started Followthrough in this process at (\S+) ", out.getvalue()).group(1)
        stdin.type(*checkin_for("alex"), "/checkin now")
        await out.shows("a direct message to 1 person")
        await dm_arrives(base, "U0ALEX")
        code, transcript = await run_script(local_settings, [":click Answer", *ANSWER_FORM], url=base, user="alex")

    assert code == 0 and "Nothing to press yet" not in transcript
    shown = transcript.index("Direct messages to @alex so far:", transcript.index("You are @alex in #general."))
    assert "Time for the #general check-in" in transcript[shown:]
    assert "Thanks! Your answer is saved" in transcript[shown:]


async def test_a_plain_reply_in_the_thread_is_an_answer(local_settings: Settings) -> None:
    lines = [":reply too early", *checkin_for("you"), "/checkin now", ":reply Shipped the checklist & the docs"]
    code, transcript = await run_script(local_settings, lines)

    assert code == 0
    assert "No thread to reply in yet" in transcript
    replied = transcript.index("you@#general> :reply Shipped the checklist")
    thread = re.search(r"\[#general, thread ([0-9.]+)\] you:\n  Shipped the checklist & the docs", transcript)
    assert thread is not None and thread.start() > replied  # in the round's thread, as typed
    digest = transcript.index("Digest · check-in of", replied)
    assert "Answered (1 of 1): You" in transcript[digest:]


async def test_a_modal_opened_by_one_shell_stays_out_of_another_acting_as_the_same_person(
    local_settings: Settings,
) -> None:
    async with typing_shell(local_settings) as (stdin, out):
        await out.shows("You are @you in #general.")
        base = re.search(r"Started Followthrough in this process at (\S+) ", out.getvalue()).group(1)
        code, other = await run_script(local_settings, ["/outcome", ":cancel"], url=base)
        assert code == 0 and "+-- New outcome" in other and "(modal closed)" in other

        stdin.type(":wait 1", ":home")
        at = await out.shows("Hello You!")

    transcript = out.getvalue()
    assert "New outcome" not in transcript and "Title:" not in transcript
    assert at > transcript.index("you@#general> :home")  # ":home" ran as a command, not as a field's answer
