"""Listener matching without Bolt's per-matcher argument building.

Bolt tries listeners in registration order, and for each built-in matcher (command name, action id, view callback
id...) it builds every argument a listener could ask for, parsing the body eight ways, although the matcher reads
only the body. With about ninety listeners, /progress waits behind eighteen of them: that argument building was a
tenth of its CPU. The same matcher functions are called here with the body alone; custom matchers are left as
Bolt runs them.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.listener_matcher.async_builtins import AsyncBuiltinListenerMatcher
from slack_bolt.listener_matcher.async_listener_matcher import AsyncListenerMatcher
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
