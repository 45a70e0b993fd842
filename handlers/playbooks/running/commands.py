"""/playbook run PB-2 (opens the start form at once), /playbook R-4 (the card and its timeline) and
/playbook resolve R-4. The rest of /playbook belongs to the library part."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, refusal_text, reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc
from handlers.playbooks.messages import runs as messages
from handlers.playbooks.running.blocks import card_blocks, card_text, timeline_blocks
from handlers.playbooks.running.form_blocks import start_view
from models import Person, Workspace
from models.playbook_run import RUN_PREFIX
from services.errors import Forbidden, NotNow
from services.playbooks import run_changes, runs
from services.refs import parse_ref

WORDS = ("run", "resolve")


def is_run_ref(word: str) -> bool:
    return parse_ref(word, RUN_PREFIX) is not None and word.strip().upper().startswith(RUN_PREFIX)


async def mine(body: dict) -> bool:
    """A Bolt matcher: `/playbook run …`, `/playbook resolve …` and `/playbook R-4` are this part's."""
    word, _ = split(body)
    return word in WORDS or is_run_ref(word)


async def playbook_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                          workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    word, rest = split(command)
    if word == "run":
        await start(ack, command, client, db, workspace, person, rest)
    elif word == "resolve":
        await resolve(ack, db, workspace, person, rest, now)
    else:
        await show(ack, db, workspace, word, rest, now)


async def start(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                person: Person, ref: str) -> None:  # fmt: skip
    if not ref:
        await ack(**reply("Say which playbook to run: `/playbook run PB-2`. `/playbook list` shows them."))
        return
    try:
        playbook, pinned = await runs.startable(db, workspace_id=workspace.id, ref=ref.split()[0])
    except NotNow as exc:
        await ack(**reply(refusal_text(exc)))
        return
    roles = runs.asked_roles(pinned.steps, playbook.kind)
    meta = encode_meta(pb=playbook.ref, roles=roles)
    view = start_view(playbook, pinned, roles, lead=person.slack_user_id, channel=command.get("channel_id"),
                      metadata=meta)  # fmt: skip
    error = await open_view(client, command["trigger_id"], view)
    await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, ref: str, rest: str, now: datetime) -> None:
    run = await runs.get_run(db, workspace_id=workspace.id, ref=ref)
    if run is None:
        await ack(**reply(f"I can't find {esc(ref.upper()[:20])} in this workspace."))
        return
    if rest.strip():  # `/playbook R-1 v2`: a run has one version, the one it started on
        text = (
            f"A run has no versions of its own: {run.ref} keeps the version it started on, named on its card. "
            f"`/playbook {run.ref}` shows it; `/playbook PB-2 v2` shows a version of a playbook."
        )
        await ack(**reply(text))
        return
    playbook, pinned = await runs.pinned_of(db, run=run)
    steps = await runs.steps_of(db, run=run)
    approvers = await runs.approvers_of(db, run=run, pinned=pinned)
    card = card_blocks(run, playbook, pinned, steps, now, approvers, await messages.retro_done(db, run))
    blocks = card + timeline_blocks(await runs.timeline(db, run=run))
    await ack(**reply(card_text(run, steps, now, playbook.kind), blocks=blocks))


async def resolve(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, ref: str,
                  now: datetime) -> None:  # fmt: skip
    run = await runs.get_run(db, workspace_id=workspace.id, ref=ref, lock=True) if ref else None
    if run is None:
        if not ref:
            await ack(**reply("Say which run to resolve, e.g. `/playbook resolve R-4` (its card names it)."))
        else:
            await ack(**reply(f"I can't find {esc(ref.upper()[:20])} in this workspace; each run's card names it."))
        return
    try:
        await run_changes.resolve(db, run=run, actor=person, now=now)
    except (Forbidden, NotNow) as exc:
        await ack(**reply(refusal_text(exc)))
        return
    await messages.run_resolved(db, run=run, actor=person, automatic=False, now=now)
    await ack(**reply(f"{run.ref} is resolved. Its card now offers the retrospective."))
