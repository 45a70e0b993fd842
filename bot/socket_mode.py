"""Socket Mode: the same Bolt app and the same per-request session, over Slack's WebSocket."""

from __future__ import annotations

from time import time

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.context import dispatch


class SessionSocketModeHandler(AsyncSocketModeHandler):
    def __init__(self, app: AsyncApp, app_token: str, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(app, app_token)
        self.sessions = sessions

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time()
        request = AsyncBoltRequest(mode="socket_mode", body=req.payload, headers=build_headers(req))
        await send_async_response(client, req, await dispatch(self.app, self.sessions, request), start)
