"""What execution health tells people by direct message, queued in the outbox: an owner asked for an update (with
the outcomes feature's Log progress button), a decider reminded, and work handed to someone.

An ask is keyed by the finding and the owner's day, a reminder by the decision's token and the decider's day, so
pressing again the same day sends nothing more. A hand-over is a change of its own and gets a key of its own.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.shared_ids import SharedIds
from handlers.kit.text import clip, esc, mention, slack_date
from models import Decision, HealthFinding, Outcome, Person
from services import outbox, people
from services.health.handover import Item

TELL_KIND = "health.tell"


async def _dm(session: AsyncSession, *, workspace_id: int, key: str, to: Person, text: str, blocks: list | None,
              now: datetime) -> bool:  # fmt: skip
    """Queues one direct message; False when one under this key was queued already (or they can't be reached)."""
    if not people.reachable(to) or await outbox.get(session, workspace_id=workspace_id, key=key) is not None:
        return False
    args: dict = {"channel": to.slack_user_id, "text": text}
    if blocks:
        args["blocks"] = [b.to_dict() for b in blocks]
    await outbox.enqueue(session, workspace_id=workspace_id, key=key, kind=TELL_KIND, method="chat.postMessage",
                         args=args, not_before=now)  # fmt: skip
    return True


async def ask_for_update(session: AsyncSession, *, row: HealthFinding, outcome: Outcome, asker: Person, day: date,
                         now: datetime) -> bool:  # fmt: skip
    """The owner hears who asks, and why, with Log progress; once per finding a day."""
    text = (
        f"{mention(asker.slack_user_id)} asks for an update on *{outcome.ref}* {esc(clip(outcome.title, 120))}: "
        f"{esc(clip(row.evidence, 500))}\n_{esc(clip(row.why, 300))}_"
    )
    log = ButtonElement(text="Log progress", action_id=SharedIds.LOG_PROGRESS, value=outcome.ref, style="primary")
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), ActionsBlock(elements=[log])]
    key = f"health:ask:{row.key}:{day.isoformat()}"
    return await _dm(session, workspace_id=outcome.workspace_id, key=key[:200], to=outcome.owner, text=text,
                     blocks=blocks, now=now)  # fmt: skip


async def remind_decider(session: AsyncSession, *, row: HealthFinding, decision: Decision, by: Person, day: date,
                         now: datetime) -> bool:  # fmt: skip
    """The decider hears who reminds them, and how late it is; once per decision a day."""
    text = (
        f"{mention(by.slack_user_id)} reminds you that *{decision.ref}* {esc(clip(decision.question, 150))} is "
        f"waiting on your decision: {esc(clip(row.evidence, 300))} `/decision {decision.ref}` shows it with "
        "Decide; you can move its deadline there too."
    )
    key = f"health:remind:{decision.token}:{day.isoformat()}"
    return await _dm(session, workspace_id=decision.workspace_id, key=key, to=decision.decider, text=text,
                     blocks=None, now=now)  # fmt: skip


async def decision_opened(session: AsyncSession, *, decision: Decision, by: Person, now: datetime) -> bool:
    """The decider hears, once, who put the question to them and by when."""
    text = (
        f"{mention(by.slack_user_id)} opened *{decision.ref}* for you to decide: {esc(clip(decision.question, 150))} "
        f"By {slack_date(decision.deadline)}. `/decision {decision.ref}` shows it with Decide."
    )
    return await _dm(session, workspace_id=decision.workspace_id, key=f"health:opened:{decision.token}",
                     to=decision.decider, text=text, blocks=None, now=now)  # fmt: skip


def _listed(items: list[Item]) -> str:
    return "\n".join(f"• *{item.ref}* {esc(clip(item.text, 120))}" for item in items)


async def tell_handed_over(session: AsyncSession, *, workspace_id: int, items: list[Item], to: Person, holder: Person,
                           actor: Person, now: datetime) -> None:  # fmt: skip
    """Whoever takes the work on hears what it is; so does whoever had it, unless they did it themself."""
    change = uuid.uuid4().hex  # the same work can be handed back and forth: each hand-over is news
    if to.id != actor.id:
        text = f"{mention(actor.slack_user_id)} handed these to you:\n{_listed(items)}"
        await _dm(session, workspace_id=workspace_id, key=f"health:handed:{to.slack_user_id}:{change}", to=to,
                  text=text, blocks=None, now=now)  # fmt: skip
    if holder.id != actor.id:
        text = f"{mention(actor.slack_user_id)} handed these of yours to {mention(to.slack_user_id)}:\n{_listed(items)}"
        await _dm(session, workspace_id=workspace_id, key=f"health:handed:{holder.slack_user_id}:{change}",
                  to=holder, text=text, blocks=None, now=now)  # fmt: skip
