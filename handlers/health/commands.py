"""`/followthrough health`: runs the detectors for the workspace (storing what they find) and answers privately
with the findings in a scope, each with its buttons; also `help` (what each finding means, the thresholds here)
and the admins' `settings`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.health.blocks.findings import list_blocks, list_text
from handlers.health.blocks.help import help_blocks, threshold_lines, weekly_line
from handlers.kit.insights import insight_text
from handlers.kit.replies import forbidden_text, reply
from handlers.kit.text import esc, from_command, mention_target
from models import Person, Workspace
from services import health, outcomes
from services.errors import Forbidden, Invalid
from services.health import Scope, insights
from services.health.settings import change, settings_of, threshold_names, thresholds_of
from services.health.subjects import names_of
from services.refs import parse_ref

WORD = "health"
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_PERSON = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_SUBJECT = re.compile(r"^([ODM])-?\d{1,9}$", re.IGNORECASE)

HELP_DETAILS = [
    "`/followthrough health` runs every check now and shows what needs attention on you, most severe first, each "
    "with the one thing to do about it as a button, and *Snooze a week*.",
    "`/followthrough health all` shows the whole workspace's; `/followthrough health channel` this channel's "
    "outcomes. Add a channel or a person picked from Slack's list for theirs, or a ref: "
    "`/followthrough health O-12`, `/followthrough health D-7`, `/followthrough health M-3`.",
    "Anyone may ask an owner for an update or remind a decider; changing an outcome's status, due date, owner or "
    "metrics is for its owner and admins; handing work over is for the person whose work it is, and admins.",
    "The Home tab shows your own, under *Needs attention*. `/followthrough health settings` lists the thresholds.",
]


@dataclass(frozen=True)
class Asked:
    """The scope a person asked for, and how the answer names it."""

    scope: Scope
    where: str


def is_health(body: dict) -> bool:
    """The Bolt matcher: `/followthrough health …` is ours; the rest of /followthrough is help's."""
    words = from_command(str(body.get("text") or "")).split(maxsplit=1)
    return bool(words) and words[0].lower() == WORD


async def health_matcher(body: dict) -> bool:
    return is_health(body)


async def scope_of(db: AsyncSession, workspace: Workspace, person: Person, text: str,
                   channel: str | None) -> Asked | None:  # fmt: skip
    """What `text` asks about; None when it names nothing we know how to read."""
    word = text.strip()
    if word.lower() in ("", "mine", "me"):
        return Asked(Scope(person_id=person.id), "on you")
    if word.lower() == "all":
        return Asked(Scope(), "in this workspace")
    if word.lower() in ("channel", "here"):
        return Asked(Scope(channel_id=channel or "-"), "in this channel")
    if found := _CHANNEL.match(word):
        return Asked(Scope(channel_id=found[1]), f"in {mention_target(found[1])}")
    if found := _PERSON.match(word):
        query = select(Person).where(Person.workspace_id == workspace.id, Person.slack_user_id == found[1])
        who = await db.scalar(query)
        name = esc(who.display_name or found[1]) if who else "them"
        return Asked(Scope(person_id=who.id if who else 0), f"on {name}")
    if found := _SUBJECT.match(word):
        prefix = found[1].upper()
        return Asked(Scope(subject=f"{prefix}-{parse_ref(word, prefix)}"), f"on {prefix}-{parse_ref(word, prefix)}")
    return None


async def health_command(ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace, person: Person,
                         now: datetime) -> None:  # fmt: skip
    text = from_command(command.get("text") or "").strip()
    rest = text[len(WORD) :].strip()
    word, _, arg = rest.partition(" ")
    if word.lower() in ("help", "?"):
        await show_help(ack, db, workspace)
    elif word.lower() == "settings" and not arg.strip():
        await show_settings(ack, db, workspace)
    elif word.lower() in ("settings", "weekly"):
        await change_setting(ack, db, workspace, person, rest if word.lower() == "weekly" else arg)
    else:
        await show_findings(ack, db, workspace, person, now, rest, command.get("channel_id"))


async def show_findings(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                        text: str, channel: str | None) -> None:  # fmt: skip
    asked = await scope_of(db, workspace, person, text, channel)
    if asked is None:
        said = (f"I don't know `health {esc(text[:60])}`. Try `/followthrough health`, `health all`, `health channel`, "
                "`health O-12` or `health help`.")  # fmt: skip
        await ack(**reply(said))
        return
    subject = asked.scope.subject
    if subject is not None and subject not in await names_of(db, workspace_id=workspace.id, subjects=[subject]):
        await ack(**reply(f"I can't find {subject} in this workspace."))
        return
    await health.refresh(db, workspace_id=workspace.id, now=now)
    rows = await health.stored_in(db, workspace_id=workspace.id, scope=asked.scope, now=now)
    names = await names_of(db, workspace_id=workspace.id, subjects=[r.subject for r in rows])
    blocks = list_blocks(rows, names, person, asked.where) + await voices(db, workspace, subject)
    await ack(**reply(list_text(rows, asked.where), blocks=blocks))


async def voices(db: AsyncSession, workspace: Workspace, subject: str | None) -> list[dict]:
    """For one outcome, its latest insights beside the findings: the numbers and what customers say."""
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=subject) if subject else None
    if outcome is None or not subject.upper().startswith("O"):
        return []
    found = (await insights.latest(db, workspace_id=workspace.id, outcome_ids=[outcome.id])).get(outcome.id, [])
    if not found:
        return []
    lines = "\n".join(f"💬 {insight_text(i)}" for i in found)
    return [SectionBlock(text=MarkdownTextObject(text=f"*What customers say*\n{lines}")).to_dict()]


async def show_help(ack: AsyncAck, db: AsyncSession, workspace: Workspace) -> None:
    settings = await settings_of(db, workspace_id=workspace.id)
    weekly = weekly_line(settings.weekly_day, settings.weekly_hour)
    blocks = help_blocks(HELP_DETAILS, thresholds_of(settings), threshold_names(), weekly)
    await ack(**reply("/followthrough health: what needs attention, and what to do about it.", blocks=blocks))


async def show_settings(ack: AsyncAck, db: AsyncSession, workspace: Workspace) -> None:
    settings = await settings_of(db, workspace_id=workspace.id)
    lines = threshold_lines(thresholds_of(settings), threshold_names())
    lines.append(weekly_line(settings.weekly_day, settings.weekly_hour))
    example = "Admins change one with `/followthrough health settings stale_days 10`."
    await ack(**reply("*Execution health settings here*\n" + "\n".join(lines) + f"\n{example}"))


async def change_setting(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, typed: str) -> None:
    name, _, value = typed.strip().partition(" ")
    try:
        settings = await change(db, workspace_id=workspace.id, actor=person, name=name.lower(), value=value.strip())
    except Forbidden as exc:
        await ack(**reply(forbidden_text(exc)))
        return
    except Invalid as exc:
        await ack(**reply(f"Nothing was changed. {esc(' '.join(exc.errors.values()))}"))
        return
    if name.lower() == "weekly":
        line = weekly_line(settings.weekly_day, settings.weekly_hour)
    else:
        line = threshold_lines(thresholds_of(settings), threshold_names())[list(threshold_names()).index(name.lower())]
    await ack(**reply(f"Saved. {line.removeprefix('• ')}"))
