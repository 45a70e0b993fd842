"""Driving `followthrough shell` from a test: typed lines on stdin, a transcript to wait on, local settings."""

from __future__ import annotations

import asyncio
import io
import queue
from pathlib import Path

import pytest

from bot.settings import Settings
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
