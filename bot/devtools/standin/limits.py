"""Opt-in, Slack-like rate limiting for the stand-in: token buckets per workspace (token) and method, and
optionally per channel. Past the limit a call is answered 429 with Retry-After (whole seconds, as Slack
does) and takes nothing from the buckets."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Bucket:
    rate: float  # tokens per second
    capacity: float  # the burst
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        """Seconds until one token is there (0: now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass(frozen=True)
class Rule:
    per_channel_per_second: float | None
    burst: float
    per_workspace_per_second: float | None
    workspace_burst: float


class RateLimits:
    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}
        self._buckets: dict[tuple, Bucket] = {}

    def set(self, method: str, rule: Rule) -> None:
        self.rules[method] = rule

    def clear(self) -> None:
        self.rules.clear()
        self._buckets.clear()

    def check(self, method: str, workspace: str, channel: str | None, now: float) -> int | None:
        """None when the call may go ahead (and is counted); else the Retry-After to answer with."""
        rule = self.rules.get(method)
        if rule is None:
            return None
        buckets = []
        if rule.per_workspace_per_second:
            buckets.append(self._bucket((workspace, method), rule.per_workspace_per_second, rule.workspace_burst, now))
        if rule.per_channel_per_second and channel:
            buckets.append(self._bucket((workspace, method, channel), rule.per_channel_per_second, rule.burst, now))
        wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1
        return None

    def _bucket(self, key: tuple, rate: float, capacity: float, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(
                rate=rate, capacity=max(1.0, capacity), tokens=max(1.0, capacity), at=now
            )
        return bucket
