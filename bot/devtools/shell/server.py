"""Find the app at a URL, or start it in this process on a free port for the shell's lifetime."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from bot.asgi_server import serve_built
from bot.settings import STANDIN_MOUNT, Settings


async def is_up(url: str) -> bool:
    try:
        async with httpx.AsyncClient(base_url=url, timeout=1.0) as client:
            return (await client.get("/healthz")).status_code < 500
    except httpx.HTTPError:
        return False


@contextlib.asynccontextmanager
async def app_server(settings: Settings, url: str) -> AsyncIterator[tuple[str, bool]]:
    """Yields (base URL, started here?)."""
    if await is_up(url):
        yield url, False
        return

    def build(port: int) -> Any:
        from bot.web import create_app  # imported late: attaching to a running app does not need it

        return create_app(settings, api_base_url=f"http://127.0.0.1:{port}{STANDIN_MOUNT}/api/")

    async with serve_built(build, lifespan="on") as base:
        yield base, True
