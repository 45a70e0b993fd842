"""Driving `followthrough shell` from a test: typed lines on stdin, a transcript to wait on, local settings, and the
app in local mode with the shell attached (`local_shell`)."""

from __future__ import annotations

import asyncio
import io
import queue
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.asgi_server import serve_built
from bot.clock import MovableClock
from bot.devtools.shell import run_shell
from bot.settings import LOCAL_BOT_TOKEN, STANDIN_MOUNT, Settings
from bot.slack_clients import SlackClients
from handlers.kit.clock import use_clock
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.processes import free_port


class TypedLines(io.TextIOBase):
    """stdin that hands out lines only once the test types them."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def type(self, *lines: str) -> None:
        for line in lines:
            self.lines.put(line + "\n")

    def close_input(self) -> None:
        self.lines.put("")

    def readline(self, size: int = -1) -> str:
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


def local_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **overrides: object) -> Settings:
    """Local mode in a scratch folder: it keeps its signing secret and SQLite file under ./data."""
    monkeypatch.chdir(tmp_path)
    return Settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/data/ft.db", port=free_port(), **overrides
    )


@dataclass
class LocalRun:
    """The app in local mode in this process, the shell attached to it, and the scheduler's parts the test runs."""

    base: str
    app: Any
    job: JobContext
    sender: Sender
    stdin: TypedLines
    out: Transcript

    async def deliver(self) -> None:
        """Send every message due now, as the scheduler's sender would."""
        while (await self.sender.run_once()).claimed:
            pass


@asynccontextmanager
async def typing_shell(settings: Settings, **kwargs: Any) -> AsyncIterator[tuple[TypedLines, Transcript]]:
    """`followthrough shell` running beside the test, typed to line by line. Leaving the block ends its input, and
    it must then exit with 0 within 15 s; a test that fails inside the block stops it."""
    stdin, out = TypedLines(), Transcript()
    shell = asyncio.create_task(run_shell(settings, stdin=stdin, stdout=out, **kwargs))
    try:
        yield stdin, out
        stdin.close_input()
        assert await asyncio.wait_for(shell, 15) == 0
    finally:
        if not shell.done():
            stdin.close_input()
            shell.cancel()


@asynccontextmanager
async def local_shell(settings: Settings, clock: MovableClock, **serve: Any) -> AsyncIterator[LocalRun]:
    """`followthrough serve` in local mode on `clock` (its scheduler off: the test runs the jobs it means), with
    `followthrough shell` reading what the test types; on leaving, the shell is closed and must exit cleanly."""
    from bot.web import create_app

    apps = []

    def build(port: int):
        app = create_app(settings, api_base_url=f"http://127.0.0.1:{port}{STANDIN_MOUNT}/api/")
        use_clock(app.state.bolt, clock)
        apps.append(app)
        return app

    async with serve_built(build, lifespan="on", **serve) as base:
        app = apps[0]
        clients = SlackClients(base_url=f"{base}{STANDIN_MOUNT}/api/", token=LOCAL_BOT_TOKEN)
        job = JobContext(sessions=app.state.database.sessions, clock=clock, clients=clients)
        sender = Sender(sessions=app.state.database.sessions, clients=clients, clock=clock)
        try:
            async with typing_shell(settings, url=base) as (stdin, out):
                yield LocalRun(base, app, job, sender, stdin, out)
        finally:
            await clients.close()
