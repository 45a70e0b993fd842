"""The runs' form submissions: starting a run, and the reason for skipping or blocking a step."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import profiles
from handlers.kit.forms import decode_meta, field_errors, state_of, typed
from handlers.kit.replies import error_text
from handlers.kit.text import esc
from handlers.playbooks.messages import runs as messages
from handlers.playbooks.running.form_blocks import done_view
from handlers.playbooks.running.ids import RunIds, role_block
from models import Person, PlaybookRun, Workspace
from models.playbook_run import StepStatus
from services.errors import Forbidden, Invalid, NotNow
from services.playbooks import run_changes, run_schedule, runs
from services.playbooks.runs import RunField, RunForm, role_field

FIELD_BLOCKS = {
    RunField.TITLE: RunIds.TITLE.value,
    RunField.LEAD: RunIds.LEAD.value,
    RunField.ANCHOR: RunIds.ANCHOR.value,
    RunField.CHANNEL: RunIds.CHANNEL.value,
    RunField.STATUS_EVERY: RunIds.STATUS_EVERY.value,
}


def form_from_state(values: dict, roles: list[str]) -> RunForm:
    return RunForm(
        title=typed(values, RunIds.TITLE),
        lead=state_of(values, RunIds.LEAD).get("selected_user"),
        anchor=typed(values, RunIds.ANCHOR),
        channel=state_of(values, RunIds.CHANNEL).get("selected_conversation"),
        status_every=str(state_of(values, RunIds.STATUS_EVERY).get("value") or ""),
        roles={role: state_of(values, role_block(i)).get("selected_user") for i, role in enumerate(roles)},
    )


async def run_started(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                      person: Person, now: datetime) -> None:  # fmt: skip
    meta = decode_meta(view.get("private_metadata"))
    roles = [str(r) for r in meta.get("roles") or []]
    form = form_from_state(view["state"]["values"], roles)
    await profiles.refresh_named(client, db, workspace, [form.lead, *form.roles.values()], now)
    blocks = FIELD_BLOCKS | {role_field(role): role_block(i) for i, role in enumerate(roles)}
    try:
        run = await runs.start(db, workspace=workspace, starter=person, ref=str(meta.get("pb") or ""), form=form,
                               now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, blocks, RunIds.TITLE.value))
        return
    except NotNow as exc:
        await ack(response_action="errors", errors={RunIds.TITLE.value: error_text(exc)})
        return
    await messages.post_card(db, run=run, starter=person, now=now)
    text = f"*{run.ref}* {esc(run.title)} started; its checklist goes to <#{run.channel_id}>."
    text += await _past_due(db, run, now)
    await ack(response_action="update", view=done_view(f"{run.ref} started", text))


async def _past_due(db: AsyncSession, run: PlaybookRun, now: datetime) -> str:
    """The start's warning about steps whose moment had already passed; their people are told in one message
    each (two or more) rather than one DM per step at once."""
    late = run_schedule.past_due(await runs.steps_of(db, run=run), now)
    if not late:
        return ""
    playbook, _ = await runs.pinned_of(db, run=run)
    await messages.tell_overdue_at_start(db, run=run, kind=playbook.kind, now=now)
    numbers = ", ".join(str(s.position) for s in late[:20]) + ("…" if len(late) > 20 else "")
    which = f"step {numbers} is" if len(late) == 1 else f"steps {numbers} are"
    return (f"\n:warning: {which} already past due: their people each get one message listing theirs, as their "
            "working hours and today's share of messages allow.")  # fmt: skip


async def reason_given(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                       now: datetime) -> None:  # fmt: skip
    meta = decode_meta(view.get("private_metadata"))
    status = StepStatus.SKIPPED if meta.get("status") == "skipped" else StepStatus.BLOCKED
    sending_back = meta.get("status") == "sent_back"
    reason = typed(view["state"]["values"], RunIds.REASON)
    run = await runs.get_run(db, workspace_id=workspace.id, ref=str(meta.get("run") or ""), lock=True)
    if run is None:
        await ack(response_action="errors", errors={RunIds.REASON.value: "That run is gone."})
        return
    try:
        position = int(meta.get("position") or 0)
        if sending_back:
            change = await run_changes.decide(db, run=run, position=position, actor=person, approve=False,
                                              reason=reason, now=now)  # fmt: skip
        else:
            change = await run_changes.change_step(db, run=run, position=position, actor=person, status=status,
                                                   reason=reason, now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors={RunIds.REASON.value: " ".join(exc.errors.values())})
        return
    except (Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors={RunIds.REASON.value: error_text(exc)})
        return
    if change.changed:
        await messages.step_changed(db, run=run, step=change.step, actor=person, resolved=change.resolved, now=now)
    word = "skipped" if status is StepStatus.SKIPPED else "marked blocked"
    word = "sent back to its person" if sending_back else word
    text = f"Step {change.step.position} of *{run.ref}* is {word}; the run's thread says why."
    await ack(response_action="update", view=done_view(f"Step {change.step.position} saved", text))
