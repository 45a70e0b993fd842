"""Experiments on a movable clock: `/experiment new` with an outcome's metric, one ask to the owner when the end date
comes (at the start of their working hours, never twice), the result and the learning recorded by the owner
only once it has ended, the list, another workspace's X-1 not found, and the week's learnings, an invalidated one
included, in the weekly health post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import Experiment, ExperimentResult
from scheduler import health_weekly
from tests.support.decisions import private_answers
from tests.support.outbox import make_sender
from tests.support.outcomes import all_text, define
from tests.support.playbook_learning import (
    START,
    Learning,
    buttons_in,
    dms,
    experiment_values,
    press,
    result_values,
    rows,
    submit_opened,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
END = datetime(2026, 12, 14, 14, 0, tzinfo=UTC)  # Monday 14 December, 09:00 in New York


async def start_one(harness, **values) -> dict:
    response = await harness.slack.command(harness.me, "/experiment", "new")
    assert response.status_code == 200, response.text
    return await submit_opened(harness, experiment_values(**values))


async def command(harness, text: str, actor=None) -> dict:
    response = await harness.slack.command(actor or harness.me, "/experiment", text)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_owner_is_asked_once_at_the_start_of_their_working_day_on_the_end_date(
    harness, learning, db, clients
) -> None:
    await define(harness, lagging_name="Activation rate")
    options = await harness.slack.options(harness.me, LearningIds.METRIC.value, LearningIds.METRIC.value, "activ")
    assert [o["text"]["text"] for o in options.json()["options"]] == ["O-1 · Activation rate"]
    answer = await start_one(harness)
    assert answer["response_action"] == "update"
    assert "*X-1* is running until Mon 14 Dec 2026" in all_text(answer["view"]["blocks"])

    assert await learning.at(datetime(2026, 12, 13, 23, 0, tzinfo=UTC)) == 0  # 18:00 Sunday in New York
    assert await learning.at(datetime(2026, 12, 14, 13, 59, tzinfo=UTC)) == 0  # 08:59 on the end date
    assert await learning.at(END) == 1
    assert await learning.at(datetime(2026, 12, 15, 14, 0, tzinfo=UTC)) == 0
    again = Learning(harness, learning.clock, clients, make_sender(db, clients, learning.clock, name="restarted"))
    assert await again.job() == 0
    await again.deliver()
    [asked] = [m for m in dms(harness, "U0LOCAL") if "end date" in m["text"]]
    assert asked["text"] == "X-1 has reached its end date: how did it go?"
    assert [b["action_id"] for b in buttons_in(asked)] == [LearningIds.RESULT.value]


@pytest.mark.usefixtures("around_the_clock")
async def test_the_result_is_recorded_by_the_owner_once_ended_and_listed_in_the_weekly_post(
    harness, learning, db, clients
) -> None:
    await define(harness, lagging_name="Activation rate")
    await start_one(harness, hypothesis="A shorter sign-up form lifts activation")
    [experiment] = await rows(harness, Experiment)

    await press(harness, harness.me, LearningIds.RESULT, experiment.token)
    assert private_answers(harness)[-1] == "X-1 runs until Mon 14 Dec 2026."
    card = await command(harness, "X-1")
    assert "Record the result" not in str(card["blocks"])  # not before it has ended

    await learning.at(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
    assert "Record the result" not in str((await command(harness, "X-1", harness.actor("U0PRIYA")))["blocks"])
    await press(harness, harness.actor("U0PRIYA"), LearningIds.RESULT, experiment.token)
    assert private_answers(harness)[-1] == "Only the owner of X-1 or an admin can record its result."
    assert "Record the result" in str((await command(harness, "X-1"))["blocks"])
    await press(harness, harness.me, LearningIds.RESULT, experiment.token)
    refused = await submit_opened(harness, result_values("invalidated", ""))
    assert refused["errors"] == {"experiment_learning": "Say what you learned: an invalidated bet teaches as much as "
                                                        "a validated one."}  # fmt: skip
    learned = "Activation did not move: the form was not the bottleneck, the empty dashboard is."
    recorded = await submit_opened(harness, result_values("invalidated", learned))
    assert recorded["response_action"] == "update"
    [experiment] = await rows(harness, Experiment)
    assert experiment.result is ExperimentResult.INVALIDATED and experiment.learning.startswith("Activation did not")
    assert "*Invalidated* · Activation did not move" in all_text((await command(harness, "list"))["blocks"])

    context = learning.context
    learning.clock.set(datetime(2026, 12, 21, 9, 5, tzinfo=UTC))  # Monday 09:00 in the workspace's zone
    assert await health_weekly.post_due(context) == 1
    await learning.deliver()
    [post] = harness.standin.messages("C0GENERAL")[-1:]
    said = all_text(post["blocks"])
    assert "*What we learned this week*" in said
    assert "❌ *X-1* A shorter sign-up form lifts activation: *invalidated*. Activation did not move" in said


@pytest.mark.usefixtures("around_the_clock")
async def test_a_form_with_bad_fields_is_refused_beside_each_field(harness, learning) -> None:
    answer = await start_one(harness, hypothesis=" ", metric=None, effect="", ends_on="2026-11-01")
    assert set(answer["errors"]) == {"experiment_hypothesis", "experiment_ends_on"}  # a metric is optional
    assert await rows(harness, Experiment) == []


@pytest.mark.usefixtures("around_the_clock")
async def test_another_workspaces_experiment_is_not_found(harness, learning, db) -> None:
    from services import people

    async with db.sessions.begin() as session:
        other = await people.ensure_workspace(session, team_id="T0OTHER")
        owner = await people.ensure_person(session, workspace=other, slack_user_id="U0OTHER")
        theirs = Experiment(workspace_id=other.id, number=1, hypothesis="Theirs", expected_effect="+1",
                            ends_on=START.date(), owner_id=owner.id)  # fmt: skip
        session.add(theirs)
        await session.flush()
        token = theirs.token
    said = await command(harness, "X-1")
    assert said["text"] == "There is no experiment X-1 in this workspace. `/experiment list` shows them all."
    assert "Theirs" not in str(await command(harness, "list"))
    await press(harness, harness.me, LearningIds.RESULT, token)
    assert private_answers(harness)[-1].startswith("That is no longer here")
