"""Starting a run: /playbook run PB-1 opens the form at once, the form asks who fills each role, the run pins the
version current at start with each step's person and due moment, and the checklist card reaches the channel."""

from __future__ import annotations

from datetime import UTC, datetime

from models import PlaybookKind, PlaybookRun
from tests.support.outcomes import all_text, opened_view, reply_text
from tests.support.playbook_runs import (
    INCIDENT,
    MONDAY,
    card,
    make_playbook,
    open_form,
    publish_again,
    roles_in_form,
    start_run,
    steps,
    submit_run,
    timeline,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
ROLES = {"buddy": "U0ALEX", "new hire": "U0PRIYA"}


async def test_the_form_asks_for_each_role_of_the_current_version_the_lead_start_and_channel(harness, runs) -> None:
    ref = await make_playbook(harness)
    view = await open_form(harness, ref)

    assert roles_in_form(view) == ["buddy", "new hire"]
    text = all_text(view["blocks"])
    assert "PB-1 v1" in text and "Lead" in text and "Starts" in text and "Channel for the checklist" in text
    assert "Status update every" not in text  # incidents only


async def test_a_run_copies_the_steps_with_their_people_and_due_moments_and_posts_the_card(harness, runs) -> None:
    ref = await make_playbook(harness)
    run = await start_run(harness, ref, people_for=ROLES, anchor="2026-12-04", title="Onboarding: Ada")
    await runs.run()

    assert run.ref == "R-1" and run.title == "Onboarding: Ada" and run.zone == "America/New_York"
    found = await steps(harness, run)
    assert [s.title for s in found] == ["Laptop and accounts ready", "Meet the team", "First pull request merged"]
    # Day 1 is Friday 4 December, 09:00 in New York; day 2 the Monday after; week 2 a week after day 1's Friday.
    assert [s.due_at.astimezone(UTC) for s in found] == [
        datetime(2026, 12, 4, 14, 0, tzinfo=UTC),
        datetime(2026, 12, 7, 14, 0, tzinfo=UTC),
        datetime(2026, 12, 11, 14, 0, tzinfo=UTC),
    ]
    people = {s.position: s.assignee_id for s in found}
    assert people[2] == people[3] != people[1]
    shown = card(harness)
    assert "R-1 · Onboarding: Ada" in shown and "0/3 done" in shown and "PB-1 v1" in shown
    assert "<@U0ALEX>" in shown and "<@U0PRIYA>" in shown
    assert await timeline(harness, run) == ["started"]


async def test_a_form_sent_twice_starts_one_run(harness, runs) -> None:
    ref = await make_playbook(harness)
    view = await open_form(harness, ref)
    from tests.support.playbook_runs import run_values

    values = run_values(roles_in_form(view), people_for=ROLES)
    first = await harness.slack.view_submission(harness.me, view, values)
    again = await harness.slack.view_submission(harness.me, view, values)

    assert first.json()["response_action"] == "update" and again.status_code == 200
    assert [r.ref for r in await harness.rows(PlaybookRun)] == ["R-1"]


async def test_a_missing_role_a_bad_start_and_no_channel_are_refused_on_their_fields(harness, runs) -> None:
    ref = await make_playbook(harness)
    body = await submit_run(harness, ref, people_for={"buddy": "U0ALEX"}, anchor="next tuesday", channel=None)

    assert body["response_action"] == "errors"
    errors = body["errors"]
    assert "new hire" in errors["playbook_run_role_1"]
    assert "2026-12-07" in errors["playbook_run_anchor"]
    assert "channel" in errors["playbook_run_channel"]
    assert await harness.rows(PlaybookRun) == []


async def test_an_incident_asks_how_often_to_remind_and_refuses_nonsense(harness, runs) -> None:
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1 response")
    view = await open_form(harness, ref)
    assert "Status update every" in all_text(view["blocks"])
    people_for = {"incident lead": "U0LOCAL", "comms": "U0ALEX"}

    body = await submit_run(harness, ref, people_for=people_for, status_every="2")
    assert "from 5 to 1440" in body["errors"]["playbook_run_status_every"]

    run = await start_run(harness, ref, people_for=people_for, status_every="20")
    assert run.status_every_minutes == 20 and run.next_status_reminder_at == MONDAY.replace(minute=20)


async def test_a_playbook_never_published_or_unknown_cannot_be_run(harness, runs) -> None:
    response = await harness.slack.command(harness.me, "/playbook", "run PB-9")
    assert "can't find PB-9" in reply_text(response)
    response = await harness.slack.command(harness.me, "/playbook", "run")
    assert "/playbook run PB-2" in reply_text(response)


async def test_a_run_started_on_v2_keeps_v2s_steps_after_v3_is_published(harness, runs) -> None:
    ref = await make_playbook(harness)
    await publish_again(harness, ref, [("Laptop ready", "buddy", "day 1"), ("Coffee with the team", "buddy", "day 3")])
    on_v2 = await start_run(harness, ref, people_for={"buddy": "U0ALEX"})
    await publish_again(harness, ref, [("Only step of v3", "mentor", "day 1")])
    on_v3 = await start_run(harness, ref, people_for={"mentor": "U0PRIYA"})
    await runs.run()

    assert [s.title for s in await steps(harness, on_v2)] == ["Laptop ready", "Coffee with the team"]
    assert [s.title for s in await steps(harness, on_v3)] == ["Only step of v3"]
    response = await harness.slack.command(harness.me, "/playbook", "R-1")
    assert "PB-1 v2" in all_text(response.json()["blocks"]) and "Coffee with the team" in all_text(
        response.json()["blocks"]
    )
    assert opened_view(harness)["blocks"]  # the last form was v3's
