"""The "done when" of decisions, in `followthrough shell`: a newcomer asks for a decision due in a few minutes,
sees the nudge, lets the deadline pass and watches the escalation reach level two, acknowledges, decides with a
rationale and finds it in `/decision log`.

The app runs in local mode in this process, as the shell starts it. Its scheduler is switched off and run by
the test instead, on a movable clock the app's requests share, so four hours pass in no time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.asgi_server import serve_built
from bot.clock import MovableClock
from bot.settings import STANDIN_MOUNT, Settings
from scheduler import decisions as jobs
from tests.support import shell as shell_support
from tests.support.shell import local_shell, typing_shell


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_newcomer_asks_sees_the_nudge_and_the_escalation_acknowledges_decides_and_finds_it(
    local_settings: Settings,
) -> None:

    clock = MovableClock(datetime.now(UTC).replace(second=0, microsecond=0))
    deadline = clock.now() + timedelta(minutes=5)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job

        async def scheduler_runs() -> None:
            await jobs.walk_due(job)
            await run.deliver()

        stdin.type(
            "/decision",
            "Which vendor do we sign the support contract with?",  # question
            "Both pass security review; prices differ by 12%.",  # context, then a lone dot ends it
            ".",
            "",  # link
            "Acme Support",  # options
            "Globex Care",
            ".",
            "you",  # the decider
            f"{deadline:%Y-%m-%d %H:%M}",  # in five minutes (the newcomer's zone is UTC)
            "",  # responsible
            "alex",  # consulted
            "",  # informed
            "",  # the escalation path: the default, Standard
            "",  # outcome
        )
        at = await out.shows("is asked")

        clock.set(deadline)
        await scheduler_runs()
        stdin.type(":wait 0.3")
        # The nudge (a DM) and the note in the card's thread go out together, in either order.
        due = await out.shows("is due now and waits on you", at)
        at = max(due, await out.shows("escalated to level 1", at))

        clock.set(deadline + timedelta(hours=4))
        await scheduler_runs()
        stdin.type(":wait 0.3")
        at = await out.shows("escalated to level 2", at)

        stdin.type(":click Acknowledge")
        at = await out.shows("Acknowledged. The escalation of D-1 is paused", at)

        stdin.type(":click Decide", "1", "Acme commits to our SLA; Globex would not.", ".")
        at = await out.shows("D-1 decided", at)

        stdin.type("/decision log vendor")
        at = await out.shows("Decision log", at)
        await out.shows("Acme commits to our SLA", at)

    transcript = out.getvalue()
    assert "Using the Followthrough app already running" in transcript
    assert transcript.index("is due now") < transcript.index("escalated to level 2") < transcript.index("D-1 decided")


async def test_a_newcomer_offering_the_bot_and_a_person_twice_is_told_on_each_field(local_settings: Settings) -> None:
    """Issue 10 items 5 and 8: the app itself as decider and Alex both consulted and informed are refused on
    their fields, saying why; fixed there, the decision is asked and no message goes to the bot."""
    from bot.web import create_app

    deadline = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)
    async with serve_built(
        lambda port: create_app(local_settings, api_base_url=f"http://127.0.0.1:{port}{STANDIN_MOUNT}/api/"),
        lifespan="on",
    ) as base:
        async with typing_shell(local_settings, url=base) as (stdin, out):
            stdin.type(
                "/decision",
                "Which vendor do we sign the support contract with?",  # question
                "",  # context
                "",  # link
                "",  # options: decided in free text
                "followthrough",  # the decider: the app itself
                f"{deadline:%Y-%m-%d %H:%M}",
                "",  # responsible
                "alex",  # consulted
                "alex",  # informed, a second time
                "",  # the escalation path: the default
                "",  # outcome
            )
            at = await out.shows("Followthrough is an app, not a person: choose someone from your team.")
            stdin.type("priya")  # the decider again
            at = await out.shows("Alex Meyer is Consulted already", at)
            stdin.type(":clear")  # the informed emptied
            await out.shows("is asked", at)

    transcript = out.getvalue()
    assert "<@U0PRIYA> decides by" in transcript or "@priya decides by" in transcript
