"""Block Kit for decisions: the forms, the card in the channel, the direct messages of the walk, lists, the log,
the timeline and the Home tab's sections. Pure functions of domain objects and plain values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DateTimePickerElement,
    DividerBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UrlInputElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.blocks.outcome import clip, esc, mention
from models import Decision, DecisionEvent, DecisionEventKind, DecisionRole, DecisionStatus, EscalationPolicy
from services.decisions import (
    MAX_CHOICE,
    MAX_CONTEXT,
    MAX_QUESTION,
    MAX_RATIONALE,
    MAX_REASON,
    Field,
    Forbidden,
    HomeDecisions,
    ListScope,
    LogSearch,
)
from services.escalation import DEADLINE_NUDGE, Ping

MAX_SHOWN_RATIONALE = 1500
SNOOZE_CHOICES = (60, 4 * 60, 24 * 60)  # minutes offered, within the policy's limit


class DecisionIds(StrEnum):
    # views
    CREATE_VIEW = "decision_create"
    DECIDE_VIEW = "decision_decide"
    WITHDRAW_VIEW = "decision_withdraw"
    MOVE_VIEW = "decision_move"
    SNOOZE_VIEW = "decision_snooze"
    REOPEN_VIEW = "decision_reopen"
    # inputs: each block id is also its element's action id
    QUESTION = "decision_question"
    CONTEXT = "decision_context"
    LINK = "decision_link"
    OPTIONS = "decision_options"
    DECIDER = "decision_decider"
    RESPONSIBLE = "decision_responsible"
    CONSULTED = "decision_consulted"
    INFORMED = "decision_informed"
    DEADLINE = "decision_deadline"
    POLICY = "decision_policy"
    OUTCOME = "decision_outcome"
    CHOICE = "decision_choice"
    RATIONALE = "decision_rationale"
    REASON = "decision_reason"
    SNOOZE_FOR = "decision_snooze_for"
    # buttons
    CREATE = "decision_create_button"
    DECIDE = "decision_decide_button"
    ASK_INPUT = "decision_ask_input_button"
    ACKNOWLEDGE = "decision_acknowledge_button"
    SNOOZE = "decision_snooze_button"
    MOVE_DEADLINE = "decision_move_button"
    WITHDRAW = "decision_withdraw_button"
    REOPEN = "decision_reopen_button"
    CARD_ACTIONS = "decision_card_actions"


FIELD_BLOCKS: dict[Field, DecisionIds] = {
    Field.QUESTION: DecisionIds.QUESTION,
    Field.CONTEXT: DecisionIds.CONTEXT,
    Field.LINK: DecisionIds.LINK,
    Field.OPTIONS: DecisionIds.OPTIONS,
    Field.DECIDER: DecisionIds.DECIDER,
    Field.RESPONSIBLE: DecisionIds.RESPONSIBLE,
    Field.CONSULTED: DecisionIds.CONSULTED,
    Field.INFORMED: DecisionIds.INFORMED,
    Field.DEADLINE: DecisionIds.DEADLINE,
    Field.POLICY: DecisionIds.POLICY,
    Field.OUTCOME: DecisionIds.OUTCOME,
    Field.CHOICE: DecisionIds.CHOICE,
    Field.RATIONALE: DecisionIds.RATIONALE,
    Field.REASON: DecisionIds.REASON,
    Field.SNOOZE: DecisionIds.SNOOZE_FOR,
}

STATUS_MARK = {DecisionStatus.OPEN: "🗳️", DecisionStatus.DECIDED: "✅", DecisionStatus.WITHDRAWN: "⚪"}
ROLE_LABEL = {
    DecisionRole.RESPONSIBLE: "Responsible",
    DecisionRole.CONSULTED: "Consulted",
    DecisionRole.INFORMED: "Informed",
}


# time, in words ----------------------------------------------------------------------------------------------


def slack_time(moment: datetime) -> str:
    """A date and time each reader sees in their own zone ("Tomorrow at 2:00 PM"); the fallback is UTC."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{moment.astimezone(UTC):%a %-d %b %H:%M} UTC>"


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %-d %b %H:%M}"


