"""What the local shell asks the stand-in for, as a Slack client would see it: the feed of what the app sent,
the people and channels, a conversation's messages, a trigger id per click, and a person's own messages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.devtools.standin import chat
from bot.devtools.standin.calls import SlackError

if TYPE_CHECKING:
    from bot.devtools.standin.server import SlackStandin


def shell_routes(standin: SlackStandin) -> list[Route]:
    ws = standin.ws

    async def feed(request: Request) -> JSONResponse:
        try:
            after = int(request.query_params.get("after", "0"))
        except ValueError:
            after = 0
        return JSONResponse(ws.feed_after(after))

    async def users(request: Request) -> JSONResponse:
        return JSONResponse({"users": [ws.user_view(u) for u in ws.users]})

    async def channels(request: Request) -> JSONResponse:
        return JSONResponse({"channels": [{"id": c["id"], "name": c["name"]} for c in ws.channels.values()]})

    async def trigger(request: Request) -> JSONResponse:
        # What Slack does when a person clicks: mint a trigger id (for a shell in another process).
        return JSONResponse({"trigger_id": standin.new_trigger_id(request.query_params.get("user_id"))})

    async def messages(request: Request) -> JSONResponse:
        """A conversation's top-level messages as they stand now (edits applied); a user id means their DM."""
        try:
            channel = ws.resolve(request.query_params.get("channel"))
        except SlackError as exc:
            return JSONResponse(exc.body, status_code=404)
        return JSONResponse({"channel": channel, "messages": ws.top_level(channel)})

    async def say(request: Request) -> JSONResponse:
        """A person's message (a reply in a thread, say), stored as Slack would; the shell then sends the event."""
        try:
            args = json.loads(await request.body() or b"{}")
            channel = ws.resolve(args["channel"])
            message = chat.store_message(
                ws, channel, user=str(args["user"]), text=str(args["text"]), thread_ts=args.get("thread_ts") or None
            )
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"ok": False, "error": "invalid_arguments"}, status_code=400)
        except SlackError as exc:
            return JSONResponse(exc.body, status_code=404)
        return JSONResponse({"ok": True, "channel": channel, "message": message})

    return [
        Route("/feed", feed, methods=["GET"]),
        Route("/users", users, methods=["GET"]),
        Route("/channels", channels, methods=["GET"]),
        Route("/trigger", trigger, methods=["POST"]),
        Route("/messages", messages, methods=["GET"]),
        Route("/say", say, methods=["POST"]),
    ]
