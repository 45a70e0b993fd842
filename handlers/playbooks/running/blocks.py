"""Runs in Block Kit, pure: the checklist card, its timeline, the step's DM, the thread notes and the Home tab's
"My steps". Every text a person typed (titles, reasons, names) passes `esc` once, here."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from handlers.kit.text import clip, esc, link, mention, plural, slack_moment
from handlers.playbooks.running.ids import RETRO_OPEN, RunIds
from models import Person, Playbook, PlaybookKind, PlaybookRun, PlaybookVersion, RunEvent, RunEventKind, RunStep
from models.playbook_run import StepStatus
from services.playbooks.run_schedule import late_at

MAX_STEPS_SHOWN = 40  # a message holds 50 blocks; the rest are a command away
MARK = {
    StepStatus.PENDING: "◻️",
    StepStatus.DONE: "✅",
    StepStatus.SKIPPED: "⏭️",
    StepStatus.BLOCKED: "⛔",
    StepStatus.AWAITING: "⏳",
}
OPEN = (StepStatus.PENDING, StepStatus.BLOCKED)


def is_late(step: RunStep, now: datetime, kind: PlaybookKind) -> bool:
    """Still open some while after it came due (services.playbooks.run_schedule.late_at): the card says so."""
    return step.status in OPEN and late_at(step, kind) <= now


def progress(steps: list[RunStep], now: datetime, kind: PlaybookKind) -> str:
    """`4/9 done · 1 skipped · 2 late · 1 blocked`: a skipped step is not counted as done."""
    done = sum(1 for s in steps if s.status is StepStatus.DONE)
    skipped = sum(1 for s in steps if s.status is StepStatus.SKIPPED)
    parts = [f"{done}/{len(steps)} done"] + ([f"{skipped} skipped"] if skipped else [])
    late = sum(1 for s in steps if is_late(s, now, kind))
    blocked = sum(1 for s in steps if s.status is StepStatus.BLOCKED)
    if late:
        parts.append(f"{late} late")
    if blocked:
        parts.append(f"{blocked} blocked")
    return " · ".join(parts)


def who(step: RunStep) -> str:
    person = step.assignee
    return mention(person.slack_user_id) if person else "nobody"


def approval(approver: Person | None, step: RunStep | None = None) -> str:
    if approver and step is not None and step.status is StepStatus.AWAITING:
        return f" · awaiting {mention(approver.slack_user_id)}'s approval"
    return f" · needs approval by {mention(approver.slack_user_id)}" if approver else ""


def step_line(step: RunStep, now: datetime, kind: PlaybookKind, *, active: bool = True,
              approver: Person | None = None) -> str:  # fmt: skip
    line = f"{MARK[step.status]} *{step.position}.* {esc(step.title)} · {who(step)}"
    if step.role:
        line += f" ({esc(step.role)})"
    line += approval(approver, step)
    if step.status in OPEN and active:  # a resolved run's open steps were left: no longer due
        line += f" · due {slack_moment(step.due_at)}" + (" · *late*" if is_late(step, now, kind) else "")
    if step.reason:
        said = {StepStatus.SKIPPED: "skipped", StepStatus.BLOCKED: "blocked"}.get(step.status, "sent back")
        line += f"\n      _{said}: {esc(step.reason)}_"
    return line


def _menu(run: PlaybookRun, step: RunStep) -> OverflowMenuElement:
    options = [("Done", "done"), ("Skip…", "skip"), ("Blocked…", "blocked")]
    if step.status is StepStatus.BLOCKED:
        options.pop()
    if step.status is StepStatus.AWAITING:  # for its approver (the press is checked): the DM may be held for hours
        options = [("Approve", "approve"), ("Send back…", "sendback")]
    return OverflowMenuElement(
        action_id=RunIds.STEP_MENU.value,
        options=[Option(text=label, value=f"{what}:{run.ref}:{step.position}") for label, what in options],
    )


def card_text(run: PlaybookRun, steps: list[RunStep], now: datetime, kind: PlaybookKind) -> str:
    state = "resolved" if not run.is_active else progress(steps, now, kind)
    return f"{run.ref} {esc(clip(run.title, 80))}: {state}"


def card_blocks(run: PlaybookRun, playbook: Playbook, pinned: PlaybookVersion, steps: list[RunStep], now: datetime,
                approvers: dict[str, Person] | None = None, retro_done: bool = False) -> list[dict]:  # fmt: skip
    about = (
        f"*{playbook.ref} {pinned.label}* {esc(playbook.name)} · lead {mention(run.lead.slack_user_id)} · "
        f"{'started' if run.anchor_at <= now else 'starts'} {slack_moment(run.anchor_at)}"
    )
    if run.status_every_minutes and run.is_active:
        about += f" · status update every {run.status_every_minutes} min"
    state = f"*{run.status.value.capitalize()}*" if not run.is_active else "*Active*"
    blocks: list = [
        HeaderBlock(text=clip(f"{run.ref} · {run.title}", 150)),
        SectionBlock(text=MarkdownTextObject(text=about)),
        ContextBlock(elements=[MarkdownTextObject(text=f"{state} · {progress(steps, now, playbook.kind)}")]),
    ]
    for step in steps[:MAX_STEPS_SHOWN]:
        menu = (
            _menu(run, step) if run.is_active and (step.status in OPEN or step.status is StepStatus.AWAITING) else None
        )
        line = step_line(step, now, playbook.kind, active=run.is_active, approver=(approvers or {}).get(step.step_key))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=menu))
    if len(steps) > MAX_STEPS_SHOWN:
        more = plural(len(steps) - MAX_STEPS_SHOWN, "more step")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more}: `/playbook {run.ref}`")]))
    if retro_done:  # written: reading it is a command away (the button would open a form to write it again)
        read = f"Read the retrospective: `/playbook retro {run.ref}`"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=read)]))
        return [b.to_dict() for b in blocks]
    if run.is_active:
        button = _resolve_button(run, steps)
    else:
        button = ButtonElement(text="Write the retrospective", action_id=RETRO_OPEN, value=str(run.id), style="primary")
    blocks.append(ActionsBlock(block_id=RunIds.CARD_ACTIONS.value, elements=[button]))
    return [b.to_dict() for b in blocks]


def _resolve_button(run: PlaybookRun, steps: list[RunStep]) -> ButtonElement:
    """Resolve; Slack asks first when steps are still open (resolving leaves them undone for good)."""
    left = sum(1 for s in steps if s.status in OPEN)
    confirm = None
    if left:  # the card is shared, so everyone sees this; it says who may, before anyone confirms
        confirm = ConfirmObject(
            title="Resolve the run?",
            text=f"{plural(left, 'step is', 'steps are')} still open; resolving ends {run.ref} and they stay undone. "
            "Only the run's lead (named above) or a workspace admin can resolve it.",
            confirm="Resolve",
            deny="Keep it open",
        )
    return ButtonElement(text="Resolve", action_id=RunIds.RESOLVE.value, value=run.ref, confirm=confirm)


def card_message(run: PlaybookRun, playbook: Playbook, pinned: PlaybookVersion, steps: list[RunStep], now: datetime,
                 approvers: dict[str, Person] | None = None, retro_done: bool = False) -> dict:  # fmt: skip
    blocks = card_blocks(run, playbook, pinned, steps, now, approvers, retro_done)
    return {"text": card_text(run, steps, now, playbook.kind), "blocks": blocks}


# the timeline ----------------------------------------------------------------------------------------------------

EVENT_WORDS = {
    RunEventKind.STARTED: "started it",
    RunEventKind.STEP_DUE: "step {position} came due; its person was told",
    RunEventKind.STEP_DONE: "marked step {position} done",
    RunEventKind.STEP_SKIPPED: "skipped step {position}",
    RunEventKind.STEP_BLOCKED: "marked step {position} blocked",
    RunEventKind.STEP_REOPENED: "reopened step {position}",
    RunEventKind.STEP_AWAITING: "marked step {position} done; it awaits approval",
    RunEventKind.STEP_SENT_BACK: "sent step {position} back",
    RunEventKind.STATUS_REMINDER: "the lead was reminded to post a status update",
    RunEventKind.STATUS_POSTED: "posted a status update",
    RunEventKind.RESOLVED: "resolved it",
    RunEventKind.CANCELLED: "cancelled it",
}


def event_line(event: RunEvent) -> str:
    words = EVENT_WORDS[event.kind].format(position=event.data.get("position", "?"))
    if event.kind is RunEventKind.STARTED:
        words += f" on {esc(str(event.data.get('playbook', '')))} v{event.data.get('version', '?')}"
    if event.kind is RunEventKind.RESOLVED and event.data.get("automatic"):
        words = "every step is done or skipped: resolved"
    actor = f"{mention(event.actor.slack_user_id)} " if event.actor and event.kind not in _NO_ACTOR else ""
    reason = f": {esc(str(event.data['reason']))}" if event.data.get("reason") else ""
    return f"{slack_moment(event.at)} · {actor}{words}{reason}"


_NO_ACTOR = (RunEventKind.STEP_DUE, RunEventKind.STATUS_REMINDER)


def timeline_blocks(events: list[RunEvent]) -> list[dict]:
    lines = [event_line(e) for e in events[-25:]]
    text = "*Timeline*\n" + "\n".join(lines)
    return [SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))).to_dict()]


# messages ---------------------------------------------------------------------------------------------------------


def link_label(url: str) -> str:
    """A step's link named by where it goes (every link called the same thing told nobody anything)."""
    return clip(url.split("://", 1)[-1].rstrip("/"), 60)


