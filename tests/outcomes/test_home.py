"""The Home tab: your outcomes (none, one, many), the ones you contribute to, staleness, and its buttons; and the
whole tab, every feature's section full (decisions, playbook steps and asks), within Slack's 100 blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from handlers.outcomes.blocks.ids import OutcomeIds
from models import ChangeKind, ChangeStatus, Outcome, PlaybookRun, ProposedChange
from services import people
from services.outcomes import OutcomeForm
from services.playbooks import retros
from tests.support.decisions import ask
from tests.support.outcomes import (
    DUE,
    all_text,
    create_directly,
    define,
    opened_view,
    outcome_values,
    progress_values,
    sent_view,
)
from tests.support.playbook_learning import resolved_run
from tests.support.playbook_runs import make_playbook, start_run

HOME = {"type": "app_home_opened", "tab": "home"}


async def open_home(harness, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.event(actor, {**HOME, "user": actor.user_id})
    assert response.status_code == 200
    calls = [c for c in harness.standin.calls_to("views.publish") if c.args["user_id"] == actor.user_id]
    return sent_view(calls[-1])


def sections_with_button(view: dict) -> list[dict]:
    return [b for b in view["blocks"] if b.get("accessory", {}).get("action_id") == OutcomeIds.LOG_PROGRESS]


async def test_a_person_without_outcomes_is_taught_the_first_command(harness) -> None:
    view = await open_home(harness)

    text = all_text(view["blocks"])
    assert "Hello Dana Scully!" in text
    assert "Start small" in text and "Define one outcome with its leading indicators" in text
    assert "You have no outcomes yet" not in text  # the start's step says it once
    assert any(b.get("accessory", {}).get("action_id") == OutcomeIds.CREATE for b in view["blocks"])
    assert "/followthrough help" in text  # a short pointer to the help stays below


async def test_one_outcome_with_status_current_against_target_and_a_log_button(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1 27")

    view = await open_home(harness)

    [section] = sections_with_button(view)
    assert section["accessory"]["value"] == "O-1"
    assert section["text"]["text"] == (
        "🟢 *O-1* Cut time to first value to under a day\n"
        f"On track · due {date.fromisoformat(DUE):%-d %b}"
        " · Activation 27% / 40% · updated today"
    )


async def test_outcomes_without_a_recent_update_are_flagged_stale(harness) -> None:
    await define(harness, title="Quiet one")
    await define(harness, title="Busy one")
    await harness.slack.command(harness.me, "/progress", "O-2 25")
    async with harness.db.sessions.begin() as session:
        for row in await session.scalars(select(Outcome)):
            row.created_at = datetime.now(UTC) - timedelta(days=12)
            if row.last_progress_at:
                row.last_progress_at = datetime.now(UTC) - timedelta(days=9)

    text = all_text((await open_home(harness))["blocks"])

    assert "⚠️ no update in the 12 days since it was defined" in text
    assert "⚠️ updated 9 days ago" in text

    await harness.slack.command(harness.me, "/progress", "O-2 26")
    text = all_text((await open_home(harness))["blocks"])
    assert "updated today" in text and "updated 9 days ago" not in text


async def test_outcomes_someone_contributes_to_are_listed_with_their_owner(harness) -> None:
    await define(harness, title="Dana's outcome")
    alex = harness.actor("U0ALEX")
    await harness.slack.command(alex, "/progress", "O-1 23 ran the interviews")

    view = await open_home(harness, alex)

    text = all_text(view["blocks"])
    assert "You own no open outcomes." in text
    assert "Outcomes I contribute to" in text
    assert "*O-1* Dana's outcome\nowner <@U0LOCAL> · On track" in text
    assert [s["accessory"]["value"] for s in sections_with_button(view)] == ["O-1"]


async def seed_outcomes(harness, count: int) -> None:
    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        me = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        for n in range(count):
            form = OutcomeForm(
                title=f"Outcome {n:03d} " + "with a long descriptive title " * 3,
                definition_of_done="done",
                due=(date.today() + timedelta(days=n + 1)).isoformat(),
                lagging_name="Revenue",
                unit="$",
                baseline="1000",
                target="250000",
                leading="Calls: 0 -> 1",
                owner_user_id="U0LOCAL",
            )
            await create_directly(session, workspace=workspace, author=me, form=form)


async def test_two_hundred_outcomes_fit_in_one_accepted_view_with_a_way_to_see_the_rest(harness) -> None:
    await seed_outcomes(harness, 200)

    view = await open_home(harness)

    assert len(harness.standin.calls_to("views.publish")) == 1  # the stand-in checks Slack's limits
    assert len(view["blocks"]) <= 100
    assert len(sections_with_button(view)) == 15
    text = all_text(view["blocks"])
    assert "and 185 more — `/outcome list mine` shows them all" in text
    assert "Revenue $1000 / $250000" in text


async def test_logging_from_the_home_tab_refreshes_it(harness) -> None:
    await define(harness)
    await open_home(harness)
    home = harness.standin.home("U0LOCAL")
    [section] = sections_with_button(home)

    await harness.slack.block_action(
        harness.me, {**section["accessory"], "block_id": section.get("block_id", "b1")}, view=home
    )
    view = opened_view(harness)
    await harness.slack.view_submission(harness.me, view, progress_values("O-1", "33", note="from home"))

    refreshed = sent_view(harness.standin.calls_to("views.publish")[-1])
    assert "Activation 33% / 40% · updated today" in all_text(refreshed["blocks"])


async def test_defining_from_the_home_tab_refreshes_it(harness) -> None:
    await open_home(harness)
    home = harness.standin.home("U0LOCAL")
    create = next(b for b in home["blocks"] if b.get("accessory", {}).get("action_id") == OutcomeIds.CREATE)

    await harness.slack.block_action(
        harness.me, {**create["accessory"], "block_id": create.get("block_id", "b1")}, view=home
    )
    form = opened_view(harness)
    assert form["callback_id"] == OutcomeIds.CREATE_VIEW
    await harness.slack.view_submission(harness.me, form, outcome_values(title="Defined from home"))

    refreshed = sent_view(harness.standin.calls_to("views.publish")[-1])
    assert "*O-1* Defined from home" in all_text(refreshed["blocks"])


async def test_a_failed_home_refresh_keeps_what_was_done(harness) -> None:
    await open_home(harness)
    home = harness.standin.home("U0LOCAL")
    create = next(b for b in home["blocks"] if b.get("accessory", {}).get("action_id") == OutcomeIds.CREATE)
    await harness.slack.block_action(
        harness.me, {**create["accessory"], "block_id": create.get("block_id", "b1")}, view=home
    )
    harness.standin.fail("views.publish", error="internal_error", status=200)

    response = await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values(title="Kept"))

    assert response.json()["response_action"] == "update"
    [outcome] = await harness.rows(Outcome)
    assert outcome.title == "Kept"


async def test_finished_outcomes_leave_the_list_and_the_empty_state_says_so(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1 done")

    view = await open_home(harness)

    text = all_text(view["blocks"])
    assert sections_with_button(view) == []
    assert "Nothing open on you right now" in text and "You have no outcomes yet" not in text


async def seed_playbook_asks(harness) -> None:
    """Steps of mine in two active runs, three resolved runs I led with no retrospective, and three changes
    proposed to a playbook I own."""
    ref = await make_playbook(harness)
    for _ in range(2):
        await start_run(harness, ref, people_for={"buddy": "U0LOCAL", "new hire": "U0LOCAL"})
    made = [await resolved_run(harness.db, owner="U0LOCAL", title=f"Checkout down {n}") for n in range(3)]
    async with harness.db.sessions.begin() as session:
        for one in made:
            run = await session.get(PlaybookRun, one.run_id)
            retro = await retros.open_for(session, run=run, now=datetime.now(UTC))
            session.add(ProposedChange(workspace_id=run.workspace_id, retro_id=retro.id, run_id=run.id,
                                       playbook_id=run.playbook_id, suggestion="Page two people",
                                       status=ChangeStatus.PROPOSED, kind=ChangeKind.REMOVE, step_key="k"))  # fmt: skip


async def test_decisions_awaiting_me_and_informed_share_the_view_with_many_outcomes(harness) -> None:
    await seed_outcomes(harness, 200)
    for n in range(7):
        await ask(harness, question=f"Which vendor, round {n}?", decider="U0LOCAL", consulted=[])
        await ask(harness, question=f"Which office, round {n}?", decider="U0PRIYA", consulted=[], informed=["U0LOCAL"])
    for n in range(3):
        await harness.slack.command(harness.me, "/action", f"@me write runbook {n} by friday")
    await seed_playbook_asks(harness)

    view = await open_home(harness)

    assert len(view["blocks"]) <= 100  # and the stand-in accepted it, under Slack's own checks
    text = all_text(view["blocks"])
    headers = [all_text([b]) for b in view["blocks"] if b["type"] == "header"]
    # The playbook section, together, with the other things to do: after action items, before decisions.
    assert headers.index("My action items") + 1 == headers.index("My steps")
    assert headers.index("My steps") + 1 == headers.index("Learning from runs")
    assert headers.index("Learning from runs") + 1 == headers.index("Decisions awaiting me")
    assert text.count("*R-1* step") + text.count("*R-2* step") == 5  # the soonest five of six
    assert "*R-3* Checkout down 0 is resolved: write its retrospective (`/playbook retro R-3`)" in text
    assert text.count("waits for you: accept or decline it") == 3
    assert "Decisions awaiting me" in text and "Decisions I'm named in" in text
    assert "Which vendor, round" in text and "Which office, round" in text
    assert "and 2 more: `/decision list mine`" in text
    assert len(sections_with_button(view)) == 15  # the outcomes are still there