def span(length: timedelta) -> str:
    minutes = max(1, int(abs(length.total_seconds()) // 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 36:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = round(minutes / 1440)
    return f"{days} day{'s' if days != 1 else ''}"


def relative(deadline: datetime, now: datetime) -> str:
    """`in 3 hours`, `2 days overdue`: how the deadline stands, in words."""
    if deadline > now:
        return f"in {span(deadline - now)}"
    return f"{span(now - deadline)} overdue"


def deadline_text(decision: Decision, now: datetime, zone: ZoneInfo | None = None) -> str:
    text = slack_time(decision.deadline)
    if decision.is_open:
        text += f" ({relative(decision.deadline, now)})"
    if zone is not None:
        text += f", {local_time(decision.deadline, zone)} for {mention(decision.decider.slack_user_id)} ({zone.key})"
    return text


def status_line(decision: Decision, now: datetime) -> str:
    if decision.status is DecisionStatus.DECIDED:
        return f"✅ Decided: *{esc(decision.chosen_option or '')}*"
    if decision.status is DecisionStatus.WITHDRAWN:
        return "⚪ Withdrawn"
    if decision.deadline <= now:
        return f"🔴 Overdue by {span(now - decision.deadline)}: the escalation path is being walked"
    return f"🟡 Open, due {relative(decision.deadline, now)}"


# small shared pieces -------------------------------------------------------------------------------------------


def forbidden_text(exc: Forbidden, *, plain: bool = False) -> str:
    """Who may do it instead; `plain` for a form's field error, where Slack shows no mentions."""
    if plain:
        names = ", ".join(p.display_name or p.slack_user_id for p in exc.people)
    else:
        names = ", ".join(mention(p.slack_user_id) for p in exc.people)
    who = f"{names} ({exc.role})" if names else exc.role
    return f"Only {who}, or a workspace admin, can {exc.action}. Nothing was changed."


def _button(text: str, action: DecisionIds, decision: Decision, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action, value=decision.ref, style=style)


def _people(decision: Decision, role: DecisionRole) -> str:
    return ", ".join(mention(p.slack_user_id) for p in decision.people_in(role))


def _input(block: DecisionIds, label: str, element: Any, *, optional: bool = False, hint: str | None = None):
    return InputBlock(block_id=block, label=label, optional=optional, hint=hint, element=element)


def _text(block: DecisionIds, label: str, *, optional: bool = False, hint: str | None = None, **kw: Any):
    return _input(block, label, PlainTextInputElement(action_id=block, **kw), optional=optional, hint=hint)


def _modal(callback: DecisionIds, title: str, submit: str, blocks: list, metadata: str) -> dict:
    return View(
        type="modal",
        callback_id=callback,
        title=title,
        submit=submit,
        close="Cancel",
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()


# the forms ------------------------------------------------------------------------------------------------------


def policy_option(policy: EscalationPolicy) -> Option:
    suffix = " (default)" if policy.is_default else ""
    return Option(value=str(policy.id), text=clip(policy.name + suffix, 75))


def decision_form_view(
    *,
    metadata: str,
    policies: list[EscalationPolicy],
    default_policy: EscalationPolicy,
    deadline: datetime,
    zone: str,
    question: str = "",
) -> dict:
    """The form to ask for a decision. The date picker shows the asker's own time (`zone`)."""
    blocks: list = [
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="A decision needs one person who makes the call and a time by which it is made. "
                    "Name who does the work, whose view is sought, and who just needs to know."
                )
            ]
        ),
        _text(
            DecisionIds.QUESTION,
            "Question",
            initial_value=clip(question, MAX_QUESTION) or None,
            max_length=MAX_QUESTION,
            placeholder="Which vendor do we sign the support contract with?",
        ),
        _text(
            DecisionIds.CONTEXT,
            "Context",
            optional=True,
            multiline=True,
            max_length=MAX_CONTEXT,
            placeholder="What is at stake, what is known, what constrains the choice.",
        ),
        _input(
            DecisionIds.LINK,
            "Link to more",
            UrlInputElement(action_id=DecisionIds.LINK, placeholder="https://docs.example.com/vendor-comparison"),
            optional=True,
        ),
        _text(
            DecisionIds.OPTIONS,
            "Options",
            optional=True,
            multiline=True,
            max_length=1000,
            hint="One per line, up to 10. Leave empty to write the decision in your own words.",
        ),
        _input(
            DecisionIds.DECIDER,
            "Decider",
            UserSelectElement(action_id=DecisionIds.DECIDER, placeholder="The one person who decides"),
            hint="Exactly one person, accountable for making the call by the deadline.",
        ),
        _input(
            DecisionIds.DEADLINE,
            "Deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(deadline.timestamp())),
            hint=f"In your time ({zone}). Everyone else, the decider included, sees it in their own.",
        ),
        _input(
            DecisionIds.RESPONSIBLE,
            "Responsible",
            UserMultiSelectElement(action_id=DecisionIds.RESPONSIBLE, placeholder="Who carries it out"),
            optional=True,
        ),
        _input(
            DecisionIds.CONSULTED,
            "Consulted",
            UserMultiSelectElement(action_id=DecisionIds.CONSULTED, placeholder="Whose input is needed first"),
            optional=True,
        ),
        _input(
            DecisionIds.INFORMED,
            "Informed",
            UserMultiSelectElement(action_id=DecisionIds.INFORMED, placeholder="Who needs to know the result"),
            optional=True,
        ),
        _input(
            DecisionIds.POLICY,
            "Escalation path",
            StaticSelectElement(
                action_id=DecisionIds.POLICY,
                options=[policy_option(p) for p in policies[:100]],
                initial_option=policy_option(default_policy),
            ),
            hint="Who is pinged, level by level, if the deadline passes without a decision (/escalation list).",
        ),
        _input(
            DecisionIds.OUTCOME,
            "Outcome it affects",
            ExternalDataSelectElement(action_id=DecisionIds.OUTCOME, placeholder="Search outcomes", min_query_length=0),
            optional=True,
        ),
    ]
    return _modal(DecisionIds.CREATE_VIEW, "Ask for a decision", "Ask", blocks, metadata)


