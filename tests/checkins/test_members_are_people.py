"""People picked by hand for a check-in are people: a bot, this app or someone who left Slack is refused on
the field, and nothing of the check-in changes (issue 10 item 5)."""

from __future__ import annotations

import pytest

from handlers.checkins.blocks.ids import CheckinIds
from models import Cadence
from tests.support.checkins import setup_values
from tests.support.outcomes import opened_view


async def set_up(harness, **values) -> dict:
    await harness.slack.command(harness.me, "/checkin", "")
    return (await harness.slack.view_submission(harness.me, opened_view(harness), setup_values(**values))).json()


@pytest.mark.parametrize(
    ("member", "says"),
    [
        ("U0BOT", "Followthrough is an app, not a person: choose someone from your team."),
        ("U0GONE", "Gone Person has left this Slack workspace: choose someone who is still here."),
    ],
)
async def test_a_bot_or_someone_gone_is_refused_as_a_member(harness, member, says) -> None:
    harness.standin.add_user("U0GONE", name="gone", real_name="Gone Person", deleted=True)

    body = await set_up(harness, audience="chosen", members=["U0ALEX", member])

    assert body == {"response_action": "errors", "errors": {CheckinIds.MEMBERS: says}}
    assert await harness.rows(Cadence) == []


async def test_a_refused_member_leaves_the_check_in_as_it_was(harness) -> None:
    assert (await set_up(harness, audience="chosen", members=["U0ALEX"], days=["1"]))["response_action"] == "update"

    body = await set_up(harness, audience="chosen", members=["U0ALEX", "U0BOT"], days=["3"])

    assert body["response_action"] == "errors"
    [cadence] = await harness.rows(Cadence)
    assert cadence.weekdays == [1]
