"""The floor bench/progress.py compares against: a Bolt app on FastAPI whose `/progress` listener only acks.

    SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... SLACK_API_URL=http://.../api python -m bench.bare_app --port P

Built and served the way `followthrough serve` is (same Bolt options, logging at INFO, uvicorn's defaults, the
same event loop: uvloop where installed), so the two differ only in what happens between the signature check and
the ack.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.cli import run_fast


def bolt_app() -> AsyncApp:
    """Bolt with `followthrough serve`'s options, its client pointed at the stand-in (bench/raw_app.py's too)."""
    return AsyncApp(
        client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"] + "/"),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
    )


def web_app(bolt: AsyncApp) -> FastAPI:
    handler = AsyncSlackRequestHandler(bolt)
    app = FastAPI(docs_url=None, redoc_url=None)

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    @app.get("/readyz")
    async def readyz() -> dict[str, bool]:
        return {"ready": True}

    return app


def create_app() -> FastAPI:
    bolt = bolt_app()

    @bolt.command("/progress")
    async def progress(ack: AsyncAck) -> None:
        await ack()

    return web_app(bolt)


async def serve_app(app: FastAPI, host: str, port: int) -> int:
    # As bot/cli.py does for `followthrough serve`.
    await uvicorn.Server(uvicorn.Config(app, host=host, port=port)).serve()
    return 0


def run(serve: Callable[[str, int], Coroutine[Any, Any, int]]) -> None:
    """Parses --host and --port, then serves on the same event loop as `followthrough serve` (uvloop)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_fast(serve(args.host, args.port))


def main() -> None:
    run(lambda host, port: serve_app(create_app(), host, port))


if __name__ == "__main__":
    main()