def decide_view(decision: Decision, *, metadata: str) -> dict:
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}"))]
    if decision.options:
        choices = [Option(value=str(i), text=clip(o, 75)) for i, o in enumerate(decision.options)]
        blocks.append(
            _input(DecisionIds.CHOICE, "Decision", RadioButtonsElement(action_id=DecisionIds.CHOICE, options=choices))
        )
    else:
        blocks.append(_text(DecisionIds.CHOICE, "Decision", max_length=MAX_CHOICE, placeholder="What was decided"))
    blocks.append(
        _text(
            DecisionIds.RATIONALE,
            "Rationale",
            multiline=True,
            max_length=MAX_RATIONALE,
            hint="Why this, and what was weighed. It stays with the decision for whoever looks later.",
        )
    )
    return _modal(DecisionIds.DECIDE_VIEW, clip(f"Decide {decision.ref}", 24), "Decide", blocks, metadata)


def withdraw_view(decision: Decision, *, metadata: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        _text(DecisionIds.REASON, "Why withdraw it?", multiline=True, max_length=MAX_REASON),
        ContextBlock(elements=[MarkdownTextObject(text="The reminders stop; the people involved are told why.")]),
    ]
    return _modal(DecisionIds.WITHDRAW_VIEW, clip(f"Withdraw {decision.ref}", 24), "Withdraw", blocks, metadata)


def move_view(decision: Decision, *, metadata: str, zone: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        _input(
            DecisionIds.DEADLINE,
            "New deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(decision.deadline.timestamp())),
            hint=f"In your time ({zone}). Reminders and escalation start over from the new deadline.",
        ),
    ]
    return _modal(DecisionIds.MOVE_VIEW, "Move the deadline", "Move", blocks, metadata)


def reopen_view(decision: Decision, *, metadata: str, deadline: datetime, zone: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        _text(DecisionIds.REASON, "What changed?", multiline=True, max_length=MAX_REASON),
        _input(
            DecisionIds.DEADLINE,
            "New deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(deadline.timestamp())),
            hint=f"In your time ({zone}).",
        ),
    ]
    return _modal(DecisionIds.REOPEN_VIEW, clip(f"Reopen {decision.ref}", 24), "Reopen", blocks, metadata)


def snooze_view(decision: Decision, *, metadata: str, limit: timedelta) -> dict:
    minutes = [m for m in SNOOZE_CHOICES if m <= limit.total_seconds() // 60] or [int(limit.total_seconds() // 60)]
    choices = [Option(value=str(m), text=span(timedelta(minutes=m))) for m in minutes]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        _input(
            DecisionIds.SNOOZE_FOR,
            "Pause the escalation for",
            StaticSelectElement(action_id=DecisionIds.SNOOZE_FOR, options=choices, initial_option=choices[0]),
        ),
        ContextBlock(elements=[MarkdownTextObject(text="If it is still open then, the path goes on where it stood.")]),
    ]
    return _modal(DecisionIds.SNOOZE_VIEW, "Snooze escalation", "Snooze", blocks, metadata)


