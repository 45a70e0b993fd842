"""What a new team found running playbooks, fixed: approval roles asked for and named, `T` kept on its day, steps
already past due at the start warned about and told once per person, old buttons that no longer apply, Resolve
asking first, the words of the form and the DM, `/playbook R-1 v2`, Home's "My steps" and the written retro."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.playbooks.running.ids import RETRO_OPEN, RunIds
from models import PlaybookKind, PlaybookRun
from models.playbook_run import StepStatus
from services import people
from services.playbooks import retros
from tests.support.outcomes import all_text, reply_text
from tests.support.playbook_runs import (
    MONDAY,
    ONBOARDING,
    card,
    deliveries,
    dms,
    give_reason,
    make_playbook,
    open_form,
    press,
    private_answers,
    roles_in_form,
    start_run,
    step_row,
    steps,
    submit_run,
    thread,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")  # what is told, whatever the hour
ROLES = {"buddy": "U0ALEX", "new hire": "U0PRIYA"}


def dm_of(harness, user: str, words: str) -> dict:
    [message] = [m for m in harness.standin.messages(user) if words in all_text(m.get("blocks") or []) + m["text"]]
    return message


# 7: the approval role ---------------------------------------------------------------------------------------------


async def test_the_form_asks_who_approves_and_the_card_and_dm_name_them(harness, runs) -> None:
    goals = {"title": "Agree goals for the quarter", "role": "manager", "approval_role": "manager's lead"}
    ref = await make_playbook(harness, [goals])
    assert roles_in_form(await open_form(harness, ref)) == ["manager", "manager's lead"]
    refused = await submit_run(harness, ref, people_for={"manager": "U0ALEX"})
    assert "Choose who fills “manager's lead”" in str(refused["errors"])

    await start_run(harness, ref, people_for={"manager": "U0ALEX", "manager's lead": "U0PRIYA"})
    await runs.run()
    assert "needs approval by <@U0PRIYA>" in card(harness)
    assert "needs approval by <@U0PRIYA>" in all_text(dm_of(harness, "U0ALEX", "Agree goals")["blocks"])

    # Done by the step's person waits for the approver (the second trial's finding 4: see test_runs_trial2).
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    await runs.deliver()
    assert (await step_row(harness, 1)).status is StepStatus.AWAITING
    assert any("awaiting <@U0PRIYA>'s approval" in line for line in thread(harness))


# 8: T stays on its day; steps already past due at the start ----------------------------------------------------


async def test_a_weekend_launch_keeps_t_on_its_day_and_the_start_warns_of_past_steps(harness, runs) -> None:
    launch = [("Ship it", "launch lead", "T"), ("Watch the numbers", "launch lead", "T+1d"),
              ("Freeze the scope", "launch lead", "T-14d")]  # fmt: skip
    ref = await make_playbook(harness, launch, kind=PlaybookKind.LAUNCH, name="Launch")
    answer = await submit_run(harness, ref, anchor="2026-12-05")  # a Saturday; the lead is also the launch lead
    run = max(await harness.rows(PlaybookRun), key=lambda r: r.id)

    found = await steps(harness, run)
    # T is Saturday 5 December at 09:00 New York, T+1d the Monday after; T-14d (Saturday) moved to Friday 20th.
    assert [s.due_at.astimezone(UTC) for s in found] == [
        datetime(2026, 12, 5, 14, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 20, 14, 0, tzinfo=UTC),
    ]
    said = all_text(answer["view"]["blocks"])
    assert "step 3 is already past due" in said and "(3)" not in said and "at the start" not in said

    await runs.run()  # a single late step keeps its own DM, which says it is late
    assert "starts <!date" in card(harness) and "started <!date" not in card(harness)  # T is still to come
    assert "is *late*" in all_text(dm_of(harness, "U0LOCAL", "Freeze the scope")["blocks"])


# 9: a backdated incident ------------------------------------------------------------------------------------------


async def test_a_backdated_incident_sends_each_person_one_message_listing_their_past_steps(harness, runs) -> None:
    incident = [("Page on-call", "incident lead", "now"), ("First status update", "comms", "+15 min"),
                ("Second status update", "comms", "+30 min"), ("Roll back", "incident lead", "+1h"),
                ("Write the timeline", "incident lead", "+2h")]  # fmt: skip
    ref = await make_playbook(harness, incident, kind=PlaybookKind.INCIDENT, name="Sev-1")
    answer = await submit_run(harness, ref, people_for={"comms": "U0ALEX"}, anchor="2026-11-29 10:00")
    assert "steps 1, 2, 3, 4, 5 are already past due" in all_text(answer["view"]["blocks"])

    await runs.run()
    assert "started <!date" in card(harness)
    await runs.at(timedelta(minutes=20))
    for user, titles in (("U0LOCAL", ["Page on-call", "Roll back", "Write the timeline"]),
                         ("U0ALEX", ["First status update", "Second status update"])):  # fmt: skip
        told = [t for t in dms(harness, user) if "step" in t.lower()]
        assert len(told) == 1 and "already past due" in told[0], told
        listed = all_text(harness.standin.messages(user)[0]["blocks"])
        assert all(title in listed for title in titles)
    assert sum(1 for d in await deliveries(harness) if d.method == "chat.postMessage" and "step" in d.key) == 2

    menu = {"type": "overflow", "action_id": RunIds.STEP_MENU.value, "block_id": "x",
            "selected_option": {"value": "done:R-1:2", "text": {"type": "plain_text", "text": "Done"}}}  # fmt: skip
    await harness.slack.block_action(harness.actor("U0ALEX"), menu, message={"ts": "1.000001"})  # from the list
    assert (await step_row(harness, 2)).status is StepStatus.DONE


# 12: old buttons, and Resolve asking first ----------------------------------------------------------------------


async def test_a_pressed_dm_is_redrawn_and_a_closed_step_refuses_skip(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness), people_for=ROLES)
    await runs.run()
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    await runs.deliver()

    redrawn = dm_of(harness, "U0ALEX", "Laptop")
    shown = all_text(redrawn["blocks"])
    assert "done (<@U0ALEX>)" in shown and not [b for b in redrawn["blocks"] if b["type"] == "actions"]

    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, harness.me, RunIds.SKIP, "R-1:1")  # an old Skip (the card's menu, another DM)
    assert len(harness.standin.calls_to("views.open")) == opened  # no reason asked for
    assert "Step 1 of R-1 is already done" in private_answers(harness)[-1]
    assert "closed it" in private_answers(harness)[-1]
    assert (await step_row(harness, 1)).status is StepStatus.DONE


async def test_resolve_asks_first_while_steps_are_open(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness), people_for=ROLES)
    await runs.run()
    messages = [m for m in harness.standin.messages("C0GENERAL") if "R-1" in m["text"]]
    [resolve] = [e for b in messages[-1]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert resolve["action_id"] == RunIds.RESOLVE.value
    assert "3 steps are still open" in resolve["confirm"]["text"]["text"]
    assert resolve["confirm"]["confirm"]["text"] == "Resolve"


# 14: words --------------------------------------------------------------------------------------------------------


async def test_the_incident_form_asks_for_the_lead_once(harness, runs) -> None:
    incident = [("Page on-call", "incident lead", "now"), ("Status update", "comms", "+15 min")]
    ref = await make_playbook(harness, incident, kind=PlaybookKind.INCIDENT, name="Sev-1")
    view = await open_form(harness, ref)
    assert roles_in_form(view) == ["comms"] and "Who fills “comms”?" in all_text(view["blocks"])

    run = await start_run(harness, ref, people_for={"comms": "U0ALEX"}, lead="U0PRIYA")
    assert [s.assignee_id for s in await steps(harness, run)][0] == run.lead_id  # the incident lead is the lead


async def test_a_refusal_names_one_person_once_and_resolve_names_no_other_run(harness, runs) -> None:
    ref = await make_playbook(harness, [("Say hello", "lead", "day 1")])
    await start_run(harness, ref)
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    assert "Only <@U0LOCAL> (" in private_answers(harness)[-1]
    assert "<@U0LOCAL>, <@U0LOCAL>" not in private_answers(harness)[-1]

    said = reply_text(await harness.slack.command(harness.me, "/playbook", "resolve R-99"))
    assert "can't find R-99" in said and "R-4" not in said


# 16: a run's version, and Home's "My steps" -----------------------------------------------------------------------


async def test_a_run_with_a_version_says_runs_keep_theirs(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness), people_for=ROLES)
    said = reply_text(await harness.slack.command(harness.me, "/playbook", "R-1 v2"))
    assert "keeps the version it started on" in said


async def test_my_steps_says_how_many_more_and_shows_blocked_steps_waiting_for_the_lead(harness, runs) -> None:
    many = [(f"Read chapter {n}", "new hire", f"day {n}") for n in range(1, 8)]
    await start_run(harness, await make_playbook(harness, many), people_for={"new hire": "U0PRIYA"})
    await give_reason(harness, harness.actor("U0PRIYA"), RunIds.BLOCKED, "R-1:1", "No access to the books")

    await harness.slack.event(harness.actor("U0PRIYA"), {"type": "app_home_opened", "user": "U0PRIYA", "tab": "home"})
    shown = all_text(harness.standin.home("U0PRIYA")["blocks"])
    assert "step 5: Read chapter 5" in shown and "step 6" not in shown and "…and 2 more" in shown

    await harness.slack.event(harness.me, {"type": "app_home_opened", "user": "U0LOCAL", "tab": "home"})
    shown = all_text(harness.standin.home("U0LOCAL")["blocks"])
    assert "*R-1* step 1: Read chapter 1" in shown and "it needs you, the lead" in shown


# the retrospective, once written ----------------------------------------------------------------------------------


async def test_the_card_offers_reading_the_retrospective_once_it_is_written(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness, ONBOARDING[:1]), people_for=ROLES)
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")  # the last step: resolved
    shown = all_text((await harness.slack.command(harness.me, "/playbook", "R-1")).json()["blocks"])
    assert "Write the retrospective" in shown

    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        lead = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        run = await retros.get_run(session, workspace_id=workspace.id, ref="R-1")
        form = retros.RetroForm(sections={"went_well": "Everyone knew their part.", "was_hard": "Nothing much."})
        await retros.save(session, workspace=workspace, run=run, person=lead, form=form, now=MONDAY)

    blocks = (await harness.slack.command(harness.me, "/playbook", "R-1")).json()["blocks"]
    shown = all_text(blocks)
    assert "Read the retrospective: `/playbook retro R-1`" in shown and "Write the retrospective" not in shown
    assert RETRO_OPEN not in str(blocks)
