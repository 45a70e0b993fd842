"""What the stand-in records and how a handler says no."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    method: str
    args: dict
    token: str | None
    http_method: str
    status: int
    response: dict
    at: float

    @property
    def ok(self) -> bool:
        return self.response.get("ok") is True

    @property
    def error(self) -> str | None:
        return self.response.get("error")


class SlackError(Exception):
    """Raised by a method handler; becomes `{"ok": false, "error": ...}` (plus extra fields)."""

    def __init__(self, error: str, messages: list[str] | None = None, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}
        if messages:
            self.body["response_metadata"] = {"messages": messages}


def invalid_arguments(*messages: str) -> SlackError:
    return SlackError("invalid_arguments", messages=list(messages))


@dataclass
class Failure:
    """An injected failure; `times=None` means until reset()."""

    method: str
    error: str
    status: int
    retry_after: int
    times: int | None
    when: Callable[[dict], bool] | None = field(default=None)

    def matches(self, method: str, args: dict) -> bool:
        return (
            self.method == method
            and (self.times is None or self.times > 0)
            and (self.when is None or bool(self.when(args)))
        )


@dataclass
class Late:
    """An injected slow answer: the call is carried out at once, its answer sent `seconds` later."""

    method: str
    seconds: float
    times: int | None
    when: Callable[[dict], bool] | None = field(default=None)

    def take(self, method: str, args: dict) -> bool:
        if self.method != method or (self.times is not None and self.times <= 0):
            return False
        if self.when is not None and not self.when(args):
            return False
        if self.times is not None:
            self.times -= 1
        return True
