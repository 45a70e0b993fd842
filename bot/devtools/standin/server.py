"""SlackStandin: the HTTP face of the stand-in, its recorder, and the knobs tests turn."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from bot.devtools.standin import chat, directory, views
from bot.devtools.standin.calls import Call, Failure, Late, SlackError
from bot.devtools.standin.checks import check_message_content, check_required, method_table
from bot.devtools.standin.limits import RateLimits, Rule
from bot.devtools.standin.openid import OpenIdConnect
from bot.devtools.standin.shell_routes import shell_routes
from bot.devtools.standin.socket_mode import SocketModeServer
from bot.devtools.standin.workspace import Workspace

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[Workspace, dict], dict]] = {**chat.HANDLERS, **views.HANDLERS, **directory.HANDLERS}
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = 30 * 60


class SlackStandin:
    def __init__(
        self,
        team_id: str = "T0LOCAL",
        team_name: str = "Local workspace",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        clock: Callable[[], float] = time.time,
        app_id: str = "A0LOCAL",
    ) -> None:
        self.ws = Workspace(
            team_id=team_id, team_name=team_name, bot_user_id=bot_user_id, bot_id=bot_id, app_id=app_id, clock=clock
        )
        self.ws.add_user(bot_user_id, name="followthrough", real_name="Followthrough", is_bot=True)
        self.calls: list[Call] = []
        self._failures: list[Failure] = []
        self._late: list[Late] = []
        self.limits = RateLimits()
        self._oauth_codes: dict[str, dict] = {}
        self.socket_mode = SocketModeServer(app_id)
        self._oauth_tokens: dict[str, dict] = {}
        self.openid = OpenIdConnect()
        self.app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{key}", self._response_url, methods=["POST"]),
                WebSocketRoute("/socket", self.socket_mode.endpoint),
                *shell_routes(self),
            ]
        )

    # set-up and inspection ------------------------------------------------
    def add_user(self, user_id: str, name: str, **profile: Any) -> dict:
        """A person Slack knows: real_name, tz, is_admin, deleted, team_id, display_name (see Workspace.add_user)."""
        return self.ws.add_user(user_id, name=name, **profile)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: list[str] | None = None,
        is_private: bool = False,
        bot_is_member: bool = True,
    ) -> dict:
        return self.ws.add_channel(
            channel_id, name=name, members=members, is_private=is_private, bot_is_member=bot_is_member
        )

    def add_message(
        self, channel: str, user: str, text: str, thread_ts: str | None = None, blocks: list | None = None
    ) -> dict:
        """A person's message (the bot's go through the API), so replies and history have something to read."""
        return chat.store_message(
            self.ws, self.ws.resolve(channel), user=user, text=text, blocks=blocks, thread_ts=thread_ts
        )

    def fail(
        self,
        method: str,
        error: str = "ratelimited",
        status: int | None = None,
        retry_after: int = 1,
        times: int | None = 1,
        when: Callable[[dict], bool] | None = None,
    ) -> None:
        """The next `times` calls to `method` (None: all until reset) for which `when(args)` holds fail.

        status 429 answers HTTP 429 + Retry-After; 500 answers HTTP 500; 200 answers {"ok": false, "error": error}.
        Without a status, "ratelimited" means 429 and any other error 200.
        """
        if status is None:
            status = 429 if error == "ratelimited" else 200
        if status == 429:
            error = "ratelimited"
        elif status >= 500 and error == "ratelimited":
            error = "internal_error"
        self._failures.append(Failure(method, error, status, retry_after, times, when))

    def answer_late(
        self, method: str, seconds: float, times: int | None = 1, when: Callable[[dict], bool] | None = None
    ) -> None:
        """The next `times` calls to `method` (None: all until reset) for which `when(args)` holds are carried
        out at once (recorded, the message stored) but answered over HTTP only after `seconds`: set it past the
        client's timeout and the caller never learns that Slack accepted the call."""
        self._late.append(Late(method, seconds, times, when))

    def rate_limit(
        self,
        method: str,
        *,
        per_channel_per_second: float | None = None,
        burst: float = 1,
        per_workspace_per_second: float | None = None,
        workspace_burst: float | None = None,
    ) -> None:
        """Answer `method` with 429 + Retry-After past Slack-like limits (until reset()).

        Buckets are per workspace (the calling token) and method, and with `per_channel_per_second` also per
        channel; each starts full and holds `burst` (per channel) or `workspace_burst` (per workspace) calls.
        """
        rule = Rule(per_channel_per_second, burst, per_workspace_per_second, workspace_burst or burst)
        self.limits.set(method, rule)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.ok]

    def messages(self, channel: str, thread_ts: str | None = None) -> list[dict]:
        channel_id = self.ws.dm_for(channel) if channel in self.ws.users else channel
        if thread_ts is None:
            return self.ws.top_level(channel_id)
        return [m for m in self.ws.thread(channel_id, thread_ts) if m["ts"] != thread_ts]

    @property
    def views(self) -> dict[str, dict]:
        return self.ws.views

    def home(self, user_id: str) -> dict | None:
        view_id = self.ws.homes.get(user_id)
        return self.ws.views.get(view_id) if view_id else None

    def new_trigger_id(self, user_id: str | None = None) -> str:
        return self.ws.new_trigger_id(user_id)

    def new_response_key(
        self, channel: str | None = None, user_id: str | None = None, message_ts: str | None = None
    ) -> str:
        """A response_url key tied to a message, so replace_original/delete_original act on it."""
        key = f"R{self.ws.next_n():010d}"
        self.ws.response_keys[key] = {
            "channel": channel,
            "user": user_id,
            "ts": message_ts,
            "at": self.ws.clock(),
            "uses": 0,
        }
        return key

    def feed(self, after: int = 0) -> dict:
        return self.ws.feed_after(after)

    def reset(self) -> None:
        self.calls.clear()
        self._failures.clear()
        self._late.clear()
        self.limits.clear()
        self.ws.clear()

    # the Web API ------------------------------------------------------------
    def call(
        self,
        method: str,
        args: dict,
        token: str | None,
        http_method: str = "POST",
        basic: tuple[str, str] | None = None,
    ) -> tuple[int, dict, dict]:
        """Runs one Web API call, records it, and returns (status, body, headers)."""
        args = {k: v for k, v in args.items() if k != "token"}
        status, body, headers = self._dispatch(method, args, token, basic)
        self.calls.append(Call(method, args, token, http_method, status, body, self.ws.clock()))
        return status, body, headers

    def new_oauth_code(self, team_id: str, team_name: str, installer: str) -> str:
        """What Slack hands the redirect after a person approves an install in another workspace."""
        code = f"oauth-code-{self.ws.next_n()}"
        self._oauth_codes[code] = {"id": team_id, "name": team_name, "installer": installer}
        return code

    def new_openid_code(self, team_id: str, user_id: str, nonce: str | None) -> str:
        """What Slack hands Sign in with Slack's redirect after the person approves; `nonce` as the app sent it."""
        return self.openid.new_code(team_id=team_id, user_id=user_id, nonce=nonce)

    def _oauth_v2_access(self, args: dict) -> dict:
        # Authenticated by client id and secret (HTTP basic auth), not a token; a code works once.
        team = self._oauth_codes.pop(str(args.get("code", "")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team['id']}-{self.ws.next_n()}"
        self._oauth_tokens[token] = team
        return {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write,users:read,im:write",
            "bot_user_id": self.ws.bot_user_id,
            "app_id": self.ws.app_id,
            "team": {"id": team["id"], "name": team["name"]},
            "enterprise": None,
            "authed_user": {"id": team["installer"]},
            "is_enterprise_install": False,
        }

    def _connections_open(self, token: str | None, called_url: str) -> dict:
        # Needs the app-level token (xapp-), and answers with a WebSocket URL on this very server.
        body = (
            {"ok": True, "url": called_url.split("/api/")[0].replace("http", "ws", 1) + "/socket"}
            if token and token.startswith("xapp-")
            else {"ok": False, "error": "invalid_auth" if token else "not_authed"}
        )
        self.calls.append(Call("apps.connections.open", {}, token, "POST", 200, body, self.ws.clock()))
        return body

    def _dispatch(
        self, method: str, args: dict, token: str | None, basic: tuple[str, str] | None = None
    ) -> tuple[int, dict, dict]:
        if method == "openid.connect.token":  # newer than the OpenAPI description the method table comes from
            return 200, self.openid.token(args, basic), {}
        if method not in HANDLERS and method not in method_table():
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if method == "oauth.v2.access":
            return 200, self._oauth_v2_access(args), {}
        if method == "auth.test" and token in self._oauth_tokens:
            team = self._oauth_tokens[token]
            return 200, {**HANDLERS[method](self.ws, args), "team_id": team["id"], "team": team["name"]}, {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if not token.startswith(("xoxb-", "xoxp-")):
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        injected = self._injected(method, args)
        if injected is not None:
            return injected
        retry_after = self.limits.check(method, token, self._channel_key(args), self.ws.clock())
        if retry_after is not None:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        try:
            check_required(method, args)
            handler = HANDLERS.get(method)
            return 200, handler(self.ws, args) if handler else {"ok": True}, {}
        except SlackError as e:
            return 200, e.body, {}
        except Exception as e:  # a stand-in bug: answer like Slack's fatal_error, keep the trace in the log
            log.exception("slack stand-in failed on %s", method)
            return 500, {"ok": False, "error": "fatal_error", "standin_error": repr(e)}, {}

    def _channel_key(self, args: dict) -> str | None:
        if not args.get("channel"):
            return None
        try:
            return self.ws.resolve(args["channel"])  # a user id and its DM id are one conversation
        except SlackError:
            return str(args["channel"])

    def _injected(self, method: str, args: dict) -> tuple[int, dict, dict] | None:
        for failure in self._failures:
            if failure.matches(method, args):
                if failure.times is not None:
                    failure.times -= 1
                headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
                return failure.status, {"ok": False, "error": failure.error}, headers
        return None

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        args: dict[str, Any] = dict(request.query_params)
        raw = await request.body()
        bad_body = None
        if raw and "application/json" in request.headers.get("content-type", ""):
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                args.update(parsed)
            else:
                bad_body = "invalid_json" if parsed is None else "json_not_object"
        elif raw:
            args.update(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else args.get("token")
        if method == "apps.connections.open":
            return JSONResponse(self._connections_open(token, str(request.url)))
        if bad_body:
            body = {"ok": False, "error": bad_body}
            self.calls.append(Call(method, args, token, request.method, 200, body, self.ws.clock()))
            return JSONResponse(body)
        status, body, headers = self.call(method, args, token, request.method, _basic(auth))
        late = next((late for late in self._late if late.take(method, args)), None)
        if late is not None:
            await asyncio.sleep(late.seconds)
        return JSONResponse(body, status_code=status, headers=headers)

    # response_url ------------------------------------------------------------
    async def _response_url(self, request: Request) -> JSONResponse:
        key = request.path_params["key"]
        try:
            payload = json.loads(await request.body() or b"{}")
        except ValueError:
            payload = None
        args = {**payload, "key": key} if isinstance(payload, dict) else {"key": key}
        status, body, headers = self._respond(key, payload)
        self.calls.append(Call("response_url", args, None, "POST", status, body, self.ws.clock()))
        return JSONResponse(body, status_code=status, headers=headers)

    def _respond(self, key: str, payload: Any) -> tuple[int, dict, dict]:
        if not isinstance(payload, dict):
            return 400, {"ok": False, "error": "invalid_payload"}, {}
        injected = self._injected("response_url", payload)
        if injected is not None:
            return injected
        context = self.ws.response_keys.get(key)
        if context is not None:
            if self.ws.clock() - context["at"] > RESPONSE_URL_LIFETIME:
                return 404, {"ok": False, "error": "expired_url"}, {}
            if context["uses"] >= RESPONSE_URL_USES:
                return 404, {"ok": False, "error": "used_url"}, {}
        try:
            if not payload.get("delete_original"):
                check_message_content(payload)
        except SlackError as e:
            return 400, e.body, {}
        if context is not None:
            context["uses"] += 1
            self._act_on_original(context, payload)
        where = {k: context[k] for k in ("channel", "user", "ts")} if context else {}
        self.ws.emit("response", key=key, payload=payload, **where)
        return 200, {"ok": True}, {}

    def _act_on_original(self, context: dict, payload: dict) -> None:
        channel, ts = context["channel"], context["ts"]
        if not (channel and ts):
            return
        try:
            message = self.ws.find_message(self.ws.resolve(channel), ts)
        except SlackError:
            return
        channel_id = self.ws.resolve(channel)
        if payload.get("delete_original"):
            self.ws.messages[channel_id].remove(message)
        elif payload.get("replace_original"):
            message["text"] = payload.get("text", "")
            if "blocks" in payload:
                message["blocks"] = payload["blocks"]


def _basic(header: str) -> tuple[str, str] | None:
    """HTTP basic auth's (user, password): how OAuth methods send the client id and secret."""
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password
