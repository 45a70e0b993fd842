"""What most playbook tests start from: the app on a movable clock, and the scheduler jobs of runs or of learning
(retrospectives, proposed changes, experiments) driven by hand. A module that starts elsewhere defines its own."""

from __future__ import annotations

import pytest

from tests.support.decisions import install_clock
from tests.support.playbook_learning import START, Learning
from tests.support.playbook_runs import MONDAY, Scheduler


@pytest.fixture
def runs(harness, clock, clients, sender) -> Scheduler:
    clock.set(MONDAY)
    install_clock(harness, clock)
    return Scheduler(harness, clock, clients, sender)


@pytest.fixture
async def learning(harness, clock, clients, sender) -> Learning:
    clock.set(START)
    install_clock(harness, clock)
    return Learning(harness, clock, clients, sender)
