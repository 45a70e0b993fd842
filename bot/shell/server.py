"""Find the app at a URL, or start it in this process on a free port for the shell's lifetime."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn

from bot.settings import STANDIN_MOUNT, Settings


async def is_up(url: str) -> bool:
    try:
        async with httpx.AsyncClient(base_url=url, timeout=1.0) as client:
            return (await client.get("/healthz")).status_code < 500
    except httpx.HTTPError:
        return False


@contextlib.asynccontextmanager
async def serve_in_process(app_factory: Any, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve `app_factory(port)` with uvicorn on a port chosen by the OS; yields the base URL.

    The socket is bound before the app is built because the app's Slack client must point at its own port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app_factory(port), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # surfaces the start-up error
                raise RuntimeError("the app stopped while starting")
            await asyncio.sleep(0.02)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout=10)
        sock.close()


@contextlib.asynccontextmanager
async def app_server(settings: Settings, url: str) -> AsyncIterator[tuple[str, bool]]:
    """Yields (base URL, started here?)."""
    if await is_up(url):
        yield url, False
        return

    def build(port: int) -> Any:
        from bot.web import create_app  # imported late: attaching to a running app does not need it

        return create_app(settings, api_base_url=f"http://127.0.0.1:{port}{STANDIN_MOUNT}/api/")

    async with serve_in_process(build) as base:
        yield base, True
