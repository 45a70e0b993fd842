"""The Home tab's playbook section, for all three parts: "My steps" (open steps in active runs, soonest first),
then what the learning loop waits on from this person: retrospectives of runs they led, proposed changes to
playbooks they own, and drafts of them someone else saved. Overdue playbook reviews are health findings, shown at
the top under "Needs attention".

At most four blocks whatever there is (each list is one section, cut at `SHOWN`), so the whole Home tab stays
within Slack's 100."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import clip, esc, mention
from handlers.playbooks.running.blocks import home_blocks as steps_blocks
from models import Person, Playbook, PlaybookRun, ProposedChange, Workspace
from services.playbooks import library, proposals, retros, runs

SHOWN = 5


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    mine, total = await runs.my_steps(session, workspace_id=workspace.id, person=person, limit=SHOWN)
    owed = await retros.owed_by(session, workspace_id=workspace.id, person=person, limit=SHOWN)
    waiting = await proposals.awaiting(session, workspace_id=workspace.id, person=person, limit=SHOWN)
    drafts = await library.drafts_for(session, workspace_id=workspace.id, person=person, limit=SHOWN)
    return steps_blocks(mine, now, total=total, me=person) + learning_blocks(owed, waiting, drafts)


def learning_blocks(owed: list[PlaybookRun], waiting: list[tuple[ProposedChange, PlaybookRun, Playbook]],
                    drafts: list[tuple[Playbook, Person]] = ()) -> list:  # fmt: skip
    lines = [f"• *{run.ref}* {esc(clip(run.title, 80))} is resolved: write its retrospective "
             f"(`/playbook retro {run.ref}`)" for run in owed]  # fmt: skip
    lines += [f"• *{playbook.ref}* {esc(clip(playbook.name, 60))}: {esc(clip(proposals.describe(change), 120))}, "
              f"learned from *{run.ref}*, waits for you: accept or decline it in its message"
              for change, run, playbook in waiting]  # fmt: skip
    lines += [f"• *{playbook.ref}* {esc(clip(playbook.name, 60))}: a draft by {mention(by.slack_user_id)} waits "
              f"for you: `/playbook {playbook.ref} diff draft` shows it, `/playbook edit {playbook.ref}` publishes it"
              for playbook, by in drafts]  # fmt: skip
    if not lines:
        return []
    text = MarkdownTextObject(text=clip("\n".join(lines), 3000))
    blocks = [HeaderBlock(text="Learning from runs"), SectionBlock(text=text)]
    return [b.to_dict() for b in blocks]
