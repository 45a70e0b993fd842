"""Text for mrkdwn: everything not written by the app passes `esc` (or, for a link, `link`) exactly once,
where it is put into a message, a view or an answer; it is stored as typed.

Titles, notes, questions, options, rationales, reasons, answers, names from Slack profiles, metric names and
units, escalation path names, and what a service's refusal repeats of what was typed: all of it. Text that
arrives escaped by Slack (a command's, a message event's) is unescaped once on the way in (`from_command`,
`from_message`), so escaping it again on the way out shows it as typed, never as `&amp;lt;`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from services.errors import Invalid
from services.links import check_url


def esc(text: str) -> str:
    """Text people typed (or Slack profiles hold), made safe for mrkdwn: Slack reads <, > and & as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """`<url|label>` for a URL that passes services.links.check_url; anything else is shown as escaped text,
    not linked, so a stored address can never close the link early and add markup of its own. `label` is
    plain text (it is escaped here)."""
    try:
        checked = check_url(url)
    except Invalid:
        return f"{esc(label)}: {esc(url)}"
    # The checked URL holds no < > |; & is written &amp;, as Slack writes it in links too.
    return f"<{esc(checked)}|{esc(label)}>"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 outcome`, `2 outcomes`, `0 outcomes`; `many` for a word whose plural is not just an added s."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


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


def from_message(text: str) -> str:
    """A message event's text (a reply in a check-in thread), escaped by Slack like a command's: unescaped
    once. Mentions and links the person wrote stay Slack markup (`<@U…>`) and are shown as text later."""
    return from_command(text)


_MARKUP = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>|<(https?://[^>|]+)(?:\|([^>]*))?>")


def readable(text: str, names: dict[str, str] | None = None) -> str:
    """Slack markup in what a person wrote (`<@U1|alex>`, `<#C1|general>`, `<!here>`, `<https://x|label>`),
    as that person read it: `@alex`, `#general`, `@here`, `label (https://x)`. Stored like that, it is shown as
    text (and escaped) wherever it goes, so copying someone's words never pings anyone. `names` supplies a
    person's name when Slack sent only the id (message text does)."""

    def plain(match: re.Match) -> str:
        sigil, target, label, url, url_label = match.groups()
        if url:
            return f"{url_label} ({url})" if url_label else url
        if sigil == "!":
            return "@" + (label or target.split("^")[0]).lstrip("@")
        name = label or (names or {}).get(target) or target
        return ("@" if sigil == "@" else "#") + name

    return _MARKUP.sub(plain, text)


def slack_date(moment: datetime) -> str:
    """A date Slack shows in each reader's own zone; the fallback is UTC."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short}}|{moment.astimezone(UTC):%-d %b %Y}>"


def slack_moment(moment: datetime) -> str:
    """A date and time Slack shows in each reader's own zone; the fallback is UTC."""
    fallback = f"{moment.astimezone(UTC):%a %-d %b %H:%M} UTC"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    when = f"{due:%a %-d %b %Y}"
    if days == 0:
        return f"{when} (today)"
    if days == 1:
        return f"{when} (tomorrow)"
    if days > 0:
        return f"{when} (in {days} days)"
    return f"{when} (overdue by {plural(-days, 'day')})"


def short_due(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d"
    return f"due {due:%-d %b}" + (" (today)" if days == 0 else "")


def duration(length: timedelta | int, *, rough: bool = False) -> str:
    """A length of time as people say it: `45 min`, `4 h`, `1 day`, `1 h 30 min`, `2 days 4 h`; an int is minutes.
    The one way every duration is shown (paths, snoozes, reminders, how late something is). `rough` keeps only
    the largest unit, rounded (`3 h`, `2 days`), for time that is passing, where exact minutes are noise."""
    if isinstance(length, timedelta):
        minutes = int(abs(length.total_seconds()) // 60)
    else:
        minutes = abs(int(length))
    if rough:
        minutes = max(1, minutes)
        if minutes < 60:
            return f"{minutes} min"
        if minutes < 36 * 60:
            return f"{round(minutes / 60)} h"
        return _days(round(minutes / 1440))
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [_days(days)] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"
