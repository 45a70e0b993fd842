"""What every message about a decision shares: time in words, its status, its buttons, its one-line summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ButtonElement

from handlers.decisions.blocks.ids import DecisionIds
from handlers.kit.text import clip, esc, mention
from models import Decision, DecisionRole, DecisionStatus

MAX_SHOWN_RATIONALE = 1500
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


def button(text: str, action: DecisionIds, decision: Decision, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=text, action_id=action, value=decision.ref, style=style)


def people_in(decision: Decision, role: DecisionRole) -> str:
    return ", ".join(mention(p.slack_user_id) for p in decision.people_in(role))


def decision_line(decision: Decision, now: datetime) -> str:
    parts = [f"{STATUS_MARK[decision.status]} *{decision.ref}* {esc(clip(decision.question, 90))}"]
    if decision.status is DecisionStatus.DECIDED:
        parts.append(f"*{esc(clip(decision.chosen_option or '', 60))}*")
        if decision.decided_at:
            parts.append(f"decided {slack_time(decision.decided_at)}")
    else:
        parts.append(f"{mention(decision.decider.slack_user_id)} decides {relative(decision.deadline, now)}")
    return " · ".join(parts)
