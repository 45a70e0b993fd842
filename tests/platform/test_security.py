"""Requests Slack did not sign (or signed too long ago) are refused and touch nothing; retries act once."""

from __future__ import annotations

import time

from bot.devtools.slack_payloads import form_body
from models import Person, SlackEvent, Workspace

HOME = {"type": "app_home_opened", "user": "U0LOCAL", "tab": "home"}


async def assert_untouched(harness) -> None:
    assert await harness.rows(Workspace) == []
    assert await harness.rows(Person) == []
    assert harness.standin.calls == []


async def test_bad_signature_is_refused(harness) -> None:
    response = await harness.slack.command(harness.me, "/followthrough", "help", secret="not-the-secret")
    assert response.status_code == 401
    await assert_untouched(harness)


async def test_missing_signature_is_refused(harness) -> None:
    body = form_body({"command": "/followthrough", "text": "help", "team_id": "T0LOCAL", "user_id": "U0LOCAL"})
    response = await harness.slack.client.post(
        "/slack/events", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 401
    await assert_untouched(harness)


async def test_old_timestamp_is_refused_even_when_correctly_signed(harness) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    response = await harness.slack.command(harness.me, "/followthrough", "help", timestamp=six_minutes_ago)
    assert response.status_code == 401
    await assert_untouched(harness)


async def test_tampered_body_is_refused(harness) -> None:
    body = form_body({"command": "/followthrough", "text": "help", "team_id": "T0LOCAL", "user_id": "U0LOCAL"})
    from bot.devtools.slack_payloads import signed_headers

    headers = signed_headers("test-signing-secret", body, "application/x-www-form-urlencoded")
    response = await harness.slack.client.post("/slack/events", content=body + b"&text=evil", headers=headers)
    assert response.status_code == 401
    await assert_untouched(harness)


async def test_retried_event_is_processed_once(harness) -> None:
    first = await harness.slack.event(harness.me, HOME, event_id="Ev0RETRY01")
    retry = await harness.slack.event(harness.me, HOME, event_id="Ev0RETRY01", retry_num=1)
    second_retry = await harness.slack.event(harness.me, HOME, event_id="Ev0RETRY01", retry_num=2)

    assert [first.status_code, retry.status_code, second_retry.status_code] == [200, 200, 200]
    assert len(harness.standin.calls_to("views.publish")) == 1
    assert [e.event_id for e in await harness.rows(SlackEvent)] == ["Ev0RETRY01"]


async def test_failed_event_is_not_marked_handled_so_the_retry_succeeds(harness) -> None:
    harness.standin.fail("views.publish", error="internal_error", status=200)
    failed = await harness.slack.event(harness.me, HOME, event_id="Ev0FAILS01")
    retry = await harness.slack.event(harness.me, HOME, event_id="Ev0FAILS01", retry_num=1)

    assert failed.status_code == 500  # Slack will retry
    assert retry.status_code == 200
    assert len(harness.standin.calls_to("views.publish")) == 1  # the retry's publish
    assert [e.event_id for e in await harness.rows(SlackEvent)] == ["Ev0FAILS01"]


async def test_url_verification_echoes_the_challenge(harness) -> None:
    response = await harness.slack.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text
