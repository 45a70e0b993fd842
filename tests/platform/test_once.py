"""A submission acts once: a form sent three times at once, a signed request replayed, Slack's retried events."""

from __future__ import annotations

import asyncio
import time

from bot.devtools.slack_payloads import form_body
from models import Outcome, Person, ProgressUpdate
from tests.support.outcomes import define, opened_view, outcome_values, progress_values

FORM = "application/x-www-form-urlencoded"


async def test_one_outcome_form_submitted_three_times_at_once_creates_one_outcome(harness) -> None:
    await harness.slack.command(harness.me, "/outcome", "")
    view = opened_view(harness)

    answers = await asyncio.gather(
        *(harness.slack.view_submission(harness.me, view, outcome_values()) for _ in range(3))
    )

    assert {a.status_code for a in answers} == {200}
    assert [o.ref for o in await harness.rows(Outcome)] == ["O-1"]
    assert sum(1 for a in answers if a.text and a.json().get("response_action") == "update") == 1


async def test_one_progress_form_submitted_three_times_stores_one_update(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "")
    view = opened_view(harness)

    for _ in range(3):
        await harness.slack.view_submission(harness.me, view, progress_values("O-1", "31", note="pilot live"))

    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["pilot live"]


async def test_a_signed_command_replayed_within_its_window_acts_once(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/followthrough", "help")  # to have the fields of a real command
    fields = {**harness.slack.sent[-1], "command": "/progress", "text": "O-1 31 first pilot live"}
    body, signed_at = form_body(fields), int(time.time())

    replays = [await harness.slack.post(body, FORM, timestamp=signed_at) for _ in range(3)]

    assert [r.status_code for r in replays] == [200, 200, 200]
    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["first pilot live"]


async def test_a_form_refused_with_field_errors_is_judged_again_when_sent_again(harness) -> None:
    await harness.slack.command(harness.me, "/outcome", "")
    view = opened_view(harness)
    missing = outcome_values(definition="")

    first = (await harness.slack.view_submission(harness.me, view, missing)).json()
    second = (await harness.slack.view_submission(harness.me, view, missing)).json()

    assert first["response_action"] == second["response_action"] == "errors"
    assert await harness.rows(Outcome) == []


async def test_a_newcomers_first_command_replayed_acts_once_and_knows_them_afterwards(harness) -> None:
    """The key and the person are looked up together: a replay of someone's very first request (nobody to find
    yet) is still dropped, and their next request finds them as they were stored."""
    await define(harness)
    alex = harness.actor("U0ALEX")
    await harness.slack.command(alex, "/followthrough", "help")
    fields = {**harness.slack.sent[-1], "command": "/progress", "text": "O-1 31 alex logged this", "user_id": "U0BRAND"}
    body, signed_at = form_body(fields), int(time.time())

    replays = [await harness.slack.post(body, FORM, timestamp=signed_at) for _ in range(3)]
    again = await harness.slack.command(harness.actor("U0BRAND"), "/progress", "O-1 32 and again")

    assert [r.status_code for r in replays] == [200, 200, 200] and again.status_code == 200
    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["alex logged this", "and again"]
    brand = [p for p in await harness.rows(Person) if p.slack_user_id == "U0BRAND"]
    assert len(brand) == 1 and {u.author_id for u in await harness.rows(ProgressUpdate)} == {brand[0].id}
