"""An escalation level pings people: bots, this app and people who left Slack are refused on the level's
people field, and the path is not saved (issue 10 item 5)."""

from __future__ import annotations

import pytest

from handlers.decisions.blocks.escalation import LevelPart, level_block
from models import EscalationPolicy
from tests.support.decisions import START, define_path, install_clock

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


@pytest.mark.parametrize(
    ("user", "says"),
    [
        ("U0BOT", "Followthrough is an app, not a person: choose someone from your team."),
        ("U0GONE", "Gone Person has left this Slack workspace: choose someone who is still here."),
    ],
)
async def test_a_level_refuses_a_bot_or_someone_gone(harness, user, says) -> None:
    harness.standin.add_user("U0GONE", name="gone", real_name="Gone Person", deleted=True)
    levels = [{"people": ["U0ALEX"], "wait": "60"}, {"people": ["U0LOCAL", user], "wait": "60"}]

    answer = await define_path(harness, "Fast", levels)

    assert answer == {"response_action": "errors", "errors": {level_block(LevelPart.PEOPLE, 2): says}}
    assert [p.name for p in await harness.rows(EscalationPolicy)] == ["Standard"]