def done_view(title: str, text: str) -> dict:
    """What a form turns into once it has done its work."""
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()


def created_text(decision: Decision, now: datetime, *, card_note: str | None) -> str:
    lines = [
        f"*{decision.ref}* is asked: {esc(decision.question)}",
        f"{mention(decision.decider.slack_user_id)} decides by {deadline_text(decision, now)}.",
        "They get reminders before the deadline; after it, the escalation path is walked until someone acts.",
    ]
    if card_note:
        lines.append(card_note)
    return "\n".join(lines)


# the card --------------------------------------------------------------------------------------------------------


def summary_blocks(decision: Decision, now: datetime, *, zone: ZoneInfo | None = None) -> list:
    """Question, status, decider and deadline, RACI, options: the part every message about a decision shares."""
    facts = [
        f"*Status* {status_line(decision, now)}",
        f"*Decider* {mention(decision.decider.slack_user_id)}",
        f"*Deadline* {deadline_text(decision, now, zone)}",
    ]
    for role, label in ROLE_LABEL.items():
        if named := _people(decision, role):
            facts.append(f"*{label}* {named}")
    blocks: list = [
        SectionBlock(
            text=MarkdownTextObject(text=f"{STATUS_MARK[decision.status]} *{decision.ref}* {esc(decision.question)}")
        ),
        SectionBlock(text=MarkdownTextObject(text="\n".join(facts))),
    ]
    if decision.options:
        listing = "\n".join(f"{'✅' if o == decision.chosen_option else '•'} {esc(o)}" for o in decision.options)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Options*\n{listing}")))
    if decision.context or decision.link:
        text = esc(clip(decision.context, 1200)) if decision.context else ""
        if decision.link:
            text += ("\n" if text else "") + f"<{decision.link}|More context>"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return blocks


def card_blocks(
    decision: Decision, now: datetime, *, zone: ZoneInfo | None = None, with_buttons: bool = True
) -> list[dict]:
    blocks = summary_blocks(decision, now, zone=zone)
    if decision.status is DecisionStatus.DECIDED and decision.rationale:
        decided_by = f" by {mention(decision.decided_by.slack_user_id)}" if decision.decided_by else ""
        when = slack_time(decision.decided_at) if decision.decided_at else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*Rationale* (decided {when}{decided_by})\n"
                    + esc(clip(decision.rationale, MAX_SHOWN_RATIONALE))
                )
            )
        )
    context = []
    if decision.outcome is not None:
        context.append(f"Affects *{decision.outcome.ref}* {esc(clip(decision.outcome.title, 80))}")
    if decision.created_by is not None:
        context.append(f"Asked by {mention(decision.created_by.slack_user_id)}")
    if decision.policy is not None:
        context.append(f"Escalation path: {esc(decision.policy.name)}")
    if context:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" · ".join(context))]))
    if with_buttons:
        blocks.append(ActionsBlock(block_id=DecisionIds.CARD_ACTIONS, elements=card_buttons(decision, now)))
    return [b.to_dict() for b in blocks]


def card_buttons(decision: Decision, now: datetime) -> list[ButtonElement]:
    if not decision.is_open:
        return [_button("Reopen", DecisionIds.REOPEN, decision)]
    buttons = [_button("Decide", DecisionIds.DECIDE, decision, "primary")]
    if decision.people_in(DecisionRole.CONSULTED):
        buttons.append(_button("Ask for input", DecisionIds.ASK_INPUT, decision))
    if decision.deadline <= now:
        buttons += [
            _button("Acknowledge", DecisionIds.ACKNOWLEDGE, decision),
            _button("Snooze", DecisionIds.SNOOZE, decision),
        ]
    buttons += [
        _button("Move deadline", DecisionIds.MOVE_DEADLINE, decision),
        _button("Withdraw", DecisionIds.WITHDRAW, decision, "danger"),
    ]
    return buttons


def card_text(decision: Decision) -> str:
    state = {DecisionStatus.OPEN: "open", DecisionStatus.DECIDED: "decided", DecisionStatus.WITHDRAWN: "withdrawn"}
    return f"{decision.ref} · {esc(clip(decision.question, 150))} ({state[decision.status]})"


