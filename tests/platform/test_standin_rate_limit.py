"""The stand-in's opt-in, Slack-like rate limiting (used by bench/fanout.py)."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.asgi_server import serve_asgi
from bot.devtools.standin import SlackStandin


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def standin(clock: Clock) -> SlackStandin:
    standin = SlackStandin(clock=clock)
    for n in range(6):
        standin.add_user(f"U{n}", name=f"user{n}")
    standin.add_channel("C1", name="general", members=["U0"])
    return standin


def post(standin: SlackStandin, channel: str, token: str = "xoxb-a") -> tuple[int, str | None]:
    status, body, headers = standin.call("chat.postMessage", {"channel": channel, "text": "hi"}, token)
    return status, headers.get("Retry-After")


def test_one_message_per_second_per_channel_after_a_burst(standin: SlackStandin, clock: Clock) -> None:
    standin.rate_limit("chat.postMessage", per_channel_per_second=1, burst=2)

    assert [post(standin, "C1") for _ in range(3)] == [(200, None), (200, None), (429, "1")]
    assert post(standin, "U1") == (200, None)  # another conversation has its own allowance
    clock.now += 1
    assert [post(standin, "C1") for _ in range(2)] == [(200, None), (429, "1")]
    assert len(standin.calls_to("chat.postMessage")) == 4 and len(standin.messages("C1")) == 3


def test_a_workspace_wide_limit_with_retry_after_in_whole_seconds(standin: SlackStandin, clock: Clock) -> None:
    standin.rate_limit(
        "chat.postMessage", per_channel_per_second=1, burst=3, per_workspace_per_second=0.5, workspace_burst=2
    )

    assert [post(standin, f"U{n}")[0] for n in range(3)] == [200, 200, 429]
    assert post(standin, "U3") == (429, "2")  # one call per 2 s: Retry-After rounds up
    assert post(standin, "U3", token="xoxb-b") == (200, None)  # another workspace (token) is not held back
    clock.now += 2
    assert post(standin, "U3")[0] == 200
    assert post(standin, "U4")[0] == 429  # and the refill is used up again


def test_limits_are_cleared_by_reset(standin: SlackStandin) -> None:
    standin.rate_limit("chat.postMessage", per_channel_per_second=1)
    assert [post(standin, "C1")[0] for _ in range(2)] == [200, 429]
    standin.reset()
    assert [post(standin, "C1")[0] for _ in range(2)] == [200, 200]


async def test_slack_sdk_sees_a_429_with_retry_after(standin: SlackStandin) -> None:
    standin.rate_limit("chat.postMessage", per_channel_per_second=1)
    async with serve_asgi(standin.app) as base_url:
        client = AsyncWebClient(token="xoxb-a", base_url=f"{base_url}/api/", retry_handlers=[])
        await client.chat_postMessage(channel="C1", text="first")
        with pytest.raises(SlackApiError) as refused:
            await client.chat_postMessage(channel="C1", text="second")
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "1"
    assert refused.value.response["error"] == "ratelimited"
