"""Defining an outcome through the /outcome form, and every reason the form refuses one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from handlers.outcomes.blocks.ids import OutcomeIds
from models import Direction, Metric, MetricKind, Outcome, OutcomeStatus, Person, Priority
from tests.support.outcomes import DUE, define, opened_view, outcome_values


async def test_outcome_alone_opens_the_definition_form_owned_by_the_caller(harness) -> None:
    response = await harness.slack.command(harness.me, "/outcome", "")

    assert response.status_code == 200
    assert response.text == ""  # the form is the answer; no message
    [call] = harness.standin.calls_to("views.open")
    view = call.response["view"]
    assert view["callback_id"] == OutcomeIds.CREATE_VIEW
    assert view["title"]["text"] == "New outcome"
    block_ids = [b.get("block_id") for b in view["blocks"]]
    for block in (OutcomeIds.TITLE, OutcomeIds.DEFINITION, OutcomeIds.OWNER, OutcomeIds.DUE, OutcomeIds.PARENT,
                  OutcomeIds.LAGGING_NAME, OutcomeIds.UNIT, OutcomeIds.BASELINE, OutcomeIds.TARGET,
                  OutcomeIds.LEADING):  # fmt: skip
        assert block in block_ids
    owner = next(b for b in view["blocks"] if b.get("block_id") == OutcomeIds.OWNER)
    assert owner["element"]["initial_user"] == "U0LOCAL"
    definition = next(b for b in view["blocks"] if b.get("block_id") == OutcomeIds.DEFINITION)
    assert definition["element"]["max_length"] == 3000
    assert await harness.rows(Outcome) == []


async def test_outcome_new_with_words_prefills_the_title(harness) -> None:
    await harness.slack.command(harness.me, "/outcome", "new Halve support backlog")

    title = next(b for b in opened_view(harness)["blocks"] if b.get("block_id") == OutcomeIds.TITLE)
    assert title["element"]["initial_value"] == "Halve support backlog"


async def test_submitted_form_stores_the_outcome_its_owner_and_metrics(harness) -> None:
    outcome = await define(harness, leading="Demos booked: 2 -> 10\nSetup time: 5 days -> 1 days", owner="U0ALEX")

    assert outcome.ref == "O-1"
    assert outcome.title == "Cut time to first value to under a day"
    assert outcome.due_date == date.fromisoformat(DUE)
    assert outcome.status is OutcomeStatus.ON_TRACK
    assert outcome.channel_id == "C0GENERAL"
    [owner] = await harness.rows(Person, Person.id == outcome.owner_id)
    assert owner.slack_user_id == "U0ALEX"
    [creator] = await harness.rows(Person, Person.id == outcome.created_by_id)
    assert creator.slack_user_id == "U0LOCAL"
    metrics = sorted(await harness.rows(Metric), key=lambda m: m.position)
    assert [(m.kind, m.name, m.slug, m.unit, m.baseline, m.target, m.direction) for m in metrics] == [
        (MetricKind.LAGGING, "Activation", "activation", "%", 20.0, 40.0, Direction.UP),
        (MetricKind.LEADING, "Demos booked", "demos-booked", "", 2.0, 10.0, Direction.UP),
        (MetricKind.LEADING, "Setup time", "setup-time", "days", 5.0, 1.0, Direction.DOWN),
    ]


async def test_the_confirmation_names_the_ref_and_how_to_log_progress(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/outcome", "")  # a second form, for a second outcome

    body = (await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values())).json()
    assert body["response_action"] == "update"
    text = body["view"]["blocks"][0]["text"]["text"]
    assert "O-2" in text and "/progress O-2" in text


async def test_refs_count_up_per_workspace(harness) -> None:
    first = await define(harness)
    second = await define(harness, title="Second")
    other = await define(harness, harness.actor("U0OTHER", team_id="T0OTHER"), title="Elsewhere")

    assert (first.ref, second.ref, other.ref) == ("O-1", "O-2", "O-1")
    assert other.workspace_id != first.workspace_id


def _past() -> str:
    return (date.today() - timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("fields", "block", "says"),
    [
        ({"definition": "   "}, OutcomeIds.DEFINITION, "what done looks like"),
        ({"due": "2020-01-06"}, OutcomeIds.DUE, "has passed"),
        (
            {"leading": "Demos: 1 -> 5\nCalls: 2 -> 9\nTrials: 0 -> 4\nReplies: 3 -> 8"},
            OutcomeIds.LEADING,
            "noise",
        ),
        ({"baseline": "20", "target": "20%"}, OutcomeIds.TARGET, "target equals the baseline"),
        ({"target": "forty"}, OutcomeIds.TARGET, "not a number"),
        ({"baseline": "1,5"}, OutcomeIds.BASELINE, "use a dot for decimals"),
        ({"leading": ""}, OutcomeIds.LEADING, "at least one leading indicator"),
        ({"leading": "Demos booked 2 to 10"}, OutcomeIds.LEADING, "name: baseline -> target"),
        ({"leading": "Demos: 4 -> 4"}, OutcomeIds.LEADING, "target equals the baseline"),
        ({"leading": "Activation: 1 -> 4"}, OutcomeIds.LEADING, "Two metrics are called"),
        ({"lagging_name": "Revenue (net)!"}, OutcomeIds.LAGGING_NAME, "letters, digits"),
        ({"unit": "12345678901234567890"}, OutcomeIds.UNIT, "short word"),
        ({"unit": "", "baseline": "8%", "target": "$12"}, OutcomeIds.TARGET, "different units (% and $)"),
        ({"title": "   "}, OutcomeIds.TITLE, "title"),
    ],
)
async def test_each_problem_is_shown_on_its_field_and_nothing_is_stored(harness, fields, block, says) -> None:
    await harness.slack.command(harness.me, "/outcome", "")

    response = await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values(**fields))

    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block]
    assert says in body["errors"][block]
    assert await harness.rows(Outcome) == []
    assert await harness.rows(Metric) == []


async def test_a_unit_typed_with_the_numbers_is_kept_when_the_unit_field_is_empty(harness) -> None:
    await harness.slack.command(harness.me, "/outcome", "")
    values = outcome_values(lagging_name="Trial conversion", unit="", baseline="8%", target="12")

    body = (await harness.slack.view_submission(harness.me, opened_view(harness), values)).json()

    assert body["response_action"] == "update", body
    [lagging] = await harness.rows(Metric, Metric.name == "Trial conversion")
    assert (lagging.unit, lagging.baseline, lagging.target) == ("%", 8.0, 12.0)
    said = (await harness.slack.command(harness.me, "/progress", "O-1 9%")).json()["text"]
    assert "Trial conversion 8% → 9%" in said


async def test_several_problems_are_shown_together(harness) -> None:
    await harness.slack.command(harness.me, "/outcome", "")

    values = outcome_values(definition="", due=_past(), target="20")
    body = (await harness.slack.view_submission(harness.me, opened_view(harness), values)).json()

    assert set(body["errors"]) == {OutcomeIds.DEFINITION, OutcomeIds.DUE, OutcomeIds.TARGET}


async def test_a_due_date_of_today_in_the_owners_zone_is_accepted(harness) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today_in_new_york = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
    outcome = await define(harness, due=today_in_new_york)
    assert outcome.due_date.isoformat() == today_in_new_york


async def test_parent_picker_offers_priorities_then_outcomes_and_the_choice_is_stored(harness) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    parent = await define(harness, title="Grow activation")
    await harness.slack.command(harness.me, "/outcome", "")

    options = (
        await harness.slack.options(harness.me, OutcomeIds.PARENT, OutcomeIds.PARENT, "", opened_view(harness))
    ).json()
    groups = {g["label"]["text"]: [o["value"] for o in g["options"]] for g in options["option_groups"]}
    assert groups == {"Priorities": ["P-1"], "Outcomes": ["O-1"]}

    by_words = (await harness.slack.options(harness.me, OutcomeIds.PARENT, OutcomeIds.PARENT, "self-serve")).json()
    assert [o["value"] for g in by_words["option_groups"] for o in g["options"]] == ["P-1"]

    view = opened_view(harness)
    await harness.slack.view_submission(harness.me, view, outcome_values(parent="P-1", title="Child of priority"))
    [priority] = await harness.rows(Priority)
    [child] = await harness.rows(Outcome, Outcome.title == "Child of priority")
    assert child.parent_priority_id == priority.id and child.parent_outcome_id is None

    await harness.slack.command(harness.me, "/outcome", "")
    await harness.slack.view_submission(
        harness.me, opened_view(harness), outcome_values(parent="O-1", title="Grandchild")
    )
    [grandchild] = await harness.rows(Outcome, Outcome.title == "Grandchild")
    assert grandchild.parent_outcome_id == parent.id


async def test_a_parent_from_another_workspace_is_refused(harness) -> None:
    await define(harness, harness.actor("U0OTHER", team_id="T0OTHER"), title="Theirs")
    await define(harness, title="Mine")  # this workspace's O-1
    await harness.slack.command(harness.me, "/outcome", "")

    body = (await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values(parent="O-2"))).json()

    assert body["response_action"] == "errors"
    assert "can't find O-2" in body["errors"][OutcomeIds.PARENT]
