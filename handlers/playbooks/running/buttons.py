"""The runs' buttons: Done / Skip… / Blocked… on a step's DM, the same in the card's menu, Approve / Send back… on
the approver's DM and in the card's menu, and Resolve.

A button's value names the run and the step (`R-4:3`); the service decides whether the presser may (the step's
person, the run's lead or an admin), so a forged press changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import told
from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, refusal_text, tell
from handlers.kit.text import esc, mention
from handlers.playbooks.messages import runs as messages
from handlers.playbooks.running.form_blocks import reason_view, send_back_view
from handlers.playbooks.running.ids import RunIds
from models import Person, Workspace
from models.playbook_run import StepStatus
from services.errors import Forbidden, Invalid, NotNow
from services.playbooks import run_changes, runs


def parse_value(value: str) -> tuple[str, int] | None:
    ref, _, position = value.rpartition(":")
    return (ref, int(position)) if ref and position.isdigit() else None


async def step_pressed(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient,
                       db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    """Done at once; Skip and Blocked open a form asking the reason (at once, with the trigger)."""
    await ack()
    if action.get("type") == "overflow":
        what, _, value = str((action.get("selected_option") or {}).get("value") or "").partition(":")
    else:
        what = {RunIds.DONE.value: "done", RunIds.SKIP.value: "skip", RunIds.BLOCKED.value: "blocked"}.get(
            action.get("action_id", ""), ""
        )
        value = str(action.get("value") or "")
    if what in ("approve", "sendback"):  # the card's menu on a step awaiting approval, as the approver's DM
        await (approve if what == "approve" else send_back)(body, respond, client, db, workspace, person, now, value)
        return
    found = parse_value(value)
    if found is None or what not in ("done", "skip", "blocked"):
        return
    ref, position = found
    if what != "done":
        refused = await refusal_before_reason(db, workspace, person, ref, position)
        if refused:
            await tell(body, respond, client, refused)
            return
        meta = encode_meta(run=ref, position=position, status="skipped" if what == "skip" else "blocked")
        error = await open_view(client, body["trigger_id"], reason_view(ref, position, what == "skip", meta))
        if error:
            await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")
        return
    await tell(body, respond, client, await mark_done(db, workspace, person, ref, position, now))


async def refusal_before_reason(db: AsyncSession, workspace: Workspace, person: Person, ref: str,
                                position: int) -> str | None:  # fmt: skip
    """Skip or Blocked by someone who may not, or on a step already closed, is refused before the reason is
    asked, in a message that mentions who may (as Done's refusal does)."""
    run = await runs.get_run(db, workspace_id=workspace.id, ref=ref)
    if run is None:
        return f"I can't find {esc(ref[:20])} in this workspace."
    try:
        await run_changes.refuse_before_reason(db, run=run, position=position, actor=person)
    except (Forbidden, NotNow) as exc:
        return refusal_text(exc)
    return None


async def mark_done(db: AsyncSession, workspace: Workspace, person: Person, ref: str, position: int,
                    now: datetime) -> str:  # fmt: skip
    run = await runs.get_run(db, workspace_id=workspace.id, ref=ref, lock=True)
    if run is None:
        return f"I can't find {esc(ref[:20])} in this workspace."
    try:
        change = await run_changes.change_step(db, run=run, position=position, actor=person, status=StepStatus.DONE,
                                               now=now)  # fmt: skip
    except (Forbidden, NotNow, Invalid) as exc:
        return refusal_text(exc)
    if not change.changed:
        return f"Step {position} of {run.ref} was already done."
    await messages.step_changed(db, run=run, step=change.step, actor=person, resolved=change.resolved, now=now)
    if change.step.status is StepStatus.AWAITING:
        approver = await run_changes.approver_of(db, run, change.step)
        who = mention(approver.slack_user_id) if approver else "its approver"
        later = await told.held(db, person=approver, now=now) if approver else None
        asked = f"they will be asked: {later}" if later else "they have been asked"
        return f"Step {position} of {run.ref} now awaits {who}'s approval: {asked}. Thank you!"
    ending = " That was the last one: the run is resolved." if change.resolved else ""
    return f"Step {position} of {run.ref} is done. Thank you!{ending}"


async def approve_pressed(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient,
                          db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    """The approver's Approve: the step is done (and may finish the run)."""
    await ack()
    await approve(body, respond, client, db, workspace, person, now, str(action.get("value") or ""))


async def approve(body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                  person: Person, now: datetime, value: str) -> None:  # fmt: skip
    found = parse_value(value)
    run = await runs.get_run(db, workspace_id=workspace.id, ref=found[0], lock=True) if found else None
    if run is None or found is None:
        return
    try:
        change = await run_changes.decide(db, run=run, position=found[1], actor=person, approve=True, now=now)
    except (Forbidden, NotNow, Invalid) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    await messages.step_changed(db, run=run, step=change.step, actor=person, resolved=change.resolved, now=now)
    ending = " That was the last one: the run is resolved." if change.resolved else ""
    await tell(body, respond, client, f"Approved: step {found[1]} of {run.ref} is done.{ending}")


async def send_back_pressed(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient,
                            db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    """Send back…: a form asks what is missing (checked first, so nobody writes a reason in vain)."""
    await ack()
    await send_back(body, respond, client, db, workspace, person, now, str(action.get("value") or ""))


async def send_back(body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                    workspace: Workspace, person: Person, now: datetime, value: str) -> None:  # fmt: skip
    found = parse_value(value)
    run = await runs.get_run(db, workspace_id=workspace.id, ref=found[0]) if found else None
    if run is None or found is None:
        return
    try:
        await run_changes.refuse_before_decision(db, run=run, position=found[1], actor=person)
    except (Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    meta = encode_meta(run=run.ref, position=found[1], status="sent_back")
    error = await open_view(client, body["trigger_id"], send_back_view(found[1], meta))
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")


async def resolve_pressed(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond, client: AsyncWebClient,
                          db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    run = await runs.get_run(db, workspace_id=workspace.id, ref=str(action.get("value") or ""), lock=True)
    if run is None:
        return
    try:
        await run_changes.resolve(db, run=run, actor=person, now=now)
    except (Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    await messages.run_resolved(db, run=run, actor=person, automatic=False, now=now)
    await tell(body, respond, client, f"{run.ref} is resolved. Its card now offers the retrospective.")


async def status_posted_pressed(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond,
                                client: AsyncWebClient, db: AsyncSession, workspace: Workspace, person: Person,
                                now: datetime) -> None:  # fmt: skip
    """The lead's status update is out: the timeline says so and the next reminder waits a whole interval."""
    await ack()
    run = await runs.get_run(db, workspace_id=workspace.id, ref=str(action.get("value") or ""), lock=True)
    if run is None:
        return
    try:
        await run_changes.status_posted(db, run=run, actor=person, now=now)
    except (Forbidden, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    every = run.status_every_minutes
    await tell(body, respond, client, f"Noted. The next reminder for {run.ref} comes in {every} minutes.")
