"""Helpers for the learning loop's tests (no tests here): a playbook with a published version and a run made
directly with the models and services (the library and running parts arrive separately), the retrospective and
experiment forms, their buttons, and the learning job and the sender on a movable clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from handlers.playbooks.learning.ids import LearningIds
from models import (
    Experiment,
    Person,
    Playbook,
    PlaybookKind,
    PlaybookRun,
    PlaybookVersion,
    ProposedChange,
    Retro,
    RunStatus,
)
from models.playbook_run import RUN_PREFIX
from scheduler import playbook_learning as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from services import people
from services.playbooks import versions
from services.refs import next_number
from tests.support.outcomes import opened_view

# Monday 30 November 2026, 14:00 UTC (09:00 in New York, 15:00 in Berlin).
START = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
NAMES = {"U0LOCAL": "Dana Scully", "U0ALEX": "Alex Meyer", "U0PRIYA": "Priya Raman"}
STEPS = [
    ("+0", "Open the incident channel", "incident lead"),
    ("+15 min", "Post the first status update", "comms"),
    ("+60 min", "Check the dashboards again", "incident lead"),
]


@dataclass
class Made:
    playbook_ref: str
    run_ref: str
    run_id: int


async def person(session, workspace, slack_user_id: str) -> Person:
    found = await people.ensure_person(session, workspace=workspace, slack_user_id=slack_user_id)
    found.display_name = found.display_name or NAMES.get(slack_user_id)
    return found


def step(timing: str, title: str, role: str) -> dict[str, Any]:
    return {"key": versions.new_step_key(), "title": title, "details": "", "role": role, "person_id": None,
            "timing": timing, "approval_role": None, "link": None}  # fmt: skip


async def resolved_run(db, *, team_id: str = "T0LOCAL", kind: PlaybookKind = PlaybookKind.INCIDENT,
                       owner: str = "U0ALEX", lead: str = "U0LOCAL", status: RunStatus = RunStatus.RESOLVED,
                       at: datetime = START, title: str = "Checkout down",
                       name: str | None = None) -> Made:  # fmt: skip
    """PB-n with v1 published by its owner, and R-n on v1 led by `lead`, resolved at `at` (or as `status` says)."""
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id=team_id)
        owner_p, lead_p = await person(session, workspace, owner), await person(session, workspace, lead)
        for other in NAMES:
            if team_id == "T0LOCAL":
                await person(session, workspace, other)
        name = name or {PlaybookKind.INCIDENT: "Incident response", PlaybookKind.ONBOARDING: "Onboarding"}.get(
            kind, "Launch"
        )
        playbook = await versions.create(session, workspace=workspace, owner=owner_p, name=name, kind=kind, now=at)
        v1 = await versions.publish(session, playbook=playbook, steps=[step(*s) for s in STEPS],
                                    changelog="First version", by=owner_p, now=at)  # fmt: skip
        number = await next_number(session, workspace_id=workspace.id, kind=RUN_PREFIX)
        run = PlaybookRun(
            workspace_id=workspace.id,
            number=number,
            playbook_id=playbook.id,
            version_id=v1.id,
            title=title,
            lead_id=lead_p.id,
            roles={},
            anchor_at=at - timedelta(hours=2),
            zone="America/New_York",
            channel_id="C0GENERAL",
            status=status,
            resolved_at=at if status is RunStatus.RESOLVED else None,
        )
        session.add(run)
        await session.flush()
        return Made(playbook.ref, run.ref, run.id)


def text_state(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def option_state(kind: str, value: str | None) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"type": kind, "selected_option": option}


def state(block: LearningIds, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block.value: {block.value: value}}


def retro_values(*, suggestions: str = "", actions: str = "", experiments: str = "",
                 **sections: str) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The retro form's state: sections by name (what_happened=..., went_well=...) and the three line fields."""
    values: dict[str, dict[str, Any]] = {}
    for name, text in sections.items():
        values |= state(LearningIds(f"retro_{name}"), text_state(text))
    values |= state(LearningIds.SUGGESTIONS, text_state(suggestions or None))
    values |= state(LearningIds.ACTIONS, text_state(actions or None))
    values |= state(LearningIds.EXPERIMENTS, text_state(experiments or None))
    return values


def change_values(kind: str | None, line: str = "", step_key: str | None = None) -> dict[str, dict[str, Any]]:
    return (state(LearningIds.KIND, option_state("radio_buttons", kind))
            | state(LearningIds.STEP, option_state("static_select", step_key))
            | state(LearningIds.LINE, text_state(line or None)))  # fmt: skip


def experiment_values(hypothesis: str = "A shorter sign-up form lifts activation",
                      metric: str | None = "O-1:activation-rate", effect: str = "+5 points in four weeks",
                      ends_on: str | None = "2026-12-14") -> dict:  # fmt: skip
    return (state(LearningIds.HYPOTHESIS, text_state(hypothesis))
            | state(LearningIds.METRIC, option_state("external_select", metric))
            | state(LearningIds.EFFECT, text_state(effect))
            | state(LearningIds.ENDS_ON, {"type": "datepicker", "selected_date": ends_on}))  # fmt: skip


def result_values(result: str | None, learning: str) -> dict:
    return state(LearningIds.RESULT, option_state("radio_buttons", result)) | state(
        LearningIds.LEARNING, text_state(learning)
    )


async def submit_opened(harness, values: dict, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def press(harness, actor, action: LearningIds, value: str, message: dict | None = None):
    element = {"type": "button", "action_id": action.value, "block_id": "b", "value": value,
               "text": {"type": "plain_text", "text": "x"}}  # fmt: skip
    response = await harness.slack.block_action(actor, element, message=message or {"ts": "1.000001"})
    assert response.status_code == 200, response.text
    return response


def buttons_in(message: dict) -> list[dict]:
    found = []
    for block in message.get("blocks") or []:
        found += [e for e in block.get("elements") or [] if e.get("type") == "button"]
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def dms(harness, user: str) -> list[dict]:
    return harness.standin.messages(user)


async def rows(harness, model: type, *where) -> list:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def playbook_row(harness, ref: str) -> Playbook:
    async with harness.db.sessions() as session:
        return await session.scalar(select(Playbook).where(Playbook.number == int(ref.split("-")[1])))


async def versions_of(harness, playbook: Playbook) -> list[PlaybookVersion]:
    return await rows(harness, PlaybookVersion, PlaybookVersion.playbook_id == playbook.id)


class Learning:
    """The learning job and the sender, run by hand on a movable clock."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def job(self) -> int:
        return await jobs.learning_due(self.context)

    async def deliver(self) -> None:
        while (await self.sender.run_once()).claimed:
            pass

    async def at(self, moment: datetime) -> int:
        self.clock.set(moment)
        queued = await self.job()
        await self.deliver()
        return queued


__all__ = ["Experiment", "ProposedChange", "Retro"]
