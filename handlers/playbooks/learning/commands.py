"""`/playbook retro R-4` (opens the retrospective; shows the saved one to anyone else) and /experiment: new, list,
X-3 (show, record the result), help."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import EXPERIMENT
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, refusal_text, reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc
from handlers.playbooks.learning import experiment_blocks, retro_blocks
from models import Person, Playbook, PlaybookRun, Workspace
from models.learning import EXPERIMENT_PREFIX
from services import people
from services.errors import Forbidden, NotNow
from services.playbooks import experiments, retros
from services.refs import parse_ref

HELP_DETAILS = [
    "*New* `/experiment new` opens the form: the hypothesis (what you believe, stated so it can turn out wrong), "
    "the day it ends and, if you have one, the outcome metric it should move and by how much.",
    "*At the end* that morning, in your working hours, you get one message asking for the result: validated, "
    "invalidated or inconclusive, and what you learned. The weekly health post lists the week's learnings, the "
    "invalidated ones too: a bet that failed is a result worth having.",
    "*Find* `/experiment list` shows running ones and recent results; `/experiment X-3` shows one (and, once it "
    "has ended, lets its owner or an admin record the result). A retrospective (`/playbook retro R-4`) can start "
    "experiments too, one per line.",
]


async def open_retro(client: AsyncWebClient, db: AsyncSession, person: Person, run: PlaybookRun, now: datetime,
                     trigger_id: str) -> str | None:  # fmt: skip
    """Opens the retrospective form for those who write it; anyone else reads the saved one. Returns what to tell
    the person instead of a form (the retrospective as written, or why there is nothing yet)."""
    playbook = await db.get(Playbook, run.playbook_id)
    assert playbook is not None
    if not retros.may_write(person, run, playbook):
        try:
            return retro_blocks.reading_text(run, playbook, await retros.read(db, run=run))
        except NotNow as exc:
            return refusal_text(exc)
    try:
        retro, playbook = await retros.start(db, run=run, person=person, now=now)
    except (Forbidden, NotNow) as exc:
        return refusal_text(exc)
    view = retro_blocks.retro_view(run, playbook, blameless=retro.blameless, sections=retro.sections or {},
                                   metadata=encode_meta(run=run.ref))  # fmt: skip
    error = await open_view(client, trigger_id, view)
    return f"I couldn't open the form ({esc(error)}); please try again." if error else None


async def retro_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                        workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    _, ref = split(command)
    run = await retros.get_run(db, workspace_id=workspace.id, ref=ref) if ref else None
    if run is None:
        named = f"{esc(ref.upper()[:20])} is not a run here" if ref else "Name the run"
        await ack(**reply(f"{named}: `/playbook retro R-4` opens the retrospective of a resolved run."))
        return
    problem = await open_retro(client, db, person, run, now, command["trigger_id"])
    await ack(**reply(problem) if problem else {})


async def experiment_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                             workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    key, rest = split(command)
    if key in ("", "new"):
        today = people.today_for(person, workspace, now)
        view = experiment_blocks.experiment_view(metadata=encode_meta(channel=command.get("channel_id")),
                                                 ends_on=today + timedelta(weeks=4))  # fmt: skip
        error = await open_view(client, command["trigger_id"], view)
        await ack(**reply(f"I couldn't open the form ({esc(error)}); please try again.") if error else {})
    elif key == "list" and not rest:
        found = await experiments.list_experiments(db, workspace_id=workspace.id)
        shown = [(x, await experiments.metric_of(db, x)) for x in found]
        today = people.today_for(person, workspace, now)
        await ack(text=f"{len(found)} experiments", blocks=experiment_blocks.list_blocks(shown, today))
    elif key.startswith("x") and parse_ref(key, EXPERIMENT_PREFIX) is not None and not rest:
        await show(ack, db, workspace, person, key, now)
    else:
        unknown = None if key in ("help", "?") else f"{key} {rest}".strip()
        await ack(text=command_help_text(EXPERIMENT, unknown=unknown),
                  blocks=command_help_blocks(EXPERIMENT, HELP_DETAILS, unknown=unknown))  # fmt: skip


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, ref: str, now: datetime) -> None:
    experiment = await experiments.get(db, workspace_id=workspace.id, ref=ref)
    if experiment is None:
        await ack(**reply(f"There is no experiment {esc(ref.upper()[:20])} in this workspace. "
                          "`/experiment list` shows them all."))  # fmt: skip
        return
    today = people.today_for(person, workspace, now)
    can_record = experiments.may_conclude(person, experiment) and experiments.has_ended(experiment, today)
    metric = await experiments.metric_of(db, experiment)
    blocks = experiment_blocks.card_blocks(experiment, metric, can_record=can_record)
    await ack(text=f"{experiment.ref}: {esc(experiment.hypothesis[:200])}", blocks=blocks)