def _when(step: RunStep, now: datetime, kind: PlaybookKind) -> str:
    if is_late(step, now, kind):
        return f"it was due {slack_moment(step.due_at)} and is *late*"
    return f"due {slack_moment(step.due_at)}"


def step_dm(channel: str, run: PlaybookRun, step: RunStep, *, details: str = "", url: str | None = None,
            now: datetime | None = None, kind: PlaybookKind = PlaybookKind.OTHER,
            approver: Person | None = None) -> dict:  # fmt: skip
    """The one DM a step's person gets when it is due, with Done / Skip / Blocked."""
    text = f"Step {step.position} of {run.ref} ({clip(run.title, 80)}) is yours now: {clip(step.title, 150)}"
    body = f"*{run.ref}* {esc(run.title)}\nStep {step.position} is yours now: *{esc(step.title)}*"
    body += f" ({_when(step, now or step.due_at, kind)})"
    if approver and approver.id != step.assignee_id:
        body += f"\nIt needs approval by {mention(approver.slack_user_id)}: Done asks them to approve it."
    elif approver:  # the person approves their own step: Done is done
        body += "\nYou are also its approver: Done is final."
    if details:
        body += f"\n{esc(clip(details, 1500))}"
    if url:
        body += f"\n{link(url, link_label(url))}"
    blocks = [SectionBlock(text=MarkdownTextObject(text=body)), _dm_buttons(run, step)]
    return {"channel": channel, "text": esc(text), "blocks": [b.to_dict() for b in blocks]}