def card_message(decision: Decision, now: datetime, *, zone: ZoneInfo | None = None) -> dict[str, Any]:
    """chat.postMessage / chat.update arguments (without channel and ts)."""
    return {"text": card_text(decision), "blocks": card_blocks(decision, now, zone=zone)}


# the timeline ----------------------------------------------------------------------------------------------------


def event_line(event: DecisionEvent, people: Mapping[int, str]) -> str:
    """One line of history; `people` maps Person ids to Slack user ids."""
    who = mention(event.actor.slack_user_id) if event.actor is not None else "Followthrough"
    data = event.data or {}

    def named(ids: list[int]) -> str:
        return ", ".join(mention(people[i]) for i in ids if i in people) or "nobody"

    def until() -> str:
        return slack_time(datetime.fromisoformat(data["until"])) if data.get("until") else "later"

    kind = event.kind
    if kind is DecisionEventKind.CREATED:
        text = f"{who} asked for the decision"
    elif kind is DecisionEventKind.CONSULTED:
        text = f"{who} asked {named(data.get('people') or [])} for input"
    elif kind is DecisionEventKind.NUDGED:
        when = "at the deadline" if data.get("number") == DEADLINE_NUDGE else "before the deadline"
        text = f"Reminded {named(data.get('people') or [])} {when}"
    elif kind is DecisionEventKind.ESCALATED:
        repeat = f", again ({data.get('repeat')})" if data.get("repeat") else ""
        targets = [named(data.get("people") or [])] if data.get("people") else []
        if data.get("reminded"):
            targets.insert(0, f"{named(data['reminded'])} (reminded at the deadline)")
        if data.get("channel"):
            targets.append("the channel")
        text = f"Escalated to level {data.get('number')}{repeat}: {', '.join(targets) or 'the thread only'}"
    elif kind is DecisionEventKind.ACKNOWLEDGED:
        text = f"{who} acknowledged; escalation paused until {until()}"
    elif kind is DecisionEventKind.SNOOZED:
        text = f"{who} snoozed the escalation until {until()}"
    elif kind is DecisionEventKind.DECIDED:
        text = f"{who} decided *{esc(data.get('option', ''))}*: {esc(clip(data.get('rationale', ''), 200))}"
    elif kind is DecisionEventKind.WITHDRAWN:
        text = f"{who} withdrew it: {esc(clip(data.get('reason', ''), 200))}"
    elif kind is DecisionEventKind.REOPENED:
        text = f"{who} reopened it: {esc(clip(data.get('reason', ''), 200))}"
    else:
        moved = datetime.fromisoformat(data["deadline"]) if data.get("deadline") else None
        text = f"{who} moved the deadline" + (f" to {slack_time(moved)}" if moved else "")
    if data.get("skipped"):
        text += f" (skipped {named(data['skipped'])}: no longer in this Slack workspace)"
    return f"{slack_time(event.at)} · {text}"


def timeline_blocks(events: list[DecisionEvent], people: Mapping[int, str], *, limit: int = 25) -> list[dict]:
    if not events:
        return []
    shown = events[-limit:]
    lines = [event_line(e, people) for e in shown]
    more = f"_{len(events) - len(shown)} earlier entries not shown_\n" if len(events) > len(shown) else ""
    text = clip(more + "\n".join(lines), 2900)
    return [DividerBlock().to_dict(), SectionBlock(text=MarkdownTextObject(text=f"*History*\n{text}")).to_dict()]


# messages of the walk, and to the people involved -------------------------------------------------------------


def _dm(channel: str, text: str, blocks: list) -> dict[str, Any]:
    return {"channel": channel, "text": text, "blocks": [b if isinstance(b, dict) else b.to_dict() for b in blocks]}


def asked_dm(decision: Decision, role: DecisionRole | None, recipient: str, now: datetime) -> dict[str, Any]:
    """Told once, when the decision is asked: the decider (role None), the responsible, consulted and informed."""
    asker = mention(decision.created_by.slack_user_id) if decision.created_by else "Someone"
    due = deadline_text(decision, now)
    decider = mention(decision.decider.slack_user_id)
    if role is None:
        text = f"🗳️ {asker} asks you to decide *{decision.ref}* by {due}."
        buttons = [_button("Decide", DecisionIds.DECIDE, decision, "primary")]
    elif role is DecisionRole.CONSULTED:
        text = (
            f"{asker} wants your input on *{decision.ref}* before {decider} decides by {due}. "
            "Share it in the card's thread."
        )
        buttons = []
    elif role is DecisionRole.RESPONSIBLE:
        text = f"You are responsible for carrying out *{decision.ref}* once {decider} decides it, by {due}."
        buttons = []
    else:
        text = f"For your information: {decider} decides *{decision.ref}* by {due}. You'll hear the result."
        buttons = []
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), *summary_blocks(decision, now)[:1]]
    if buttons:
        blocks.append(ActionsBlock(block_id=DecisionIds.CARD_ACTIONS, elements=buttons))
    return _dm(recipient, text, blocks)


