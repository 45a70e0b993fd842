"""Socket Mode, the way Slack serves it: apps.connections.open hands out a WebSocket URL, the server
greets with `hello`, pushes envelopes, and waits for the app's ack carrying the same envelope_id."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect


class SocketModeServer:
    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.connections: list[WebSocket] = []
        self.connected = asyncio.Event()
        self._pending: dict[str, asyncio.Future[dict]] = {}

    async def endpoint(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.connections.append(websocket)
        await websocket.send_text(
            json.dumps({"type": "hello", "num_connections": len(self.connections),
                        "connection_info": {"app_id": self.app_id}, "debug_info": {"host": "standin"}})
        )  # fmt: skip
        self.connected.set()
        try:
            while True:
                ack = json.loads(await websocket.receive_text())
                future = self._pending.pop(str(ack.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(ack)
        except WebSocketDisconnect:
            pass
        finally:
            self.connections.remove(websocket)
            if not self.connections:
                self.connected.clear()

    async def push(self, kind: str, payload: dict[str, Any]) -> dict:
        """Deliver one envelope (slash_commands, interactive, events_api) and return the app's ack.
        Waits for a connection and the ack; callers bound the wait with asyncio.timeout."""
        await self.connected.wait()
        envelope_id = str(uuid.uuid4())
        future: asyncio.Future[dict] = asyncio.get_running_loop().create_future()
        self._pending[envelope_id] = future
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self.connections[0].send_text(json.dumps(envelope))
        return await future
