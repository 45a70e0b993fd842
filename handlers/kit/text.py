"""Text for mrkdwn: everything not written by the app passes `esc` before it is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime


def esc(text: str) -> str:
    """Text people typed (or Slack profiles hold), made safe for mrkdwn: Slack reads <, > and & as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mention(slack_user_id: str) -> str:
    return f"<@{slack_user_id}>"


def mention_target(target: str) -> str:
    """A person, a channel, or (for anything else) the id as code."""
    if target.startswith(("U", "W")):
        return f"<@{target}>"
    if target.startswith(("C", "G")):
        return f"<#{target}>"
    return f"`{target}`"


def from_command(text: str) -> str:
    """Slack escapes &, < and > in a command's text (forms send it as typed); we store it as typed and escape
    it again wherever it is shown in mrkdwn."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_date(moment: datetime) -> str:
    """A date Slack shows in each reader's own zone; the fallback is UTC."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short}}|{moment.astimezone(UTC):%-d %b %Y}>"


def due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    when = f"{due:%a %-d %b %Y}"
    if days == 0:
        return f"{when} (today)"
    if days == 1:
        return f"{when} (tomorrow)"
    if days > 0:
        return f"{when} (in {days} days)"
    return f"{when} (overdue by {-days} day{'s' if days != -1 else ''})"


def short_due(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d"
    return f"due {due:%-d %b}" + (" (today)" if days == 0 else "")