def closed_dm(decision: Decision, recipient: str, reason: str | None = None) -> dict[str, Any]:
    """Told once, when it is decided (or withdrawn)."""
    if decision.status is DecisionStatus.DECIDED:
        text = f"✅ *{decision.ref}* is decided: *{esc(decision.chosen_option or '')}*"
        detail = f"*Why*\n{esc(clip(decision.rationale or '', MAX_SHOWN_RATIONALE))}"
    else:
        text = f"⚪ *{decision.ref}* was withdrawn without a decision"
        detail = f"*Why*\n{esc(clip(reason or '', MAX_SHOWN_RATIONALE))}"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"{text}\n{esc(decision.question)}")),
        SectionBlock(text=MarkdownTextObject(text=detail)),
    ]
    return _dm(recipient, f"{text}: {esc(clip(decision.question, 150))}", blocks)


def nudge_dm(decision: Decision, ping: Ping, recipient: str, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    if ping.number == DEADLINE_NUDGE:
        text = f"⏰ *{decision.ref}* is due now and waits on you: {esc(decision.question)}"
        hint = "Decide now, or move the deadline if it needs longer. If it stays open, the escalation path starts."
    else:
        due = relative(decision.deadline, now)
        text = f"⏳ Reminder: *{decision.ref}* is yours to decide {due}: {esc(decision.question)}"
        hint = f"The deadline is {local_time(decision.deadline, zone)} your time."
    buttons = [
        _button("Decide", DecisionIds.DECIDE, decision, "primary"),
        _button("Move deadline", DecisionIds.MOVE_DEADLINE, decision),
    ]
    if decision.people_in(DecisionRole.CONSULTED):
        buttons.insert(1, _button("Ask for input", DecisionIds.ASK_INPUT, decision))
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
        ActionsBlock(block_id=DecisionIds.CARD_ACTIONS, elements=buttons),
    ]
    return _dm(recipient, text, blocks)


def level_dm(decision: Decision, ping: Ping, recipient: str, now: datetime, *, ack_window: timedelta) -> dict[str, Any]:
    is_decider = recipient == decision.decider.slack_user_id
    if is_decider:
        late = span(now - decision.deadline)
        text = f"🚨 *{decision.ref}* is {late} past its deadline and still waits on your decision."
    else:
        text = (
            f"🚨 *{decision.ref}* is {span(now - decision.deadline)} past its deadline without a decision, and you are "
            f"on its escalation path (level {ping.number}). {mention(decision.decider.slack_user_id)} decides."
        )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        *summary_blocks(decision, now),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"*Acknowledge* pauses the escalation for {span(ack_window)}; *Snooze* for a time you choose. "
                    "If it is still open then, the next level follows."
                )
            ]
        ),
        ActionsBlock(
            block_id=DecisionIds.CARD_ACTIONS,
            elements=[
                _button("Decide", DecisionIds.DECIDE, decision, "primary"),
                _button("Acknowledge", DecisionIds.ACKNOWLEDGE, decision),
                _button("Snooze", DecisionIds.SNOOZE, decision),
            ],
        ),
    ]
    return _dm(recipient, text, blocks)


def thread_note(decision: Decision, ping: Ping, reached: list[str], skipped: list[str]) -> dict[str, Any]:
    """The note under the card for each level (also shown in the channel when the level says so)."""
    again = " again" if ping.repeat else ""
    decider = decision.decider.slack_user_id
    if ping.includes_decider and not decision.decider.is_deleted and decider not in reached:
        reached = [decider, *reached]  # reminded by the deadline nudge a moment ago
    targets = ", ".join(mention(u) for u in reached)
    if ping.in_channel:
        targets = f"{targets} and this channel" if targets else "this channel"
    text = f"⏫ *{decision.ref}* escalated{again} to level {ping.number}: {targets or 'nobody new'}."
    if skipped:
        text += f" Skipped {', '.join(mention(u) for u in skipped)}: no longer in this Slack workspace."
    text += " Decide, acknowledge or snooze it from the card to stop the next level."
    args: dict[str, Any] = {"channel": decision.card_channel or decision.channel_id, "text": text}
    if decision.card_ts:
        args["thread_ts"] = decision.card_ts
        if ping.in_channel:
            args["reply_broadcast"] = True
    return args


