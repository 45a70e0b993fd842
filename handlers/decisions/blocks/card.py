"""The card in the channel (also what `/decision D-7` shows), and the decision's history under it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.decisions.blocks.words import (
    ACKNOWLEDGE,
    ASK_INPUT,
    DECIDE,
    MAX_SHOWN_RATIONALE,
    MOVE_DEADLINE,
    REOPEN,
    ROLE_LABEL,
    SNOOZE,
    STATUS_MARK,
    WITHDRAW,
    Button,
    button_row,
    deadline_text,
    people_in,
    skipped_words,
    slack_time,
    status_line,
)
from handlers.kit.shared_ids import SharedIds
from handlers.kit.text import clip, esc, link, mention
from models import Decision, DecisionEvent, DecisionEventKind, DecisionRole, DecisionStatus
from services.decisions.walk import DEADLINE_NUDGE


def summary_blocks(
    decision: Decision, now: datetime, *, zone: ZoneInfo | None = None, paused_until: datetime | None = None
) -> list:
    """Question, status, decider and deadline, RACI, options: the part every message about a decision shares."""
    facts = [
        f"*Status* {status_line(decision, now, paused_until)}",
        f"*Decider* {mention(decision.decider.slack_user_id)}",
        f"*Deadline* {deadline_text(decision, now, zone)}",
    ]
    for role, label in ROLE_LABEL.items():
        if named := people_in(decision, role):
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
            text += ("\n" if text else "") + link(decision.link, "More context")
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return blocks


def card_blocks(
    decision: Decision,
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    with_buttons: bool = True,
    paused_until: datetime | None = None,
) -> list[dict]:
    """`paused_until`: when an acknowledgement or a snooze holds the escalation (see services.decisions)."""
    blocks = summary_blocks(decision, now, zone=zone, paused_until=paused_until)
    if why := why_block(decision):
        blocks.append(why)
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
        blocks.append(button_row(decision, *card_buttons(decision, now, paused_until)))
    return [b if isinstance(b, dict) else b.to_dict() for b in blocks]


def why_block(decision: Decision) -> SectionBlock | None:
    """The rationale of a decided one, or the reason a withdrawn one was withdrawn."""
    if not decision.rationale or decision.is_open:
        return None
    why = esc(clip(decision.rationale, MAX_SHOWN_RATIONALE))
    if decision.status is DecisionStatus.WITHDRAWN:
        return SectionBlock(text=MarkdownTextObject(text=f"*Why it was withdrawn*\n{why}"))
    decided_by = f" by {mention(decision.decided_by.slack_user_id)}" if decision.decided_by else ""
    when = slack_time(decision.decided_at) if decision.decided_at else ""
    return SectionBlock(text=MarkdownTextObject(text=f"*Rationale* (decided {when}{decided_by})\n{why}"))


FOLLOW_UP: Button = ("Add follow-up", SharedIds.FOLLOW_UP, None)


def card_buttons(decision: Decision, now: datetime, paused_until: datetime | None = None) -> list[Button]:
    if decision.status is DecisionStatus.DECIDED:
        return [FOLLOW_UP, REOPEN]
    if not decision.is_open:
        return [REOPEN]
    buttons = [DECIDE]
    if decision.people_in(DecisionRole.CONSULTED):
        buttons.append(ASK_INPUT)
    if decision.deadline <= now and not (paused_until and paused_until > now):
        buttons += [ACKNOWLEDGE, SNOOZE]
    return [*buttons, MOVE_DEADLINE, WITHDRAW]


def card_text(decision: Decision) -> str:
    state = {DecisionStatus.OPEN: "open", DecisionStatus.DECIDED: "decided", DecisionStatus.WITHDRAWN: "withdrawn"}
    return f"{decision.ref} · {esc(clip(decision.question, 150))} ({state[decision.status]})"


def card_message(
    decision: Decision, now: datetime, *, zone: ZoneInfo | None = None, paused_until: datetime | None = None
) -> dict[str, Any]:
    """chat.postMessage / chat.update arguments (without channel and ts)."""
    return {"text": card_text(decision), "blocks": card_blocks(decision, now, zone=zone, paused_until=paused_until)}


# the timeline ----------------------------------------------------------------------------------------------------


# The keys of an event's data that hold Person ids, shown as the people they are.
NAMED_KEYS = ("people", "skipped", "away", "reminded", "was", "decider")


@dataclass(frozen=True)
class Entry:
    """One event of the timeline, with what its line needs."""

    who: str  # who did it, as a mention
    data: dict[str, Any]
    people: Mapping[int, str]  # Person ids to Slack user ids

    def ids(self, key: str) -> list[str]:
        return [self.people[i] for i in self.data.get(key) or [] if i in self.people]

    def skipped(self) -> list[str]:
        """Who the ping skipped and why; the away with their last away day."""
        days = self.data.get("away_until") or {}
        away = [(self.people[i], _day(days.get(str(i)))) for i in self.data.get("away") or [] if i in self.people]
        return skipped_words(self.ids("skipped"), away)

    def named(self, key: str) -> str:
        ids = self.data.get(key) or []
        return ", ".join(mention(self.people[i]) for i in ids if i in self.people) or "nobody"

    def until(self) -> str:
        return slack_time(datetime.fromisoformat(self.data["until"])) if self.data.get("until") else "later"

    def said(self, key: str) -> str:
        return esc(clip(self.data.get(key, ""), 200))


def nudged(e: Entry) -> str:
    when = "at the deadline" if e.data.get("number") == DEADLINE_NUDGE else "before the deadline"
    return f"Reminded {e.named('people')} {when}"


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def escalated(e: Entry) -> str:
    repeat = f", again ({e.data.get('repeat')})" if e.data.get("repeat") else ""
    if e.data.get("moved_on"):
        return f"Level {e.data.get('number')}{repeat} reached nobody"
    targets = [e.named("people")] if e.data.get("people") else []
    if e.data.get("reminded"):
        targets.insert(0, f"{e.named('reminded')} (reminded at the deadline)")
    if e.data.get("channel"):
        targets.append("the channel")
    return f"Escalated to level {e.data.get('number')}{repeat}: {', '.join(targets) or 'the thread only'}"


def deadline_moved(e: Entry) -> str:
    moved = datetime.fromisoformat(e.data["deadline"]) if e.data.get("deadline") else None
    return f"{e.who} moved the deadline" + (f" to {slack_time(moved)}" if moved else "")


EVENT_TEXT: dict[DecisionEventKind, Callable[[Entry], str]] = {
    DecisionEventKind.CREATED: lambda e: f"{e.who} asked for the decision",
    DecisionEventKind.CONSULTED: lambda e: f"{e.who} asked {e.named('people')} for input",
    DecisionEventKind.NUDGED: nudged,
    DecisionEventKind.ESCALATED: escalated,
    DecisionEventKind.ACKNOWLEDGED: lambda e: f"{e.who} acknowledged; escalation paused until {e.until()}",
    DecisionEventKind.SNOOZED: lambda e: f"{e.who} snoozed the escalation until {e.until()}",
    DecisionEventKind.DECIDED: lambda e: f"{e.who} decided *{esc(e.data.get('option', ''))}*: {e.said('rationale')}",
    DecisionEventKind.WITHDRAWN: lambda e: f"{e.who} withdrew it: {e.said('reason')}",
    DecisionEventKind.REOPENED: lambda e: f"{e.who} reopened it: {e.said('reason')}",
    DecisionEventKind.DEADLINE_MOVED: deadline_moved,
    DecisionEventKind.DECIDER_CHANGED: lambda e: f"{e.who} handed it from {e.named('was')} to {e.named('decider')}",
}


def event_line(event: DecisionEvent, people: Mapping[int, str]) -> str:
    """One line of history; `people` maps Person ids to Slack user ids."""
    who = mention(event.actor.slack_user_id) if event.actor is not None else "Followthrough"
    entry = Entry(who, event.data or {}, people)
    text = EVENT_TEXT[event.kind](entry)
    if skipped := entry.skipped():
        text += f" (skipped {'; '.join(skipped)})"
    if entry.data.get("moved_on"):
        text += f", so level {entry.data.get('number', 0) + 1} followed at once"
    return f"{slack_time(event.at)} · {text}"


def timeline_blocks(events: list[DecisionEvent], people: Mapping[int, str], *, limit: int = 25) -> list[dict]:
    if not events:
        return []
    shown = events[-limit:]
    lines = [event_line(e, people) for e in shown]
    more = f"_{len(events) - len(shown)} earlier entries not shown_\n" if len(events) > len(shown) else ""
    text = clip(more + "\n".join(lines), 2900)
    return [DividerBlock().to_dict(), SectionBlock(text=MarkdownTextObject(text=f"*History*\n{text}")).to_dict()]
