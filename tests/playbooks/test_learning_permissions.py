"""Who may do what in the learning loop, and what another workspace can see: the run's lead, the playbook's owner
or an admin writes the retrospective and proposes changes; only the owner or an admin accepts; another workspace's
R-1 (by ref or by the resolved card's run id) is not found; a run still active has no retrospective yet."""

from __future__ import annotations

import pytest

from handlers.playbooks.learning.ids import LearningIds
from models import ChangeStatus, ProposedChange, Retro, RunStatus
from tests.support.decisions import install_clock, private_answers
from tests.support.playbook_learning import (
    START,
    change_values,
    playbook_row,
    press,
    resolved_run,
    retro_values,
    rows,
    submit_opened,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")


@pytest.fixture
async def sam(harness, clock):
    """Sam works here, is no admin, and neither leads the run nor owns the playbook."""
    clock.set(START)
    install_clock(harness, clock)
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Stone", tz="Europe/London")
    return harness.actor("U0SAM")


async def said_to(harness, actor, text: str) -> str:
    response = await harness.slack.command(actor, "/playbook", text)
    assert response.status_code == 200, response.text
    return response.json().get("text", "") if response.content else ""


async def test_only_the_lead_the_owner_or_an_admin_writes_the_retrospective(harness, sam, db) -> None:
    made = await resolved_run(db, lead="U0PRIYA", owner="U0ALEX")
    opened = len(harness.standin.calls_to("views.open"))
    said = await said_to(harness, sam, f"retro {made.run_ref}")  # Sam may read it once written, not write it
    assert said.startswith("The retrospective of R-1 is not written yet: its lead is asked to write it.")
    await press(harness, sam, LearningIds.OPEN_RETRO, str(made.run_id))
    assert "is not written yet" in private_answers(harness)[-1]
    assert len(harness.standin.calls_to("views.open")) == opened

    for actor in (harness.actor("U0PRIYA"), harness.actor("U0ALEX"), harness.me):  # lead, owner, admin
        assert await said_to(harness, actor, f"retro {made.run_ref}") == ""
    assert len(harness.standin.calls_to("views.open")) == opened + 3
    answer = await submit_opened(harness, retro_values(went_well="Calm", suggestions="Page two people"), actor=sam)
    assert "Only <" not in str(answer) and "the run's lead" in answer["errors"]["retro_suggestions"]
    assert await rows(harness, ProposedChange) == []


async def test_only_the_owner_or_an_admin_accepts_a_proposed_change(harness, sam, db) -> None:
    made = await resolved_run(db, lead="U0PRIYA", owner="U0ALEX")
    priya = harness.actor("U0PRIYA")
    await said_to(harness, priya, f"retro {made.run_ref}")
    await submit_opened(harness, retro_values(went_well="Calm", suggestions="Page two people"), actor=priya)
    [change] = await rows(harness, ProposedChange)
    await press(harness, sam, LearningIds.PROPOSE, change.token)
    assert "Only the run's lead" in private_answers(harness)[-1]
    await press(harness, priya, LearningIds.PROPOSE, change.token)
    assert (
        await submit_opened(harness, change_values("add", "+5 min | Page two people | incident lead"), actor=priya)
    )["response_action"] == "update"

    for refused in (sam, priya):  # the lead proposes; the owner decides
        await press(harness, refused, LearningIds.ACCEPT, change.token)
        assert "Only <@U0ALEX> (the playbook's owner), or a workspace admin" in private_answers(harness)[-1]
    assert (await playbook_row(harness, made.playbook_ref)).current_version == 1
    await press(harness, harness.actor("U0ALEX"), LearningIds.ACCEPT, change.token)
    [change] = await rows(harness, ProposedChange)
    assert change.status is ChangeStatus.ACCEPTED
    assert (await playbook_row(harness, made.playbook_ref)).current_version == 2


async def test_another_workspaces_run_is_not_found_by_ref_or_by_id(harness, sam, db) -> None:
    theirs = await resolved_run(db, team_id="T0OTHER", owner="U0OTHER", lead="U0OTHER")
    assert theirs.run_ref == "R-1"
    said = await said_to(harness, harness.me, "retro R-1")
    assert said.startswith("R-1 is not a run here")
    await press(harness, harness.me, LearningIds.OPEN_RETRO, str(theirs.run_id))
    assert private_answers(harness)[-1].startswith("That is no longer here")
    assert harness.standin.calls_to("views.open") == [] and await rows(harness, Retro) == []


async def test_an_active_run_has_no_retrospective_yet(harness, sam, db) -> None:
    made = await resolved_run(db, status=RunStatus.ACTIVE)
    said = await said_to(harness, harness.me, f"retro {made.run_ref}")
    assert said == "R-1 is still active: its retrospective opens once it is resolved."
    assert await said_to(harness, harness.me, "retro") == (
        "Name the run: `/playbook retro R-4` opens the retrospective of a resolved run."
    )
