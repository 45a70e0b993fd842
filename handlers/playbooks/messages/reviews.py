"""The evergreen review DM: "is PB-2 still right?" with Confirm and Edit, queued once per interval (the key is
services.playbooks.reviews.ask_key), at low urgency, since nothing breaks today if it waits. And the owner's note
that someone else started a draft, once per draft, at low urgency too: it waits for them to publish it."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import esc, mention, plural, slack_date
from handlers.playbooks.library.ids import LibraryIds
from models import Person, Playbook
from services import outbox
from services.attention.policy import Urgency
from services.playbooks.reviews import ask_key

REVIEW_KIND = "playbook.review"
DRAFT_KIND = "playbook.draft"


def review_dm(playbook: Playbook, user: str) -> dict:
    text = (
        f"Is *{playbook.ref}* {esc(playbook.name)} still right? It was last reviewed "
        f"{slack_date(playbook.reviewed_at)}, and is reviewed every {plural(playbook.review_days, 'day')}. "
        "*Confirm* if it is; *Edit* to change its steps (publishing counts as a review too)."
    )
    buttons = [
        ButtonElement(text="Confirm", action_id=LibraryIds.CONFIRM, value=playbook.ref, style="primary"),
        ButtonElement(text="Edit", action_id=LibraryIds.EDIT, value=playbook.ref),
    ]
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)),
              ActionsBlock(block_id=LibraryIds.REVIEW_ACTIONS, elements=buttons)]  # fmt: skip
    return {"channel": user, "text": f"Is {playbook.ref} still right?", "blocks": [b.to_dict() for b in blocks]}


async def ask_review(session: AsyncSession, *, playbook: Playbook, count: int, now: datetime) -> None:
    """The owner's ask for this interval (`count`); a second call with the same interval queues nothing."""
    await outbox.enqueue(
        session,
        workspace_id=playbook.workspace_id,
        key=ask_key(playbook, count),
        kind=REVIEW_KIND,
        method="chat.postMessage",
        args=review_dm(playbook, playbook.owner.slack_user_id),
        not_before=now,
        urgency=Urgency.LOW,
    )


def draft_dm(playbook: Playbook, by: Person) -> dict:
    ref = playbook.ref
    text = (
        f"{mention(by.slack_user_id)} saved a draft of *{ref}* {esc(playbook.name)}. `/playbook {ref} draft` shows "
        f"it, `/playbook {ref} diff draft` what it would change; you publish it from `/playbook edit {ref}` with a "
        "changelog line."
    )
    return {"channel": playbook.owner.slack_user_id, "text": f"A draft of {ref} is waiting",
            "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}  # fmt: skip


async def tell_draft(session: AsyncSession, *, playbook: Playbook, by: Person, now: datetime) -> None:
    """The owner's note that `by` started a draft; keyed by the moment the draft was saved, stored on the row."""
    assert playbook.draft_updated_at is not None
    await outbox.enqueue(
        session,
        workspace_id=playbook.workspace_id,
        key=f"playbook:{playbook.ref}:draft:{playbook.draft_updated_at:%Y%m%dT%H%M%S%f}",
        kind=DRAFT_KIND,
        method="chat.postMessage",
        args=draft_dm(playbook, by),
        not_before=now,
        urgency=Urgency.LOW,
    )
