"""Helpers for the playbook library tests (no tests here): create and edit playbooks through their forms, ask
/playbook things, press the review DM's buttons, and run the review job and the outbox sender on a movable clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from handlers.playbooks.library.ids import LibraryIds
from models import Playbook, PlaybookVersion
from scheduler import playbook_reviews as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.decisions import install_clock, private_answers
from tests.support.outcomes import opened_view

# Monday 30 November 2026, 08:00 UTC.
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

STEPS = """\
now | Declare the incident | incident lead
+15 min | Roll back the last deploy | incident lead | approval: eng manager | https://wiki.example/rollback
> Check the deploy log first.
+30 min | Post a status update | comms"""


def state(block: LibraryIds, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block.value: {block.value: value}}


def text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def option(value: str | None) -> dict[str, Any]:
    picked = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"type": "static_select", "selected_option": picked}


def new_values(name: str = "Checkout incident", kind: str | None = "incident", owner: str | None = "U0LOCAL",
               review: str = "90", steps: str | None = STEPS, publish: str = "publish") -> dict:  # fmt: skip
    return (
        state(LibraryIds.NAME, text(name))
        | state(LibraryIds.KIND, option(kind))
        | state(LibraryIds.OWNER, {"type": "users_select", "selected_user": owner})
        | state(LibraryIds.REVIEW, text(review))
        | state(LibraryIds.STEPS, text(steps))
        | state(LibraryIds.PUBLISH, {"type": "radio_buttons", "selected_option": option(publish)["selected_option"]})
    )


def edit_values(steps: str, changelog: str | None = None) -> dict:
    return state(LibraryIds.STEPS, text(steps)) | state(LibraryIds.CHANGELOG, text(changelog))


async def say(harness, line: str, actor=None) -> dict:
    """`/playbook <line>`; returns the answer's JSON (text, blocks)."""
    response = await harness.slack.command(actor or harness.me, "/playbook", line)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


def shown(answer: dict) -> str:
    """All the text of an answer: its blocks' text, then the fallback."""
    parts = []
    for block in answer.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("text"):
                parts.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
    return "\n".join(parts) + "\n" + str(answer.get("text") or "")


async def submit(harness, values: dict, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def create(harness, actor=None, line: str = "new", **fields: Any) -> dict:
    """`/playbook new`, then the form submitted with `fields` (see new_values)."""
    await say(harness, line, actor)
    return await submit(harness, new_values(**fields), actor)


async def edit(harness, ref: str, steps: str, changelog: str | None = None, actor=None) -> dict:
    await say(harness, f"edit {ref}", actor)
    return await submit(harness, edit_values(steps, changelog), actor)


def opened_steps(harness) -> str:
    """The steps field of the form opened last, as the person sees it."""
    view = opened_view(harness)
    block = next(b for b in view["blocks"] if b.get("block_id") == LibraryIds.STEPS.value)
    return block["element"].get("initial_value") or ""


async def playbooks(harness) -> list[Playbook]:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(Playbook).order_by(Playbook.id)))


async def versions_of(harness, playbook_id: int) -> list[PlaybookVersion]:
    async with harness.db.sessions() as session:
        query = select(PlaybookVersion).where(PlaybookVersion.playbook_id == playbook_id)
        return list(await session.scalars(query.order_by(PlaybookVersion.number)))


def review_button(action: LibraryIds, ref: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action.value, "block_id": LibraryIds.REVIEW_ACTIONS.value, "value": ref,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


async def press(harness, actor, action: LibraryIds, ref: str = "PB-1"):
    return await harness.slack.block_action(actor, review_button(action, ref), message={"ts": "1.000001"})


class Reviews:
    """The scheduler's work for evergreen reviews, by hand: the job, then the sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def job(self) -> int:
        return await jobs.ask_due(self.context)

    async def deliver(self) -> int:
        claimed = 0
        while done := (await self.sender.run_once()).claimed:
            claimed += done
        return claimed

    async def at(self, moment: datetime) -> int:
        self.clock.set(moment)
        queued = await self.job()
        await self.deliver()
        return queued


def dm_texts(harness, user: str) -> list[str]:
    return [m["text"] for m in harness.standin.messages(user)]


__all__ = ["install_clock", "private_answers"]
