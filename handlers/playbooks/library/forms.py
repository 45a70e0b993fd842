"""The library's form submissions: a new playbook, and an edit (a draft saved, or a version published).

A refusal lands on the form beside the field it concerns (the steps field names the lines); nothing is stored.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.profiles import refresh_named
from handlers.kit.replies import error_text
from handlers.kit.text import esc, mention, plural
from handlers.playbooks.library.ids import LibraryIds
from handlers.playbooks.library.views import DRAFT, done_view
from handlers.playbooks.messages import learning as learning_messages
from handlers.playbooks.messages.reviews import tell_draft
from models import Person, PlaybookKind, Workspace
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.playbooks import library, proposals
from services.playbooks.library import Field, NewPlaybook
from services.playbooks.templates import template_for

FIELD_BLOCKS = {
    Field.NAME: LibraryIds.NAME.value,
    Field.KIND: LibraryIds.KIND.value,
    Field.OWNER: LibraryIds.OWNER.value,
    Field.REVIEW: LibraryIds.REVIEW.value,
    Field.STEPS: LibraryIds.STEPS.value,
    Field.CHANGELOG: LibraryIds.CHANGELOG.value,
}


def _steps_or_template(values: dict) -> str:
    typed_steps = typed(values, LibraryIds.STEPS)
    kind = chosen(values, LibraryIds.KIND)
    if typed_steps.strip() or kind not in {k.value for k in PlaybookKind}:
        return typed_steps
    return template_for(PlaybookKind(kind))


async def new_submitted(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                        person: Person, now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    picked = state_of(values, LibraryIds.OWNER).get("selected_user")
    owner = (await refresh_named(client, db, workspace, [picked], now) or [None])[0]
    form = NewPlaybook(
        name=typed(values, LibraryIds.NAME),
        kind=chosen(values, LibraryIds.KIND),
        review_days=typed(values, LibraryIds.REVIEW),
        steps=_steps_or_template(values),
        publish=chosen(values, LibraryIds.PUBLISH) != DRAFT,
    )
    try:
        playbook, published = await library.create_playbook(db, workspace=workspace, actor=person, owner=owner,
                                                            form=form, now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, LibraryIds.NAME.value))
        return
    steps = published.steps if published else playbook.draft_steps or []
    state = "v1 is published" if published else "its steps are kept as a draft"
    text = (
        f"*{playbook.ref}* {esc(playbook.name)}: {plural(len(steps), 'step')}, {state}. Owner "
        f"{mention(playbook.owner.slack_user_id)}, reviewed every {plural(playbook.review_days, 'day')}.\n"
        f"`/playbook {playbook.ref}` shows it; `/playbook edit {playbook.ref}` changes it."
    )
    await ack(response_action="update", view=done_view(f"{playbook.ref} created", text))


async def edit_submitted(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, person: Person,
                         now: datetime) -> None:  # fmt: skip
    values = view["state"]["values"]
    ref = str(decode_meta(view.get("private_metadata")).get("ref") or "")
    changelog = typed(values, LibraryIds.CHANGELOG).strip() or None
    try:
        playbook, published, news = await library.save_edit(db, workspace_id=workspace.id, ref=ref, actor=person,
                                                      text=typed(values, LibraryIds.STEPS), changelog=changelog,
                                                      now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, LibraryIds.STEPS.value))
        return
    except (Forbidden, NotFound, NotNow) as exc:
        await ack(response_action="errors", errors={LibraryIds.STEPS.value: error_text(exc)})
        return
    if published:
        for change in await proposals.decided_by(db, version=published):
            await learning_messages.cancel_proposal(db, change=change)
        text = (f"*{playbook.ref}* v{published.number} is published: {esc(published.changelog)}\nRuns already "
                f"started keep their version. `/playbook {playbook.ref} diff v{published.number - 1} "
                f"v{published.number}` shows what changed.")  # fmt: skip
        if published.number == 1:
            text = f"*{playbook.ref}* v1 is published: {esc(published.changelog)}"
    else:
        text = (f"*{playbook.ref}*: the draft is saved. Its owner, or a workspace admin, publishes it from "
                f"`/playbook edit {playbook.ref}` with a changelog line.")  # fmt: skip
        if news:
            await tell_draft(db, playbook=playbook, by=person, now=now)
            text += f" {mention(playbook.owner.slack_user_id)} is told it is waiting."
    await ack(response_action="update", view=done_view(f"{playbook.ref} saved", text))
