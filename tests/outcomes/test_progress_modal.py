"""The Log progress form: opened by /progress alone, by /progress O-n, or by a button; its picker; its errors."""

from __future__ import annotations

from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.progress import ProgressIds
from models import MetricReading, Outcome, OutcomeStatus, ProgressSource, ProgressUpdate
from tests.support.outcomes import all_text, create_directly, define, opened_view, progress_values


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


async def test_progress_alone_opens_the_form_and_stores_nothing(harness) -> None:
    await define(harness)

    for typed in ("", "   "):
        response = await harness.slack.command(harness.me, "/progress", typed)
        assert response.status_code == 200 and response.text == ""

    view = opened_view(harness)
    assert view["callback_id"] == ProgressIds.VIEW
    picker = block(view, ProgressIds.OUTCOME)["element"]
    assert picker["type"] == "external_select" and "initial_option" not in picker
    assert picker["min_query_length"] == 0
    assert await harness.rows(ProgressUpdate) == []


async def test_a_ref_alone_opens_the_form_for_that_outcome(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10")

    await harness.slack.command(harness.me, "/progress", "o-1")

    view = opened_view(harness)
    assert block(view, ProgressIds.OUTCOME)["element"]["initial_option"]["value"] == "O-1"
    hint = block(view, ProgressIds.VALUES)["hint"]["text"]
    assert "activation (lagging), now 20%" in hint and "demos-booked" in hint


async def test_the_picker_lists_the_callers_outcomes_first_and_filters_by_typed_text(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Alex onboarding revamp")
    await define(harness, title="My pricing test")
    await define(harness, harness.actor("U0PRIYA"), title="Priya onboarding emails")
    await harness.slack.command(harness.me, "/progress", "")
    view = opened_view(harness)

    everything = (await harness.slack.options(harness.me, ProgressIds.OUTCOME, ProgressIds.OUTCOME, "", view)).json()
    assert [o["value"] for o in everything["options"]] == ["O-2", "O-1", "O-3"]
    assert everything["options"][0]["text"]["text"] == "O-2 My pricing test"

    onboarding = (
        await harness.slack.options(harness.me, ProgressIds.OUTCOME, ProgressIds.OUTCOME, "ONBOARDING", view)
    ).json()
    assert [o["value"] for o in onboarding["options"]] == ["O-1", "O-3"]
    by_ref = (await harness.slack.options(harness.me, ProgressIds.OUTCOME, ProgressIds.OUTCOME, "o-3", view)).json()
    assert [o["value"] for o in by_ref["options"]] == ["O-3"]


async def test_the_picker_stops_at_a_hundred(harness) -> None:
    from datetime import date, timedelta

    from services import people
    from services.outcomes import OutcomeForm

    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        me = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        form = OutcomeForm(
            title="Bulk",
            definition_of_done="done",
            due=(date.today() + timedelta(days=9)).isoformat(),
            lagging_name="Count",
            unit="",
            baseline="0",
            target="1",
            leading="Calls: 0 -> 1",
            owner_user_id="U0LOCAL",
        )
        for _ in range(120):
            await create_directly(session, workspace=workspace, author=me, form=form)
    await harness.slack.command(harness.me, "/progress", "")

    options = (
        await harness.slack.options(harness.me, ProgressIds.OUTCOME, ProgressIds.OUTCOME, "", opened_view(harness))
    ).json()
    assert len(options["options"]) == 100


async def test_submitting_stores_values_status_note_and_blocker_and_shows_what_moved(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10")
    await harness.slack.command(harness.me, "/progress", "")

    values = progress_values("O-1", "31 demos-booked=4", "at_risk", "trial users stall at step 3", "no designer")
    body = (await harness.slack.view_submission(harness.me, opened_view(harness), values)).json()

    assert body["response_action"] == "update"
    text = all_text(body["view"]["blocks"])
    assert "Activation 20% → 31% (target 40%)" in text
    assert "Demos booked 2 → 4 (target 10)" in text
    assert "On track → At risk" in text
    [update] = await harness.rows(ProgressUpdate)
    assert (update.note, update.blocker, update.source, update.status_after) == (
        "trial users stall at step 3",
        "no designer",
        ProgressSource.MODAL,
        OutcomeStatus.AT_RISK,
    )
    assert sorted(r.value for r in await harness.rows(MetricReading)) == [4.0, 31.0]


async def test_form_problems_appear_on_their_fields_and_nothing_is_stored(harness) -> None:
    await define(harness, owner="U0ALEX")
    priya = harness.actor("U0PRIYA")
    await harness.slack.command(priya, "/progress", "")
    view = opened_view(harness)
    cases = [
        (progress_values(None, "31"), ProgressIds.OUTCOME, "Pick an outcome"),
        (progress_values("O-7", "31"), ProgressIds.OUTCOME, "Pick an outcome"),
        (progress_values("O-1", "thirty"), ProgressIds.VALUES, "neither a number nor"),
        (progress_values("O-1", "revenue=3"), ProgressIds.VALUES, "no metric called `revenue`"),
        (progress_values("O-1"), ProgressIds.VALUES, "Nothing to log"),
        (progress_values("O-1", note="n" * 2001), ProgressIds.NOTE, "2,001 characters"),
        (progress_values("O-1", status="done"), ProgressIds.STATUS, "can mark O-1 done"),
        (progress_values("O-1", status="sideways"), ProgressIds.STATUS, "statuses offered"),
    ]
    for values, field, says in cases:
        body = (await harness.slack.view_submission(priya, view, values)).json()
        assert body["response_action"] == "errors", field
        assert says in body["errors"][field]
    assert await harness.rows(ProgressUpdate) == []
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.ON_TRACK


async def test_the_card_button_opens_the_form_for_its_outcome(harness) -> None:
    await define(harness)
    card = (await harness.slack.command(harness.me, "/outcome", "O-1")).json()
    actions = next(b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    log_button = next(e for e in actions["elements"] if e["action_id"] == OutcomeIds.LOG_PROGRESS)

    await harness.slack.block_action(
        harness.actor("U0PRIYA"), {**log_button, "block_id": OutcomeIds.CARD_ACTIONS}, message=card
    )

    view = opened_view(harness)
    assert view["callback_id"] == ProgressIds.VIEW
    assert block(view, ProgressIds.OUTCOME)["element"]["initial_option"]["value"] == "O-1"
