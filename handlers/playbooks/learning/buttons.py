"""The learning loop's buttons: "Write the retrospective" (our DM and the running part's resolved card), "Propose a
change" beside each suggestion, the owner's Accept and Decline, and "Record the result" of an experiment.

A button's value names its row by a token (the resolved card's by the run's id, looked up in the presser's
workspace only); the services check who may, and a refusal is told privately."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.forms import encode_meta
from handlers.kit.replies import open_view, refusal_text, send_to_response_url, tell
from handlers.kit.text import esc
from handlers.playbooks.learning import experiment_blocks, retro_blocks
from handlers.playbooks.learning.commands import open_retro
from handlers.playbooks.messages import learning as messages
from models import Person, Playbook, PlaybookRun, Retro, Workspace
from services import people
from services.errors import Forbidden, NotNow
from services.playbooks import experiments, proposals, retros, versions

GONE = "That is no longer here: it may have been removed."


def value_of(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")[:100]


async def _run_pressed(db: AsyncSession, workspace: Workspace, value: str) -> PlaybookRun | None:
    if value.startswith(retro_blocks.RETRO_VALUE):
        token = value[len(retro_blocks.RETRO_VALUE) :]
        retro = await db.scalar(select(Retro).where(Retro.workspace_id == workspace.id, Retro.token == token))
        return await db.get(PlaybookRun, retro.run_id) if retro else None
    if value.isdigit():
        return await retros.run_by_id(db, workspace_id=workspace.id, run_id=int(value))
    return None


async def open_retro_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                             db: AsyncSession, workspace: Workspace, person: Person,
                             now: datetime) -> None:  # fmt: skip
    await ack()
    run = await _run_pressed(db, workspace, value_of(body))
    problem = GONE if run is None else await open_retro(client, db, person, run, now, body["trigger_id"])
    if problem:
        await tell(body, respond, client, problem)


async def propose_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                          db: AsyncSession, workspace: Workspace, person: Person) -> None:  # fmt: skip
    await ack()
    change = await proposals.by_token(db, workspace_id=workspace.id, token=value_of(body))
    if change is None:
        await tell(body, respond, client, GONE)
        return
    playbook = await db.get(Playbook, change.playbook_id)
    run = await db.get(PlaybookRun, change.run_id)
    assert playbook is not None and run is not None
    if not retros.may_write(person, run, playbook):
        await tell(body, respond, client, "Only the run's lead, the playbook's owner or an admin can propose it.")
        return
    if change.status.value != "suggested":
        await tell(body, respond, client, f"This suggestion is already {change.status.value}.")
        return
    current = await versions.version(db, playbook=playbook)
    steps = current.steps if current else []  # a proposal changes the published version, never a draft
    view = retro_blocks.propose_view(change, playbook, list(steps), metadata=encode_meta(change=change.token))
    await open_view(client, body["trigger_id"], view)


def decided(accept: bool):
    """Accept publishes v(n+1) learned from the run; Decline records the owner's no."""

    async def pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                      workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
        await ack()
        change = await proposals.by_token(db, workspace_id=workspace.id, token=value_of(body), lock=True)
        if change is None:
            await tell(body, respond, client, GONE)
            return
        run = await db.get(PlaybookRun, change.run_id)
        assert run is not None
        try:
            if accept:
                published = await proposals.accept(db, change=change, run=run, by=person, now=now)
                playbook = await db.get(Playbook, change.playbook_id)
                assert playbook is not None
                said = (f"Published *{playbook.ref} {published.label}*: {esc(published.changelog)}. New runs follow "
                        f"it; runs already started keep their version.")  # fmt: skip
            else:
                playbook = await proposals.decline(db, change=change, by=person, now=now)
                said = f"Declined; *{playbook.ref}* stays as it is and the change is out of your draft."
        except (Forbidden, NotNow) as exc:
            await tell(body, respond, client, refusal_text(exc))
            return
        await messages.cancel_proposal(db, change=change)
        message = body.get("message") or {}
        blocks = [b for b in message.get("blocks") or [] if b.get("type") != "actions"]
        await send_to_response_url(body.get("response_url"), text=message.get("text") or said,
                                   blocks=blocks + retro_blocks.decided_blocks(said))  # fmt: skip

    return pressed


async def result_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                         db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    experiment = await experiments.by_token(db, workspace_id=workspace.id, token=value_of(body))
    if experiment is None:
        await tell(body, respond, client, GONE)
        return
    today = people.today_for(person, workspace, now)
    if not experiments.may_conclude(person, experiment):
        await tell(body, respond, client, f"Only the owner of {experiment.ref} or an admin can record its result.")
    elif experiment.result.value != "running":
        await tell(body, respond, client, f"{experiment.ref} is already {experiment.result.value}.")
    elif not experiments.has_ended(experiment, today):
        await tell(body, respond, client, f"{experiment.ref} runs until {experiment.ends_on:%a %-d %b %Y}.")
    else:
        view = experiment_blocks.result_view(experiment, metadata=encode_meta(experiment=experiment.token))
        await open_view(client, body["trigger_id"], view)
