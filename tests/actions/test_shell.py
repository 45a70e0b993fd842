"""The "done when" of action items, in `followthrough shell`: capture one on one line, one in the form and one
from a message (`:say`, then `:shortcut`); the due-day message and its Done button; the list and the Home tab.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share, so the next morning comes at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.asgi_server import serve_built
from bot.clock import MovableClock
from bot.devtools.shell import run_shell
from bot.settings import LOCAL_BOT_TOKEN, STANDIN_MOUNT, Settings
from bot.slack_clients import SlackClients
from handlers.kit.clock import use_clock
from scheduler import actions as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support import shell as shell_support
from tests.support.shell import Transcript, TypedLines

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone is UTC
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_newcomer_captures_three_ways_gets_the_due_day_message_presses_done_and_sees_the_lists(
    local_settings: Settings,
) -> None:
    from bot.web import create_app

    clock = MovableClock(MONDAY)
    apps = []

    def build(port: int):
        app = create_app(local_settings, api_base_url=f"http://127.0.0.1:{port}{STANDIN_MOUNT}/api/")
        use_clock(app.state.bolt, clock)
        apps.append(app)
        return app

    stdin, out = TypedLines(), Transcript()
    async with serve_built(build, lifespan="on") as base:
        app = apps[0]
        clients = SlackClients(base_url=f"{base}{STANDIN_MOUNT}/api/", token=LOCAL_BOT_TOKEN)
        job = JobContext(sessions=app.state.database.sessions, clock=clock, clients=clients)
        sender = Sender(sessions=app.state.database.sessions, clients=clients, clock=clock)

        async def scheduler_runs() -> None:
            await jobs.nudge_due(job)
            while (await sender.run_once()).claimed:
                pass

        shell = asyncio.create_task(run_shell(local_settings, url=base, stdin=stdin, stdout=out))
        try:
            stdin.type("/action @alex send the pricing deck to Globex by friday")
            at = await out.shows("*A-1* send the pricing deck to Globex")
            at = await out.shows("I've let @alex know.", at)

            stdin.type("/action", "Book the venue for the offsite", "", "", "")  # what; Enter keeps you, the date
            at = await out.shows("A-2 created", at)

            stdin.type(":say Can someone draft the launch email?")
            at = await out.shows("you:\n  Can someone draft the launch email?", at)
            stdin.type(":shortcut", "", "", "", "")  # the message's text, its author (you), the date, no outcome
            at = await out.shows("A-3 created", at)
            await scheduler_runs()
            stdin.type(":wait 0.3")
            at = await out.shows("made this *A-3* (owner @you", at)

            clock.set(TUESDAY_MORNING)
            await scheduler_runs()
            stdin.type(":wait 0.3")
            at = await out.shows("Due today", at)
            at = await out.shows("*A-2* Book the venue for the offsite · due 1 Dec (today)", at)
            stdin.type(":click Done")
            at = await out.shows("*A-2* is done", at)

            stdin.type("/action list")
            at = await out.shows("*Your open action items* (1)", at)
            stdin.type(":home")
            at = await out.shows("My action items", at)
            await out.shows("*A-3* Can someone draft the launch email?", at)
            stdin.close_input()
            assert await asyncio.wait_for(shell, 15) == 0
        finally:
            if not shell.done():
                stdin.close_input()
                shell.cancel()
            await clients.close()

    transcript = out.getvalue()
    assert transcript.index("A-2 created") < transcript.index("A-3 created") < transcript.index("*A-2* is done")
