"""Serve an ASGI app on a free local port for the length of an `async with`."""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    """Signals readiness with an event instead of a flag, so waiting for it needs no polling."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.ready.set()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening; OSError (EADDRINUSE, EACCES, ...) when it can't be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=2048)


def cannot_listen(host: str, port: int, exc: OSError, *, retry: str, setting: str) -> str:
    """One line for an operator: why the port can't be had, and how to choose another (`retry` N)."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} on {host} is already in use, perhaps by another `followthrough` process. Stop that one, "
            f"or choose another port: `{retry} {port + 1}` (or set {setting})."
        )
    if exc.errno == errno.EACCES:
        return f"Not allowed to listen on port {port}: ports below 1024 need privileges. Choose one above 1024."
    reason = exc.strerror or str(exc)
    return f"Can't listen on {host}:{port} ({reason}). Check HOST and {setting}."


def serve_asgi(app: Any, host: str = "127.0.0.1", port: int = 0, **config: Any) -> AbstractAsyncContextManager[str]:
    """Yields the base URL (no trailing slash). Extra keyword arguments go to uvicorn.Config."""
    return serve_built(lambda _port: app, host, port, **config)


@asynccontextmanager
async def serve_built(
    build: Callable[[int], Any], host: str = "127.0.0.1", port: int = 0, **config: Any
) -> AsyncIterator[str]:
    """Like serve_asgi, for an app that must know its own port (the local app's Slack client points at it):
    the socket is bound first, then `build(port)` makes the app."""
    config.setdefault("log_level", "warning")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = _Server(uvicorn.Config(build(sock.getsockname()[1]), **config))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        ready = asyncio.create_task(server.ready.wait())
        await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not server.ready.is_set():
            ready.cancel()
            try:
                await task  # surfaces the start-up error, if it raised one
            except SystemExit as e:  # uvicorn exits when the app's lifespan start-up fails
                raise RuntimeError(f"ASGI app failed to start on {host}:{port}") from e
            raise RuntimeError(f"ASGI server failed to start on {host}:{port}")
        bound = sock.getsockname()[1]
        yield f"http://[{host}]:{bound}" if family == socket.AF_INET6 else f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        if not task.done():
            await task
        sock.close()
