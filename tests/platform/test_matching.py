"""Listeners matched and called the lean way (bot.matching) behave as Bolt's own: the first listener that matches
runs, patterns and custom matchers still decide, and each listener gets what it asks for, as Bolt would give it."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.listener.async_listener import AsyncCustomListener

from bot.devtools.slack_payloads import form_body
from bot.edge import SlackRequest, parse_body
from bot.matching import LeanListener, match_by_body

FORM = "application/x-www-form-urlencoded"


async def _authorize(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=None, team_id="T1", bot_user_id="UBOT", bot_id="BBOT", bot_token="xoxb-1")


def _app(calls: list[tuple[str, Any]]) -> AsyncApp:
    app = AsyncApp(signing_secret="s", authorize=_authorize, request_verification_enabled=False,
                   process_before_response=True)  # fmt: skip

    @app.use
    async def provide_flavour(context, next) -> None:
        context["flavour"] = "lemon"
        await next()

    @app.command("/first")
    async def first(ack, command, flavour, respond, context) -> None:
        calls.append(("first", (command["text"], flavour, callable(respond), context["team_id"])))
        await ack("first")

    @app.command("/first")
    async def shadowed(ack) -> None:  # Bolt runs the first match only
        calls.append(("shadowed", None))
        await ack("shadowed")

    @app.command(re.compile(r"^/pat"))
    async def pattern(ack, body) -> None:
        calls.append(("pattern", body["command"]))
        await ack("pattern")

    async def says_go(body: dict) -> bool:
        return body.get("text", "").startswith("go")

    @app.command("/custom", matchers=[says_go])
    async def custom(ack) -> None:
        calls.append(("custom", None))
        await ack("custom")

    @app.command("/unknown")
    async def unknown(ack, no_such_thing) -> None:  # Bolt warns and passes None
        calls.append(("unknown", no_such_thing))
        await ack("unknown")

    @app.command("/payload")
    async def payload_asker(ack, payload) -> None:  # Bolt makes `payload` itself: this one stays Bolt's
        calls.append(("payload", payload["command"]))
        await ack("payload")

    match_by_body(app)
    return app


async def _command(app: AsyncApp, command: str, text: str = "") -> str:
    fields = {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "command": command, "text": text,
              "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.2.3"}  # fmt: skip
    raw = form_body(fields).decode()
    request = SlackRequest(raw=raw, body=parse_body(raw, FORM), query={}, headers={"content-type": FORM})
    response = await app.async_dispatch(request)
    return response.body if response.status == 200 else str(response.status)


async def test_the_first_listener_that_matches_runs_with_what_it_asked_for() -> None:
    calls: list[tuple[str, Any]] = []
    app = _app(calls)

    answers = [
        await _command(app, "/first", "hello"),
        await _command(app, "/pattern-match"),
        await _command(app, "/custom", "stop"),
        await _command(app, "/custom", "go now"),
        await _command(app, "/unknown"),
        await _command(app, "/payload"),
    ]

    assert [json.loads(a)["text"] if a.startswith("{") else a for a in answers] == [
        "first", "pattern", "404", "custom", "unknown", "payload"
    ]  # fmt: skip
    assert calls == [
        ("first", ("hello", "lemon", True, "T1")),
        ("pattern", "/pattern-match"),
        ("custom", None),
        ("unknown", None),
        ("payload", "/payload"),
    ]


def test_listeners_that_ask_for_what_bolt_makes_itself_stay_bolts() -> None:
    app = _app([])
    kinds = {listener.ack_function.__name__: type(listener) for listener in app._async_listeners}
    assert kinds["payload_asker"] is AsyncCustomListener
    assert {kinds[name] for name in ("first", "shadowed", "pattern", "custom", "unknown")} == {LeanListener}