def _dm_buttons(run: PlaybookRun, step: RunStep) -> ActionsBlock:
    value = f"{run.ref}:{step.position}"
    buttons = [
        ButtonElement(text="Done", action_id=RunIds.DONE.value, value=value, style="primary"),
        ButtonElement(text="Skip…", action_id=RunIds.SKIP.value, value=value),
        ButtonElement(text="Blocked…", action_id=RunIds.BLOCKED.value, value=value),
    ]
    if step.status is StepStatus.BLOCKED:
        buttons.pop()
    return ActionsBlock(block_id=RunIds.DM_ACTIONS, elements=buttons)


def step_dm_redrawn(run: PlaybookRun, step: RunStep, actor_id: str) -> dict:
    """The step's DM once someone changed the step: its state and who, and buttons only while it is open."""
    words = {StepStatus.DONE: "done", StepStatus.SKIPPED: "skipped", StepStatus.BLOCKED: "blocked",
             StepStatus.PENDING: "open again", StepStatus.AWAITING: "done, awaiting approval"}[step.status]  # fmt: skip
    state = f"{MARK[step.status]} Step {step.position}, *{esc(step.title)}*: {words} ({mention(actor_id)})"
    if step.reason:
        state += f"\n_{esc(step.reason)}_"
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{run.ref}* {esc(run.title)}\n{state}"))]
    if step.status in OPEN and run.is_active:
        blocks.append(_dm_buttons(run, step))
    text = f"Step {step.position} of {run.ref}: {words}"
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def overdue_dm(channel: str, run: PlaybookRun, steps: list[RunStep]) -> dict:
    """One message for a person's steps already past due when the run started, each with its menu."""
    head = (
        f"*{run.ref}* {esc(run.title)} started with {plural(len(steps), 'step')} of yours already past due. "
        "Each has its menu (Done, Skip…, Blocked…):"
    )
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=head))]
    for step in steps[:MAX_STEPS_SHOWN]:
        line = f"*{step.position}.* {esc(step.title)} · was due {slack_moment(step.due_at)}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=_menu(run, step)))
    text = f"{run.ref}: {plural(len(steps), 'step')} of yours already past due"
    return {"channel": channel, "text": text, "blocks": [b.to_dict() for b in blocks]}


