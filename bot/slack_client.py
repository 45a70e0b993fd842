"""The Slack Web API client: one place that sets the base URL and the retry policy."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient


def retry_handlers() -> list:
    # Async handlers only: slack_sdk's all_builtin_retry_handlers() returns sync ones that break this client.
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),  # waits Retry-After, then tries again
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def build_client(*, token: str | None, base_url: str, timeout: int = 15) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers())
