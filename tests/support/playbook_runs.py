"""Helpers for the playbook run tests (no tests here): playbooks published straight through the services (the
library's forms are another part's), runs started through the real /playbook run form, the real buttons, and
the runs' job and the outbox sender run by hand on a movable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from handlers.kit.clock import use_clock
from handlers.playbooks.running.ids import RunIds, role_block
from models import Delivery, PlaybookKind, PlaybookRun, RunEvent, RunStep
from scheduler import playbook_runs as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from services import people, playbooks
from tests.support.outcomes import all_text, opened_view

# Monday 30 November 2026, 14:00 UTC (09:00 in New York, where U0LOCAL lives).
MONDAY = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)

ONBOARDING = [("Laptop and accounts ready", "buddy", "day 1"), ("Meet the team", "new hire", "day 2"),
              ("First pull request merged", "new hire", "week 2")]  # fmt: skip
INCIDENT = [("Open the incident channel and page on-call", "incident lead", "now"),
            ("Tell customers on the status page", "comms", "+15 min"),
            ("Confirm the fix holds", "incident lead", "+1h")]  # fmt: skip


def install_clock(harness, clock: MovableClock) -> None:
    use_clock(harness.app.state.bolt, clock)


def step_dicts(steps: list[tuple[str, str | None, str] | dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps as a version stores them, from (title, role, timing) or from a dict of the fields that differ."""
    made = []
    for step in steps:
        fields = step if isinstance(step, dict) else dict(zip(("title", "role", "timing"), step, strict=True))
        made.append({"key": playbooks.new_step_key(), "details": "", "role": None, "person_id": None,
                     "timing": "day 1", "approval_role": None, "link": None, **fields})  # fmt: skip
    return made


async def make_playbook(harness, steps=ONBOARDING, *, kind: PlaybookKind = PlaybookKind.ONBOARDING,
                        name: str = "Engineer onboarding", team_id: str = "T0LOCAL",
                        owner: str = "U0LOCAL") -> str:  # fmt: skip
    """Publishes v1 of a new playbook; returns its ref."""
    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id=team_id)
        person = await people.ensure_person(session, workspace=workspace, slack_user_id=owner)
        playbook = await playbooks.create(session, workspace=workspace, owner=person, name=name, kind=kind,
                                          now=MONDAY)  # fmt: skip
        await playbooks.publish(session, playbook=playbook, steps=step_dicts(steps), changelog="First version",
                                by=person, now=MONDAY)  # fmt: skip
        return playbook.ref


async def publish_again(harness, ref: str, steps, *, team_id: str = "T0LOCAL") -> None:
    async with harness.db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id=team_id)
        playbook = await playbooks.get(session, workspace_id=workspace.id, ref=ref, lock=True)
        await playbooks.publish(session, playbook=playbook, steps=step_dicts(steps), changelog="Changed",
                                by=None, now=MONDAY)  # fmt: skip