def overdue_dm_closed(run: PlaybookRun, steps: list[RunStep]) -> dict:
    """The past-due list once its run is resolved: each step's state, no menus (they would only be refused)."""
    head = f"*{run.ref}* {esc(run.title)} is resolved; these steps of yours no longer change:"
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=head))]
    lines = [f"*{s.position}.* {esc(s.title)} · {s.status.value}" for s in steps[:MAX_STEPS_SHOWN]]
    blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000))))
    return {"text": f"{run.ref} is resolved: your steps no longer change", "blocks": [b.to_dict() for b in blocks]}


def approval_dm(channel: str, run: PlaybookRun, step: RunStep, actor_id: str) -> dict:
    """The approver's one message for a step done and awaiting them: Approve, or Send back (with a reason)."""
    text = f"Step {step.position} of {run.ref} ({clip(run.title, 80)}) awaits your approval: {clip(step.title, 150)}"
    body = (
        f"*{run.ref}* {esc(run.title)}\nStep {step.position}, *{esc(step.title)}*: {mention(actor_id)} marked it "
        "done. It counts as done once you approve it."
    )
    value = f"{run.ref}:{step.position}"
    buttons = [
        ButtonElement(text="Approve", action_id=RunIds.APPROVE.value, value=value, style="primary"),
        ButtonElement(text="Send back…", action_id=RunIds.SEND_BACK.value, value=value),
    ]
    blocks = [SectionBlock(text=MarkdownTextObject(text=body)), ActionsBlock(elements=buttons)]
    return {"channel": channel, "text": esc(text), "blocks": [b.to_dict() for b in blocks]}


def status_dm(channel: str, run: PlaybookRun) -> dict:
    text = (
        f"Time for a status update on *{run.ref}* {esc(run.title)}: post what changed, what is next and when the "
        f"next update comes, in <#{run.channel_id}>."
    )
    posted = ButtonElement(text="Posted", action_id=RunIds.STATUS_POSTED.value, value=run.ref)
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), ActionsBlock(elements=[posted])]
    return {"channel": channel, "text": text, "blocks": [b.to_dict() for b in blocks]}


def step_note(run: PlaybookRun, step: RunStep, actor_id: str, approver: Person | None = None) -> str:
    """The line in the card's thread for a step change."""
    words = {
        StepStatus.DONE: "marked it done",
        StepStatus.SKIPPED: "skipped it",
        StepStatus.BLOCKED: "marked it blocked",
        StepStatus.PENDING: "reopened it",
        StepStatus.AWAITING: "marked it done",
    }[step.status]
    text = f"Step {step.position}, *{esc(step.title)}*: {mention(actor_id)} {words}"
    if step.reason:
        text += f" ({esc(step.reason)})"
    if step.status is StepStatus.BLOCKED:
        text += f". {mention(run.lead.slack_user_id)}, it needs you."
    elif step.status is StepStatus.AWAITING and approver is not None:
        text += f"; awaiting {mention(approver.slack_user_id)}'s approval"
    return text


def resolved_note(run: PlaybookRun, actor_id: str | None, automatic: bool) -> str:
    if automatic:
        return f"Every step of {run.ref} is done or skipped: it is resolved. Time for the retrospective."
    return f"{mention(actor_id or '')} resolved {run.ref}. Time for the retrospective."


# the Home tab -----------------------------------------------------------------------------------------------------


def home_blocks(found: list[tuple[RunStep, PlaybookRun, PlaybookKind]], now: datetime, *, total: int = 0,
                me: Person | None = None) -> list[dict]:  # fmt: skip
    if not found:
        return []
    lines = []
    for step, run, kind in found:
        late = " · *late*" if is_late(step, now, kind) else ""
        blocked = " · blocked" if step.status is StepStatus.BLOCKED else ""
        if blocked and me is not None and step.assignee_id != me.id:
            blocked = f" · blocked, {who(step)}'s step: it needs you, the lead"
        if step.status is StepStatus.AWAITING:
            blocked = f" · {who(step)} marked it done: it awaits your approval"
        lines.append(
            f"• *{run.ref}* step {step.position}: {esc(step.title)} · due {slack_moment(step.due_at)}{late}{blocked}"
        )
    if total > len(found):
        lines.append(f"…and {total - len(found)} more: each run's card lists them (`/playbook R-n`).")
    blocks = [HeaderBlock(text="My steps"), SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000)))]
    return [b.to_dict() for b in blocks]