def input_request(decision: Decision, consulted: list[str], asker: str, now: datetime) -> dict[str, Any]:
    names = " ".join(mention(u) for u in consulted)
    text = (
        f"{names}: {mention(asker)} asks for your input on *{decision.ref}* before it is decided "
        f"{relative(decision.deadline, now)}. Reply in this thread."
    )
    args: dict[str, Any] = {"channel": decision.card_channel or decision.channel_id, "text": text}
    if decision.card_ts:
        args["thread_ts"] = decision.card_ts
    return args


# lists and the log -------------------------------------------------------------------------------------------------


LIST_TITLES = {
    ListScope.MINE: "Decisions awaiting you",
    ListScope.CHANNEL: "Open decisions asked in this channel",
    ListScope.OVERDUE: "Overdue decisions",
    ListScope.DECIDED: "Recently decided",
}
LIST_EMPTY = {
    ListScope.MINE: "Nothing waits on your decision.",
    ListScope.CHANNEL: "No open decisions here. Ask for one with `/decision`.",
    ListScope.OVERDUE: "Nothing is overdue.",
    ListScope.DECIDED: "Nothing decided yet.",
}


def decision_line(decision: Decision, now: datetime) -> str:
    parts = [f"{STATUS_MARK[decision.status]} *{decision.ref}* {esc(clip(decision.question, 90))}"]
    if decision.status is DecisionStatus.DECIDED:
        parts.append(f"*{esc(clip(decision.chosen_option or '', 60))}*")
        if decision.decided_at:
            parts.append(f"decided {slack_time(decision.decided_at)}")
    else:
        parts.append(f"{mention(decision.decider.slack_user_id)} decides {relative(decision.deadline, now)}")
    return " · ".join(parts)


def list_blocks(decisions: list[Decision], total: int, *, scope: ListScope, now: datetime) -> list[dict]:
    title = LIST_TITLES[scope]
    if not decisions:
        return [SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{LIST_EMPTY[scope]}")).to_dict()]
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{title}* ({total})"))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=decision_line(d, now))) for d in decisions]
    if total > len(decisions):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {total - len(decisions)} more")]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="`/decision D-7` shows one with its history.")]))
    return [b.to_dict() for b in blocks]


def log_blocks(search: LogSearch, now: datetime) -> list[dict]:
    if not search.found:
        text = f"*Decision log: {esc(search.described)}*\nNothing decided matches."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    blocks: list = [
        SectionBlock(text=MarkdownTextObject(text=f"*Decision log: {esc(search.described)}* ({search.total})"))
    ]
    for decision in search.found:
        rationale = esc(clip(decision.rationale or "", 280))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{decision_line(decision, now)}\n>{rationale}")))
    if search.total > len(search.found):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {search.total - len(search.found)} more")]))
    return [b.to_dict() for b in blocks]


# the Home tab -------------------------------------------------------------------------------------------------------


def home_sections(summary: HomeDecisions, now: datetime) -> list[dict]:
    """ "Decisions awaiting me" and "Decisions I'm informed of", for the Home tab."""
    blocks: list = [HeaderBlock(text="Decisions awaiting me")]
    if summary.awaiting:
        for decision in summary.awaiting:
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=decision_line(decision, now)),
                    accessory=_button("Decide", DecisionIds.DECIDE, decision, "primary"),
                )
            )
        if summary.awaiting_total > len(summary.awaiting):
            more = summary.awaiting_total - len(summary.awaiting)
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {more} more: `/decision list mine`")]))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="Nothing waits on your decision.")))
    if summary.informed:
        blocks.append(HeaderBlock(text="Decisions I'm informed of"))
        blocks += [SectionBlock(text=MarkdownTextObject(text=decision_line(d, now))) for d in summary.informed]
        if summary.informed_total > len(summary.informed):
            more = summary.informed_total - len(summary.informed)
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {more} more")]))
    blocks.append(ActionsBlock(elements=[ButtonElement(text="Ask for a decision", action_id=DecisionIds.CREATE)]))
    return [b.to_dict() for b in blocks]
