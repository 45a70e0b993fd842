"""Listener matching and custom middleware without Bolt's per-call argument building.

Bolt tries listeners in registration order, and for each built-in matcher (command name, action id, view callback
id...) it builds every argument a listener could ask for, parsing the body eight ways, although the matcher reads
only the body. With about ninety listeners, /progress waits behind eighteen of them: that argument building was a
tenth of its CPU. The same matcher functions are called here with the body alone; custom matchers are left as
Bolt runs them. Our own middleware (seven of them run on every request) went through the same argument building
once each, though every one asks only for the context, the body, the request, the client or `next`: they are
called here with just those.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import AsyncListenerMatcher
from slack_bolt.middleware.async_custom_middleware import AsyncCustomMiddleware
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


class BodyMatcher(AsyncListenerMatcher):
    """One of Bolt's built-in matchers, given the body directly."""

    def __init__(self, builtin: AsyncBuiltinListenerMatcher) -> None:
        self.func: Any = builtin.func

    async def async_matches(self, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        return await self.func(body=req.body)


def match_by_body(app: AsyncApp) -> None:
    """Swaps the built-in matchers of every listener registered so far (Bolt offers no public way to reach them)."""
    for listener in app._async_listeners:
        listener.matchers = [
            BodyMatcher(m) if type(m) is AsyncBuiltinListenerMatcher and m.arg_names == ["body"] else m
            for m in listener.matchers
        ]
    lean_middleware(app)


Next = Callable[[], Awaitable[BoltResponse]]
# What a lean middleware may ask for, each as Bolt would pass it (slack_bolt.kwargs_injection.async_utils).
_CHEAP: dict[str, Callable[[AsyncBoltRequest, BoltResponse, Next], Any]] = {
    "context": lambda req, resp, next_: req.context,
    "body": lambda req, resp, next_: req.body,
    "request": lambda req, resp, next_: req,
    "req": lambda req, resp, next_: req,
    "response": lambda req, resp, next_: resp,
    "resp": lambda req, resp, next_: resp,
    "client": lambda req, resp, next_: req.context.client,
    "next": lambda req, resp, next_: next_,
    "next_": lambda req, resp, next_: next_,
}


class LeanMiddleware(AsyncMiddleware):
    """A custom middleware function that asks only for what `_CHEAP` holds, given exactly that."""

    def __init__(self, custom: AsyncCustomMiddleware) -> None:
        self.func = custom.func
        self.args = [(name, _CHEAP[name]) for name in custom.arg_names]

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next) -> BoltResponse | None:
        return await self.func(**{name: get(req, resp, next) for name, get in self.args})

    @property
    def name(self) -> str:
        return f"LeanMiddleware(func={getattr(self.func, '__qualname__', self.func)})"


def lean_middleware(app: AsyncApp) -> None:
    """Swaps every custom middleware registered so far whose arguments are all cheap ones; others stay Bolt's."""
    app._async_middleware_list[:] = [
        LeanMiddleware(m) if type(m) is AsyncCustomMiddleware and set(m.arg_names) <= _CHEAP.keys() else m
        for m in app._async_middleware_list
    ]
