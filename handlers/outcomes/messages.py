"""What outcomes tell people by direct message, queued in the outbox: being made an outcome's owner, having it
handed to someone else, having it dropped. Each is told once, and never to the person who made the change.

A key names the change it announces with a random part: the same outcome can be handed back and forth, and
SQLite hands out ids again after a delete, so nothing a database numbers would keep two changes apart. A
repeated submission does not send twice either: bot/once.py lets a form act once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import clip, esc, mention
from models import Outcome, Person
from services import outbox

TELL_KIND = "outcome.tell"


def _named(outcome: Outcome) -> str:
    return f"*{outcome.ref}* {esc(clip(outcome.title, 120))}"


async def _tell(session: AsyncSession, outcome: Outcome, person: Person, what: str, text: str, now: datetime) -> bool:
    if person.is_deleted:
        return False
    await outbox.enqueue(
        session,
        workspace_id=outcome.workspace_id,
        key=f"outcome:{outcome.ref}:{what}:{person.slack_user_id}:{uuid.uuid4().hex}",
        kind=TELL_KIND,
        method="chat.postMessage",
        args={"channel": person.slack_user_id, "text": text},
        not_before=now,
    )
    return True


async def tell_new_owner(
    session: AsyncSession, *, outcome: Outcome, owner: Person, actor: Person, now: datetime
) -> bool:
    """The person made owner (on defining it, or by Change owner) hears it, unless they did it themselves."""
    if owner.id == actor.id:
        return False
    text = (
        f"{mention(actor.slack_user_id)} made you the owner of {_named(outcome)}, due {outcome.due_date:%a %-d %b %Y}. "
        f"`/outcome {outcome.ref}` shows its card; `/progress {outcome.ref} 42 what moved` logs progress."
    )
    return await _tell(session, outcome, owner, "owner", text, now)


async def tell_handed_over(
    session: AsyncSession, *, outcome: Outcome, previous: Person, actor: Person, now: datetime
) -> bool:
    """The previous owner hears that someone else handed their outcome on."""
    if previous.id == actor.id:
        return False
    text = (
        f"{mention(actor.slack_user_id)} handed your outcome {_named(outcome)} to "
        f"{mention(outcome.owner.slack_user_id)}, so it is no longer on you."
    )
    return await _tell(session, outcome, previous, "handed", text, now)


async def tell_dropped(
    session: AsyncSession, *, outcome: Outcome, actor: Person, reason: str | None, now: datetime
) -> bool:
    """The owner hears that someone else dropped their outcome, and why."""
    if outcome.owner_id == actor.id:
        return False
    why = f" Why: {esc(clip(' '.join(reason.split()), 300))}" if reason else ""
    text = (
        f"{mention(actor.slack_user_id)} dropped your outcome {_named(outcome)}.{why} "
        f"You or an admin can reopen it with `/progress {outcome.ref} on-track`."
    )
    return await _tell(session, outcome, outcome.owner, "dropped", text, now)