def run_values(roles: list[str], *, people_for: dict[str, str | None], lead: str | None = "U0LOCAL",
               anchor: str = "now", channel: str | None = "C0GENERAL", title: str = "",
               status_every: str | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    values: dict[str, Any] = {
        RunIds.TITLE.value: {"type": "plain_text_input", "value": title or None},
        RunIds.LEAD.value: {"type": "users_select", "selected_user": lead},
        RunIds.ANCHOR.value: {"type": "plain_text_input", "value": anchor},
        RunIds.CHANNEL.value: {"type": "conversations_select", "selected_conversation": channel},
    }
    if status_every is not None:
        values[RunIds.STATUS_EVERY.value] = {"type": "number_input", "value": status_every}
    for index, role in enumerate(roles):
        values[role_block(index)] = {"type": "users_select", "selected_user": people_for.get(role)}
    return {block: {block: state} for block, state in values.items()}


def roles_in_form(view: dict[str, Any]) -> list[str]:
    """The roles the opened form asks for, in order (from its labels: "Who fills “buddy”?")."""
    labels = [b["label"]["text"] for b in view["blocks"] if b.get("block_id", "").startswith("playbook_run_role_")]
    return [label.removeprefix("Who fills “").removesuffix("”?") for label in labels]


async def open_form(harness, ref: str, actor=None) -> dict[str, Any]:
    actor = actor or harness.me
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(actor, "/playbook", f"run {ref}")
    assert response.status_code == 200, response.text
    assert len(harness.standin.calls_to("views.open")) == opened + 1, response.text
    return opened_view(harness, actor=actor)


async def submit_run(harness, ref: str, actor=None, **fields: Any) -> dict:
    """/playbook run <ref>, then the form; returns Slack's answer to the submission."""
    actor = actor or harness.me
    view = await open_form(harness, ref, actor)
    fields.setdefault("people_for", {})
    values = run_values(roles_in_form(view), **fields)
    response = await harness.slack.view_submission(actor, view, values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def start_run(harness, ref: str, actor=None, **fields: Any) -> PlaybookRun:
    body = await submit_run(harness, ref, actor, **fields)
    assert body.get("response_action") == "update", body
    return max(await harness.rows(PlaybookRun), key=lambda r: r.id)


async def steps(harness, run: PlaybookRun) -> list[RunStep]:
    async with harness.db.sessions() as session:
        query = select(RunStep).where(RunStep.run_id == run.id).order_by(RunStep.position)
        return list((await session.scalars(query)).all())


async def timeline(harness, run: PlaybookRun | None = None) -> list[str]:
    async with harness.db.sessions() as session:
        query = select(RunEvent).order_by(RunEvent.at, RunEvent.id)
        if run is not None:
            query = query.where(RunEvent.run_id == run.id)
        return [e.kind.value for e in await session.scalars(query)]


def button(action: RunIds, value: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action.value, "block_id": RunIds.DM_ACTIONS.value, "value": value,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


async def press(harness, actor, action: RunIds, value: str = "R-1:1"):
    response = await harness.slack.block_action(actor, button(action, value), message={"ts": "1.000001"})
    assert response.status_code == 200, response.text
    return response


async def give_reason(harness, actor, action: RunIds, value: str, reason: str) -> dict:
    """Skip… or Blocked…, then the reason form submitted; returns Slack's answer to the submission."""
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, actor, action, value)
    assert len(harness.standin.calls_to("views.open")) == opened + 1
    values = {RunIds.REASON.value: {RunIds.REASON.value: {"type": "plain_text_input", "value": reason}}}
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    return response.json() if response.content else {}


def private_answers(harness) -> list[str]:
    return [c.args.get("text", "") for c in harness.standin.calls if c.method == "response_url"]


def card(harness, channel: str = "C0GENERAL") -> str:
    """What the run's card in the channel reads now (the latest top-level post, as redrawn)."""
    posted = [m for m in harness.standin.messages(channel) if "R-" in m.get("text", "")]
    assert posted, "no card in the channel"
    return all_text(posted[-1].get("blocks") or []) or posted[-1]["text"]


def thread(harness, channel: str = "C0GENERAL") -> list[str]:
    posted = [m for m in harness.standin.messages(channel) if "R-" in m.get("text", "")]
    return [m["text"] for m in harness.standin.messages(channel, posted[-1]["ts"])]


def dms(harness, user: str) -> list[str]:
    return [m["text"] for m in harness.standin.messages(user)]


async def deliveries(harness, prefix: str = "playbook:") -> list[Delivery]:
    return [d for d in await harness.rows(Delivery) if d.key.startswith(prefix)]


class Scheduler:
    """The runs' job and the outbox sender, run by hand the way the runner would."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def job(self) -> int:
        return await jobs.run_due(self.context)

    async def deliver(self) -> int:
        claimed = 0
        while done := (await self.sender.run_once()).claimed:
            claimed += done
        return claimed

    async def run(self) -> int:
        queued = await self.job()
        await self.deliver()
        return queued

    async def at(self, moment: datetime | timedelta) -> int:
        if isinstance(moment, timedelta):
            self.clock.advance(moment)
        else:
            self.clock.set(moment)
        return await self.run()


async def step_row(harness, position: int) -> RunStep:
    """The step at `position` of the (one) run."""
    return (await harness.rows(RunStep, RunStep.position == position))[0]
