"""/priority: the ranked organisation priorities; anyone reads them, admins change them."""

from __future__ import annotations

import re
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import PRIORITY
from handlers.kit.forms import decode_meta, encode_meta, typed
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from handlers.kit.replies import ending, error_text, forbidden_text, open_view, refusal_text, reply
from handlers.kit.text import esc, from_command
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.priority import priority_list_blocks
from handlers.outcomes.blocks.start import priority_view
from models import Person, Workspace
from services.errors import Forbidden, NotFound
from services.outcomes import priorities
from services.refs import looks_like_ref

HELP_DETAILS = [
    "Priorities are the few things the organisation cares about most, in order. Outcomes name the priority they "
    "serve (under *Serves* in the outcome form), so everyone sees how their work maps to the top of the list.",
    "Anyone can read the list; workspace admins add, rank, rename and archive. Refs such as `P-2` stay the same "
    "when the order changes.",
]


# What each subcommand needs after its word, shown when some of it is missing (`/priority rename P-3`).
USAGE = {
    "rank": ("rank P-2 1", "which priority, then its new position"),
    "rename": ("rename P-2 Grow revenue", "which priority, then its new title"),
    "archive": ("archive P-2", "which priority"),
}


def incomplete(key: str, ref: str, more: str) -> str | None:
    """What is missing from a subcommand typed without all its parts, or None when nothing is."""
    if key not in USAGE:
        return None
    example, needs = USAGE[key]
    if re.fullmatch(r"P-\d{1,6}", ref.upper()):  # the example names the priority they typed, not another one
        example = example.replace("P-2", ref.upper(), 1)
    if ref and not looks_like_ref(ref):
        return f"`{esc(ref[:20])}` is not a priority ref such as `P-2`. Type {needs}: `/priority {example}`."
    if key == "rank" and ref and more and not more.isdigit():
        return f"The position is a number, 1 for the top: `/priority {example}`."
    if key == "rename" and ref and not more:
        return f"The new title for {esc(ref.upper())} is missing. Type it after the ref: `/priority {example}`."
    if key == "rank" and ref and not more:
        return f"The position for {esc(ref.upper())} is missing, 1 for the top: `/priority {example}`."
    if key == "archive" and ref and more:
        return f"Archive takes just the ref: `/priority {example}`."
    if not ref:
        return f"Say {needs}: `/priority {example}`."
    return None


async def priority_command(
    ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace, person: Person, now: datetime
) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    try:
        if key in ("", "list") and not rest:
            lines = await priorities.overview(db, workspace_id=workspace.id)
            await ack(text="Priorities", blocks=priority_list_blocks(lines, is_admin=person.is_admin))
            return
        if key == "add":
            made = await priorities.add(db, workspace=workspace, actor=person, title=rest)
            await ack(**reply(f"Added *{made.ref}* {esc(made.title)} at position {made.rank}."))
            return
        ref, _, more = rest.partition(" ")
        more = more.strip()
        if problem := incomplete(key, ref, more):
            await ack(**reply(ending(problem, "Nothing was changed.")))
            return
        if key == "rank" and ref and more.isdigit():
            moved = await priorities.rank(db, workspace=workspace, actor=person, ref=ref, position=int(more))
            await ack(**reply(f"*{moved.ref}* {esc(moved.title)} is now number {moved.rank}."))
            return
        if key == "rename" and ref and more:
            renamed = await priorities.rename(db, workspace=workspace, actor=person, ref=ref, title=more)
            await ack(**reply(f"*{renamed.ref}* is now called {esc(renamed.title)}."))
            return
        if key == "archive" and ref and not more:
            gone = await priorities.archive(db, workspace=workspace, actor=person, ref=ref, now=now)
            await ack(**reply(f"*{gone.ref}* {esc(gone.title)} is archived; outcomes that served it keep the link."))
            return
    except Forbidden as exc:
        await ack(**reply(forbidden_text(exc)))
        return
    except (NotFound, priorities.BadPriority) as exc:
        await ack(**reply(ending(refusal_text(exc), "Nothing was changed.")))
        return
    unknown = None if key in ("help", "?") else text
    await ack(
        text=command_help_text(PRIORITY, unknown=unknown),
        blocks=command_help_blocks(PRIORITY, HELP_DETAILS, unknown=unknown),
    )


async def add_pressed(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
    """The Home tab's first step: the priority form (the submission checks who may add one)."""
    await ack()
    await open_view(client, body["trigger_id"], priority_view(metadata=encode_meta(origin="home")))


async def priority_submitted(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    block = OutcomeIds.PRIORITY_TITLE
    try:
        await priorities.add(db, workspace=workspace, actor=person, title=typed(view["state"]["values"], block))
    except (Forbidden, priorities.BadPriority) as exc:
        await ack(response_action="errors", errors={block.value: error_text(exc)})
        return
    await ack()
    if decode_meta(view.get("private_metadata")).get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
