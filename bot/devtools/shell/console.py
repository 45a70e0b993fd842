"""Lines in, text out: a reader thread feeds typed lines to the event loop; output keeps the prompt intact."""

from __future__ import annotations

import asyncio
import threading
from typing import IO


class Console:
    def __init__(self, stdin: IO[str], stdout: IO[str], *, interactive: bool):
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = interactive
        self.tty_out = interactive and _isatty(stdout)
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()
        self.prompt: str | None = None  # shown and waiting for a line
        self._started = False

    def start(self) -> None:
        # A daemon thread, not the loop's executor: a blocked read must not keep the process alive at exit.
        if self._started:
            return
        self._started = True
        loop = asyncio.get_running_loop()

        def pump() -> None:
            while True:
                try:
                    line = self.stdin.readline()
                except (OSError, ValueError):
                    line = ""
                if not line:
                    loop.call_soon_threadsafe(self.lines.put_nowait, None)
                    return
                loop.call_soon_threadsafe(self.lines.put_nowait, line.rstrip("\r\n"))

        threading.Thread(target=pump, name="shell-stdin", daemon=True).start()

    def write(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def notify(self, text: str) -> None:
        """Output that arrives while a prompt may be showing: clear the prompt line, print, show it again."""
        if self.tty_out and self.prompt is not None:
            self.stdout.write("\r\x1b[K" + text + "\n" + self.prompt)
            self.stdout.flush()
        else:
            self.write(text)

    async def read(self, prompt: str) -> str | None:
        """The next line; None at end of input. Without a terminal the prompt and answer are echoed, so a
        transcript shows what was typed where."""
        self.start()
        if self.interactive:
            self.stdout.write(prompt)
            self.stdout.flush()
        self.prompt = prompt
        try:
            line = await self.lines.get()
        finally:
            self.prompt = None
        if line is None:
            # Put the end back so every later reader sees it too.
            self.lines.put_nowait(None)
            if self.interactive:
                self.write()
        elif not self.interactive:
            self.write(f"{prompt}{line}".rstrip())
        return line


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
