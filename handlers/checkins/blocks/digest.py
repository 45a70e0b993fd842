"""A round's digest in its thread: who answered, outcomes by status, what moved, what is in the way, outcomes
with no update for two rounds, and the channel's overdue action items."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from handlers.checkins.blocks.text import day_text, name, names
from handlers.checkins.blocks.thread import moves_text
from handlers.kit.outcome_status import STATUS_MARK, status_text
from handlers.kit.text import clip, esc, plural
from models import Action, Outcome, OutcomeStatus
from services.checkins import Digest
from services.checkins.digest import Blocker, Change

STATUS_ORDER = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK, OutcomeStatus.DONE)


def digest_message(digest: Digest) -> dict[str, Any]:
    """The digest in the round's thread (chat.postMessage, then chat.update when late answers come in)."""
    asked = len(digest.answered) + len(digest.missing)
    lines = [f"*Digest · check-in of {day_text(digest.round.occurs_on)}*", *_who_lines(digest, asked)]
    if digest.statuses:
        counts = [
            f"{STATUS_MARK[s]} {digest.statuses[s]} {s.label.lower()}" for s in STATUS_ORDER if digest.statuses.get(s)
        ]
        lines.append("*Outcomes:* " + " · ".join(counts))
    sections = [
        ("*Since the last round*", [_change_line(c) for c in digest.changes], "changes"),
        ("*In the way*", [_blocker_line(b) for b in digest.blockers], "blockers"),
        ("*No update for two rounds*", [_stale_line(o) for o in digest.stale], "stale"),
        ("*Overdue action items*", [_overdue_line(a, digest) for a in digest.overdue], "overdue"),
    ]
    for title, items, key in sections:
        if items:
            extra = f"\n…and {digest.more[key]} more" if digest.more.get(key) else ""
            lines.append(title + "\n" + "\n".join(items) + extra)
    if not (digest.changes or digest.blockers or digest.stale or digest.statuses or digest.overdue):
        lines.append("No outcomes to report on yet: define one with `/outcome`.")
    text = "\n\n".join(lines)
    blocks = [SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))]
    summary = f"Check-in digest: {len(digest.answered)} of {asked} answered"
    return {"text": summary, "blocks": [b.to_dict() for b in blocks]}


def _who_lines(digest: Digest, asked: int) -> list[str]:
    lines = [f"✅ Answered ({len(digest.answered)} of {asked}): {names(digest.answered) or 'nobody yet'}"]
    if digest.missing:
        lines.append(f"⏳ Not yet: {names(digest.missing)}")
    if digest.away:
        lines.append(f"🌴 Away: {names(digest.away)}")
    return lines


def _change_line(change: Change) -> str:
    parts = []
    if change.status_before is not None and change.status_after is not None:
        parts.append(f"{STATUS_MARK[change.status_before]} → {status_text(change.status_after)}")
    parts += moves_text(change.moves)
    outcome = change.outcome
    return f"• {outcome.ref} {esc(clip(outcome.title, 60))}: " + "; ".join(parts)


def _blocker_line(blocker: Blocker) -> str:
    on = f", on {blocker.outcome.ref}" if blocker.outcome else ""
    return f"• {esc(clip(blocker.text, 200))} ({name(blocker.raised_by)}{on})"


def _stale_line(outcome: Outcome) -> str:
    return f"• {outcome.ref} {esc(clip(outcome.title, 60))} ({name(outcome.owner)})"


def _overdue_line(action: Action, digest: Digest) -> str:
    """`• A-7 Send the deck · Alex, 3 days`: by name, never a mention (the digest is no place to ping anyone)."""
    late = plural((digest.today - action.due_on).days, "day") if digest.today else "overdue"
    return f"• {action.ref} {esc(clip(action.what, 60))} · {name(action.owner)}, {late}"
