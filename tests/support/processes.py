"""Real processes and ports for tests that run `followthrough` the way an operator does."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT", "HOST"))}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


@asynccontextmanager
async def running(
    args: list[str], cwd: Path, env: dict[str, str], port: int, log: Path | None = None
) -> AsyncIterator[str]:
    """The app as a process, ready; with `log`, everything it prints goes to that file."""
    out = log.open("wb") if log else None
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        cwd=cwd,
        env=env,
        stdout=out or asyncio.subprocess.DEVNULL,
        stderr=out or asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(300):  # up to 30 s on a slow machine; returns as soon as it is ready
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None:
                    printed = await asyncio.to_thread(log.read_text) if log else (await process.stderr.read()).decode()
                    raise AssertionError(printed)
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the app did not become ready")
        yield base
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)
        if out:
            out.close()
