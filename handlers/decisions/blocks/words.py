"""What every message about a decision shares: time in words, its status, its buttons, its one-line summary."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from handlers.decisions.blocks.ids import DecisionIds
from handlers.kit.text import clip, duration, esc, mention
from handlers.kit.text import slack_moment as slack_time  # the kit's, under the name decisions use
from models import Decision, DecisionRole, DecisionStatus

MAX_SHOWN_RATIONALE = 1500
STATUS_MARK = {DecisionStatus.OPEN: "🗳️", DecisionStatus.DECIDED: "✅", DecisionStatus.WITHDRAWN: "⚪"}
ROLE_LABEL = {
    DecisionRole.RESPONSIBLE: "Responsible",
    DecisionRole.CONSULTED: "Consulted",
    DecisionRole.INFORMED: "Informed",
}


# time, in words ----------------------------------------------------------------------------------------------


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %-d %b %H:%M}"


def skipped_words(left: Iterable[str], away: Iterable[tuple[str, date | None]]) -> list[str]:
    """Why a ping skipped people (Slack user ids), one phrase per reason: "<@U1>: no longer in this Slack
    workspace", "<@U2>, <@U3>: away until Fri 4 Dec" (people back on different days apart)."""
    phrases = []
    if gone := [mention(u) for u in left]:
        phrases.append(f"{', '.join(gone)}: no longer in this Slack workspace")
    by_day: dict[date | None, list[str]] = {}
    for user, until in away:
        by_day.setdefault(until, []).append(mention(user))
    for until, users in by_day.items():
        phrases.append(f"{', '.join(users)}: away" + (f" until {until:%a %-d %b}" if until else " today"))
    return phrases


def relative(deadline: datetime, now: datetime) -> str:
    """`in 3 h`, `2 days overdue`: how the deadline stands, in words."""
    if deadline > now:
        return f"in {duration(deadline - now, rough=True)}"
    return f"{duration(now - deadline, rough=True)} overdue"


def deadline_text(decision: Decision, now: datetime, zone: ZoneInfo | None = None) -> str:
    """The deadline in each reader's time; with `zone` (the decider's), also the decider's own time, unless it
    reads the same as the UTC fallback (it would only repeat it)."""
    text = slack_time(decision.deadline)
    if decision.is_open:
        text += f" ({relative(decision.deadline, now)})"
    if zone is not None and decision.deadline.astimezone(zone).utcoffset():
        text += f"; {local_time(decision.deadline, zone)} for {mention(decision.decider.slack_user_id)} ({zone.key})"
    return text


def status_line(decision: Decision, now: datetime, paused_until: datetime | None = None) -> str:
    """Where it stands; `paused_until`: when an acknowledgement or a snooze holds the escalation."""
    if decision.status is DecisionStatus.DECIDED:
        return f"✅ Decided: *{esc(decision.chosen_option or '')}*"
    if decision.status is DecisionStatus.WITHDRAWN:
        return "⚪ Withdrawn"
    if decision.deadline <= now:
        late = duration(now - decision.deadline, rough=True)
        if paused_until is not None and paused_until > now:
            return f"🟠 Overdue by {late}: the escalation is paused until {slack_time(paused_until)}"
        return f"🔴 Overdue by {late}: the escalation path is being walked"
    return f"🟡 Open, due {relative(decision.deadline, now)}"


def button(text: str, action: DecisionIds, decision: Decision, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action, value=decision.ref, style=style)


Button = tuple[str, str, str | None]  # label, action id, style: one button of a decision, which carries its ref
DECIDE: Button = ("Decide", DecisionIds.DECIDE, "primary")
ACKNOWLEDGE: Button = ("Acknowledge", DecisionIds.ACKNOWLEDGE, None)
SNOOZE: Button = ("Snooze", DecisionIds.SNOOZE, None)
ASK_INPUT: Button = ("Ask for input", DecisionIds.ASK_INPUT, None)
MOVE_DEADLINE: Button = ("Move deadline", DecisionIds.MOVE_DEADLINE, None)
WITHDRAW: Button = ("Withdraw", DecisionIds.WITHDRAW, "danger")
REOPEN: Button = ("Reopen", DecisionIds.REOPEN, None)


def button_row(decision: Decision, *buttons: Button, block_id: str = DecisionIds.CARD_ACTIONS) -> dict[str, Any]:
    """An actions block of the decision's buttons. A row differs between decisions only in the ref its buttons
    carry, so each row is built (and validated) with slack_sdk's models once and then filled in with the ref:
    the scheduler draws thousands of them."""
    row = _row(buttons, block_id)
    return {**row, "elements": [{**b, "text": {**b["text"]}, "value": decision.ref} for b in row["elements"]]}


@cache
def _row(buttons: tuple[Button, ...], block_id: str) -> dict[str, Any]:
    elements = [ButtonElement(text=text, action_id=action, value="D-1", style=style) for text, action, style in buttons]
    return ActionsBlock(block_id=block_id, elements=elements).to_dict()


def people_in(decision: Decision, role: DecisionRole) -> str:
    return ", ".join(mention(p.slack_user_id) for p in decision.people_in(role))


def decision_line(decision: Decision, now: datetime) -> str:
    parts = [f"{STATUS_MARK[decision.status]} *{decision.ref}* {esc(clip(decision.question, 90))}"]
    decider = mention(decision.decider.slack_user_id)
    if decision.status is DecisionStatus.DECIDED:
        parts.append(f"*{esc(clip(decision.chosen_option or '', 60))}*")
        if decision.decided_at:
            parts.append(f"decided {slack_time(decision.decided_at)}")
    elif decision.status is DecisionStatus.WITHDRAWN:
        parts.append("withdrawn")
    elif decision.deadline > now:
        parts.append(f"{decider} decides {relative(decision.deadline, now)}")
    else:
        parts.append(f"{relative(decision.deadline, now)}, waiting on {decider}")
    return " · ".join(parts)
