"""Block Kit for the library, pure: the list, one version step by step, and a diff between two versions.

Names, titles, roles, details and changelog lines are typed by people: each passes `esc` once, here; links go
through `link`. `people` maps a person id to their Slack user id, for mentions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc, link, mention, plural, slack_date
from models import Playbook, PlaybookKind, PlaybookVersion
from services.playbooks import reviews
from services.playbooks.diff import StepDiff

KIND_WORDS = {
    PlaybookKind.ONBOARDING: "Onboarding",
    PlaybookKind.LAUNCH: "Launch",
    PlaybookKind.INCIDENT: "Incident",
    PlaybookKind.OTHER: "Other",
}
SECTION_LIMIT = 2900


def _md(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def _sections(lines: list[str]) -> list[dict]:
    """Lines packed into as few sections as fit Slack's limit (a message holds at most 50 blocks)."""
    packed: list[str] = []
    for line in lines:
        if packed and len(packed[-1]) + len(line) + 1 <= SECTION_LIMIT:
            packed[-1] += "\n" + line
        else:
            packed.append(clip(line, SECTION_LIMIT))
    return [_md(text) for text in packed]


def who(step: Mapping[str, Any], people: Mapping[int, str]) -> str:
    if step.get("person_id"):
        user = people.get(step["person_id"])
        return mention(user) if user else "someone who has left"
    return f"_{esc(step['role'])}_" if step.get("role") else "_the run's lead_"


def step_line(position: int, step: Mapping[str, Any], people: Mapping[int, str]) -> str:
    parts = [f"*{position}.* `{esc(step['timing'])}` *{esc(step['title'])}* · {who(step, people)}"]
    if step.get("approval_role"):
        parts.append(f"needs approval by _{esc(step['approval_role'])}_")
    if step.get("link"):
        parts.append(link(step["link"], "open it"))
    line = " · ".join(parts)
    details = "\n".join(f">{esc(more)}" for more in (step.get("details") or "").splitlines() if more.strip())
    return f"{line}\n{details}" if details else line


def about(playbook: Playbook, now: datetime) -> str:
    review = f"last reviewed {slack_date(playbook.reviewed_at)}, every {plural(playbook.review_days, 'day')}"
    if not playbook.current_version:  # a draft nobody published was never reviewed
        review = f"not published yet; reviewed every {plural(playbook.review_days, 'day')} once it is"
    elif reviews.overdue_by(playbook, now):
        review += " (⚠️ due for review)"
    owner = mention(playbook.owner.slack_user_id)
    return f"{KIND_WORDS[playbook.kind]} · owner {owner} · {review}"


def list_blocks(found: list[Playbook], now: datetime) -> list[dict]:
    if not found:
        return [_md("No playbooks yet. `/playbook new` starts one, from a built-in template if you like.")]
    lines = []
    for playbook in found:
        version = f"v{playbook.current_version}" if playbook.current_version else "no version yet"
        draft = " · draft pending" if playbook.draft_steps is not None else ""
        lines.append(f"*{playbook.ref}* {esc(playbook.name)} · {version}{draft}\n{about(playbook, now)}")
    blocks = [HeaderBlock(text="Playbooks").to_dict(), *_sections(lines)]
    # A ref that exists here (the first listed), not a made-up one.
    blocks.append(_context(f"`/playbook {found[0].ref}` shows one; `/playbook new` starts another."))
    return blocks


def version_blocks(playbook: Playbook, version: PlaybookVersion, people: Mapping[int, str], now: datetime,
                   history: list[PlaybookVersion]) -> list[dict]:  # fmt: skip
    current = version.number == playbook.current_version
    title = f"{playbook.ref} {playbook.name} · v{version.number}"
    blocks = [HeaderBlock(text=clip(title, 150)).to_dict(), _context(about(playbook, now))]
    if not current:
        blocks.append(_context(f"An older version: the current one is v{playbook.current_version}."))
    if playbook.draft_steps is not None:
        blocks.append(_context(f"A draft is pending: `/playbook {playbook.ref} draft` shows it, `/playbook "
                               f"{playbook.ref} diff draft` what it changes, `/playbook edit {playbook.ref}` "
                               "continues it."))  # fmt: skip
    blocks += _sections([step_line(i, s, people) for i, s in enumerate(version.steps, start=1)])
    blocks.append(DividerBlock().to_dict())
    changes = [f"v{v.number} {slack_date(v.published_at)}: {esc(v.changelog)}" for v in history]
    blocks.append(_context("*Changelog* " + " · ".join(changes) if changes else "No changelog yet."))
    return blocks


