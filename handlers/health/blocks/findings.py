"""Block Kit for findings: each one's severity, subject, evidence and why, with the button that does what it
recommends and "Snooze a week"; the list `/followthrough health` answers with, and the Home tab's "Needs
attention"."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.health.blocks.ids import HealthIds
from handlers.health.blocks.words import ACTED, KIND_TITLE, SEVERITY_MARK
from handlers.kit.shared_ids import SharedIds
from handlers.kit.text import clip, esc, plural, slack_date
from models import HealthFinding, Person
from services.health import Kind, Remedy, Severity
from services.health.subjects import person_id_of

LIST_LIMIT = 10  # two blocks each: well inside Slack's 50 per message
SNOOZE_LABEL = "Snooze a week"


def subject_text(row: HealthFinding, names: dict[str, str]) -> str:
    """`*O-12* Lift activation`, or a person's name, as typed by whoever named it (escaped here)."""
    name = names.get(row.subject)
    if person_id_of(row.subject) is not None:
        return f"*{esc(clip(name or 'Someone', 80))}*"
    return f"*{row.subject}*" + (f" {esc(clip(name, 100))}" if name else "")


def finding_text(row: HealthFinding, names: dict[str, str]) -> str:
    mark = SEVERITY_MARK.get(Severity(row.severity), "")
    title = KIND_TITLE.get(Kind(row.kind), row.kind)
    text = f"{mark} *{title}* · {subject_text(row, names)}\n{esc(clip(row.evidence, 600))}\n_{esc(clip(row.why, 300))}_"
    if row.acted and row.acted_at and row.acted in ACTED:
        text += f"\n✓ {ACTED[row.acted]} {slack_date(row.acted_at)}"
    return text


def remedy_button(row: HealthFinding, viewer: Person) -> ButtonElement | None:
    """The one thing to do. Some remedies belong to another feature (the meeting's "Make it async"), and some
    change when the viewer is the one they would ask: the owner logs progress rather than asking themself."""
    remedy = Remedy(row.remedy)
    if remedy is Remedy.MAKE_ASYNC:
        return ButtonElement(text=row.remedy_label, action_id=SharedIds.MAKE_MEETING_ASYNC, value=row.remedy_value)
    if remedy is Remedy.ASK_UPDATE and viewer.id == row.owner_id:
        return ButtonElement(text="Log progress", action_id=SharedIds.LOG_PROGRESS, value=row.subject, style="primary")
    if remedy is Remedy.REMIND_DECIDER and viewer.id == row.owner_id:
        return None  # reminding oneself is no remedy: the hint says where to decide
    return ButtonElement(text=row.remedy_label, action_id=HealthIds.DO, value=row.key, style="primary")


def finding_blocks(row: HealthFinding, names: dict[str, str], viewer: Person) -> list:
    section = SectionBlock(text=MarkdownTextObject(text=clip(finding_text(row, names), 3000)))
    buttons = [b for b in (remedy_button(row, viewer),) if b is not None]
    buttons.append(ButtonElement(text=SNOOZE_LABEL, action_id=HealthIds.SNOOZE, value=row.key))
    blocks: list = [section, ActionsBlock(block_id=f"{HealthIds.ACTIONS}:{row.id}", elements=buttons)]
    if Remedy(row.remedy) is Remedy.REMIND_DECIDER and viewer.id == row.owner_id:
        hint = f"It is yours: `/decision {row.subject}` shows it with Decide, or move its deadline there."
        blocks.insert(1, ContextBlock(elements=[MarkdownTextObject(text=hint)]))
    return blocks


def list_blocks(rows: list[HealthFinding], names: dict[str, str], viewer: Person, where: str) -> list[dict]:
    """The answer to `/followthrough health`: most severe first, at most LIST_LIMIT, then how many more."""
    if not rows:
        text = f"Nothing needs attention {where} right now."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    heading = f"*Needs attention {where}*: {plural(len(rows), 'finding')}"
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=heading))]
    for row in rows[:LIST_LIMIT]:
        blocks += finding_blocks(row, names, viewer)
    if len(rows) > LIST_LIMIT:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {len(rows) - LIST_LIMIT} more.")]))
    foot = "`/followthrough health help` says what each finding means, and its thresholds here."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=foot)]))
    return [b.to_dict() for b in blocks]


def list_text(rows: list[HealthFinding], where: str) -> str:
    """The notification's words for the list above."""
    return f"Needs attention {where}: {plural(len(rows), 'finding')}" if rows else f"Nothing needs attention {where}."


def home_blocks(rows: list[HealthFinding], names: dict[str, str], viewer: Person) -> list[dict]:
    """ "Needs attention" on the Home tab: the person's own findings (at most five, most severe first); nothing
    at all when there are none."""
    if not rows:
        return []
    blocks: list = [HeaderBlock(text="Needs attention")]
    for row in rows:
        blocks += finding_blocks(row, names, viewer)
    more = "`/followthrough health` lists all of yours; `/followthrough health all` everyone's."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return [b.to_dict() for b in blocks]
