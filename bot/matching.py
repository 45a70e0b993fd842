"""Listener matching and custom middleware without Bolt's per-call argument building.

Bolt tries listeners in registration order, and for each built-in matcher (command name, action id, view callback
id...) it builds every argument a listener could ask for, parsing the body eight ways, although the matcher reads
only the body. With about ninety listeners, /progress waits behind eighteen of them: that argument building was a
tenth of its CPU. The same matcher functions are called here with the body alone; custom matchers are left as
Bolt runs them. Our own middleware (seven of them run on every request) went through the same argument building
once each, though every one asks only for the context, the body, the request, the client or `next`: they are
called here with just those. Listeners too: Bolt built some thirty arguments for each (the payload read eight ways,
a respond and a say made) to pass the four or five it asks for.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.listener.async_listener import AsyncCustomListener
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import AsyncListenerMatcher
from slack_bolt.middleware.async_custom_middleware import AsyncCustomMiddleware
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request import payload_utils
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


class BodyMatcher(AsyncListenerMatcher):
    """One of Bolt's built-in matchers, given the body directly."""

    def __init__(self, builtin: AsyncBuiltinListenerMatcher) -> None:
        self.func: Any = builtin.func
        self.check = _predicate_of(builtin.func)

    async def async_matches(self, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        return self.check(req.body) if self.check is not None else await self.func(body=req.body)


def _predicate_of(async_fun: Any) -> Callable[[dict], bool] | None:
    """The plain predicate under Bolt's `async def async_fun(body): return func(body)` wrapper (every built-in
    matcher is one), so that a listener that does not match costs a call, not two coroutines; None if the shape is
    not that one."""
    code, cells = getattr(async_fun, "__code__", None), getattr(async_fun, "__closure__", None)
    if code is None or code.co_freevars != ("func",) or not cells:
        return None
    inner = cells[0].cell_contents
    return None if inspect.iscoroutinefunction(inner) or not callable(inner) else inner


def match_by_body(app: AsyncApp) -> None:
    """Swaps the built-in matchers of every listener registered so far (Bolt offers no public way to reach them)."""
    for listener in app._async_listeners:
        listener.matchers = [
            BodyMatcher(m) if type(m) is AsyncBuiltinListenerMatcher and m.arg_names == ["body"] else m
            for m in listener.matchers
        ]
    lean_middleware(app)
    lean_listeners(app)


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


# What a listener may ask for, each as Bolt's build_async_required_kwargs makes it; any other name is read from the
# context (db, workspace, person, now...), as Bolt does.
_PAYLOADS = ("options", "shortcut", "action", "view", "command", "event", "message", "step")
_LISTENER_ARGS: dict[str, Callable[[AsyncBoltRequest, BoltResponse], Any]] = {
    "client": lambda req, resp: req.context.client,
    "req": lambda req, resp: req,
    "request": lambda req, resp: req,
    "resp": lambda req, resp: resp,
    "response": lambda req, resp: resp,
    "context": lambda req, resp: req.context,
    "body": lambda req, resp: req.body,
    **{name: (lambda to: lambda req, resp: to(req.body))(getattr(payload_utils, f"to_{name}")) for name in _PAYLOADS},
    **{name: (lambda n: lambda req, resp: getattr(req.context, n))(name)
       for name in ("ack", "say", "respond", "complete", "fail")},
}  # fmt: skip


class LeanListener(AsyncCustomListener):
    """A listener given just the arguments it asks for; Bolt's way when one of them is not at hand."""

    args: list[tuple[str, Callable[[AsyncBoltRequest, BoltResponse], Any] | None]]
    checks: list[tuple[Callable[[dict], bool] | None, AsyncListenerMatcher]]

    @classmethod
    def of(cls, listener: AsyncCustomListener) -> LeanListener:
        lean = cls.__new__(cls)
        lean.__dict__.update(listener.__dict__)
        lean.args = [(name, _LISTENER_ARGS.get(name)) for name in listener.arg_names]
        lean.checks = [(m.check if isinstance(m, BodyMatcher) else None, m) for m in listener.matchers]
        return lean

    async def async_matches(self, *, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        """As Bolt's: every matcher in order, the first that fails ends it (no matcher at all: no match). Most
        requests try a score of listeners before theirs: plain predicates are called without a coroutine."""
        for check, matcher in self.checks:
            if not (check(req.body) if check is not None else await matcher.async_matches(req, resp)):
                return False
        return bool(self.checks)

    async def run_ack_function(self, *, request: AsyncBoltRequest, response: BoltResponse) -> BoltResponse | None:
        context = request.context
        if any(get is None and name not in context for name, get in self.args):
            return await super().run_ack_function(request=request, response=response)  # Bolt warns and passes None
        return await self.ack_function(**{
            name: context[name] if get is None else get(request, response) for name, get in self.args
        })  # fmt: skip


def lean_listeners(app: AsyncApp) -> None:
    """Swaps every plain function listener registered so far; one that is a method, or asks for an argument not in
    `_LISTENER_ARGS` that Bolt makes itself (`args`, `logger`, `payload`, the assistant's utilities), stays Bolt's."""
    special = {"self", "cls", "args", "logger", "payload", "next", "next_", "error", "set_status", "set_title",
               "set_suggested_prompts", "get_thread_context", "save_thread_context", "say_stream"}  # fmt: skip
    app._async_listeners[:] = [
        LeanListener.of(listener)
        if type(listener) is AsyncCustomListener and not special & set(listener.arg_names)
        else listener
        for listener in app._async_listeners
    ]