def version_text(playbook: Playbook, version: PlaybookVersion) -> str:
    return f"{playbook.ref} {esc(playbook.name)} v{version.number}: {plural(len(version.steps), 'step')}"


def _short(step: Mapping[str, Any]) -> str:
    return f"`{esc(step['timing'])}` {esc(step['title'])}"


def _change(name: str, before: Mapping[str, Any], after: Mapping[str, Any], people: Mapping[int, str]) -> str:
    if name == "details":
        if not after.get("details"):
            return "details removed"
        return "details added" if not before.get("details") else "details rewritten"
    if name == "who":
        return f"who: {who(before, people)} → {who(after, people)}"
    key = {"title": "title", "timing": "timing", "approval": "approval_role", "link": "link"}[name]
    return f"{name}: {esc(str(before.get(key) or '—'))} → {esc(str(after.get(key) or '—'))}"


def _approval(step: Mapping[str, Any]) -> str:
    return f" · needs approval by _{esc(step['approval_role'])}_" if step.get("approval_role") else ""


def diff_lines(diff: StepDiff, people: Mapping[int, str]) -> list[str]:
    lines: list[str] = []
    if diff.added:
        lines.append("*Added*")
        lines += [f"➕ {i}. {_short(s)} · {who(s, people)}{_approval(s)}" for i, s in diff.added]
    if diff.removed:
        lines.append("*Removed*")
        lines += [f"➖ {i}. {_short(s)}" for i, s in diff.removed]
    if diff.moved:
        lines.append("*Moved*")
        lines += [f"↕️ {_short(m.step)}: step {m.was} → step {m.now}" for m in diff.moved]
    if diff.edited:
        lines.append("*Edited*")
        for e in diff.edited:
            said = "; ".join(_change(name, e.before, e.after, people) for name in e.fields)
            lines.append(f"✏️ {e.position}. {_short(e.after)}: {said}")
    return lines


@dataclass(frozen=True)
class Side:
    """One side of a diff: a published version (`v2`, its changelog line) or the pending draft."""

    label: str
    steps: list[dict[str, Any]]
    note: str | None = None


def diff_blocks(playbook: Playbook, before: Side, after: Side, diff: StepDiff, people: Mapping[int, str],
                swapped: bool = False) -> list[dict]:  # fmt: skip
    title = f"{playbook.ref} {playbook.name}: {before.label} → {after.label}"
    blocks = [HeaderBlock(text=clip(title, 150)).to_dict()]
    if swapped:
        blocks.append(_context(f"Read from {before.label} to {after.label}, as you named them: “added” is what "
                               f"{after.label} has and {before.label} has not."))  # fmt: skip
    if after.note:
        blocks.append(_context(f"{after.label}: {esc(after.note)}"))
    if diff.unchanged:
        return [*blocks, _md(f"The steps are the same in {before.label} and {after.label}.")]
    return blocks + _sections(diff_lines(diff, people))


def diff_text(playbook: Playbook, before: Side, after: Side, diff: StepDiff) -> str:
    counts = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.moved)} moved, {len(diff.edited)} edited"
    return f"{playbook.ref} {before.label} → {after.label}: {counts}"


def draft_blocks(playbook: Playbook, steps: list[dict[str, Any]], people: Mapping[int, str], by: str | None,
                 saved: datetime | None) -> list[dict]:  # fmt: skip
    """The pending draft step by step: what the next version would be if published as it is."""
    title = f"{playbook.ref} {playbook.name} · draft"
    whose = f"saved by {mention(by)}" if by else "saved"
    when = f" {slack_date(saved)}" if saved else ""
    base = f"v{playbook.current_version}" if playbook.current_version else "nothing published yet"
    blocks = [HeaderBlock(text=clip(title, 150)).to_dict(),
              _context(f"Not published: {whose}{when}; it would follow {base}. `/playbook edit {playbook.ref}` "
                       f"continues it; `/playbook {playbook.ref} diff draft` shows what it changes.")]  # fmt: skip
    return blocks + _sections([step_line(i, s, people) for i, s in enumerate(steps, start=1)])
