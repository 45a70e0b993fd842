"""The README's walk-through of insights, in `followthrough shell`: one added on one line, one from a message
(`:say`, then `:shortcut insight`), the outcome's card showing them beside the numbers, and the weekly health post
in the channel the next Monday at 09:00.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share."""

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
from scheduler import health_weekly as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support import shell as shell_support
from tests.support.shell import Transcript, TypedLines

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone, and the workspace's, is UTC
NEXT_MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
OUTCOME_FORM = ["/outcome", "Lift activation", "Half of new teams reach their first check-in in week one.", ".",
                "you", "2027-03-31", "", "Activation rate", "%", "20", "40", "Demos booked: 2 -> 10", "."]  # fmt: skip


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_words_added_on_one_line_and_from_a_message_show_on_the_card_and_in_the_weekly_post(
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
        clients = SlackClients(base_url=f"{base}{STANDIN_MOUNT}/api/", token=LOCAL_BOT_TOKEN)
        job = JobContext(sessions=apps[0].state.database.sessions, clock=clock, clients=clients)
        sender = Sender(sessions=apps[0].state.database.sessions, clients=clients, clock=clock)
        shell = asyncio.create_task(run_shell(local_settings, url=base, stdin=stdin, stdout=out))
        try:
            stdin.type(*OUTCOME_FORM)
            at = await out.shows("O-1")
            stdin.type('/insight O-1 "We would pay for the export today" — Dana, Acme call')
            at = await out.shows("“We would pay for the export today” — Dana, Acme call", at)

            stdin.type(":as alex", ":say Honestly, CSV export would save me an hour a day", ":as you")
            stdin.type(":shortcut insight", "O-1", "1", "", "")  # search, pick O-1; keep the words and the author
            at = await out.shows("Insight added", at)
            at = await out.shows("“Honestly, CSV export would save me an hour a day” — Alex Meyer (from", at)

            stdin.type("/outcome O-1")
            at = await out.shows("What customers say", at)
            at = await out.shows("“We would pay for the export today” — Dana, Acme call", at)

            clock.set(NEXT_MONDAY)
            assert await jobs.post_due(job) == 1
            while (await sender.run_once()).claimed:
                pass
            stdin.type(":wait 0.3")
            at = await out.shows("Execution health this week", at)
            at = await out.shows("• No new findings.\n  • No findings resolved.", at)
            await out.shows("*O-1* “Honestly, CSV export would save me an hour a day” — Alex Meyer", at)
            stdin.close_input()
            assert await asyncio.wait_for(shell, 15) == 0
        finally:
            if not shell.done():
                stdin.close_input()
                shell.cancel()
            await clients.close()
