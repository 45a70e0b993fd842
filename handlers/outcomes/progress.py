"""/progress: log a value, a status, a note in one line, or through the Log progress form."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import PROGRESS
from handlers.kit.announce import announce
from handlers.kit.forms import chosen, decode_meta, encode_meta, typed
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from handlers.kit.replies import (
    ending,
    error_text,
    forbidden_text,
    open_view,
    opened_from_home,
    refusal_text,
    reply,
    tell,
)
from handlers.kit.text import duration, esc, from_command
from handlers.outcomes.blocks.progress import (
    PART_BLOCKS,
    ProgressIds,
    logged_text,
    logged_view,
    progress_view,
    undone_text,
)
from models import Outcome, OutcomeStatus, Person, ProgressSource, Workspace
from services import outcomes
from services.errors import Forbidden
from services.outcomes.grammar import (
    BadProgress,
    Part,
    Typed,
    finishing_word,
    parse_command,
    parse_values,
    with_metric_names,
    without_status,
)
from services.outcomes.progress import log_progress
from services.refs import looks_like_ref

HELP_DETAILS = [
    "`/progress O-12`, then what you log, then a note. What you log is any of:",
    "• a number for the outcome's lagging metric: `42`, `31%`, `3.5` (a dot for decimals); followed by another "
    "metric's whole name, it is that metric's: `4 demos booked`; followed by only the start of one (`4 demos`), "
    "or a note that begins with a metric's name and a number (`demos booked 4`), you are asked which you meant",
    "• `name=value` for any metric, by its name, the start of it or a few of its words, in any case, with - or _ "
    "for spaces: `activation=31%`, `demos-booked=4`, `demos=4`; a metric's whole name works with its spaces too: "
    "`demos booked=4`",
    "• a status: `on-track`, `at-risk`, `off-track` (also written `at risk`, `offtrack`, `At_Risk`), or `done` "
    "(the owner or an admin). A word that looks like a misspelt status is questioned, and nothing is stored. "
    "`done` closes the outcome only with nothing after it but values: `done with the first cohort` is a note.",
    "A percentage below 0 or above 100, a negative amount, a `%` on a metric that is not a percentage, a "
    "fraction such as `0.38` on one in tens of percent, or `+2` (a reading is where the metric stands now, not the "
    "change) is questioned too; if you mean it, end the value "
    "with `!`, e.g. `activation=104%!`.",
    "Everything after that is the note; `blocker: ...` at its end (also `blocked: ...`, or `blocked on ...` after "
    "a comma) records what is in the way, until `blocker: none` or the outcome back on track or done clears it. "
    "Notes stop at 2,000 "
    "characters. Anyone in the workspace can log progress. The channel where the outcome was defined hears of a "
    "move to at risk or off track, of the way back, of the outcome done, and of it reopened.",
    "`/progress O-12 undo` takes back your own last update on O-12 while it is the latest and under a day old "
    "(a status change is set back with a status instead).",
    "`/progress` alone, or `/progress O-12` alone, opens a form with an outcome picker (yours first).",
]


async def progress_command(
    ack: AsyncAck,
    command: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    text = from_command(command.get("text") or "").strip()
    word = text.split(maxsplit=1)[0] if text else ""
    if word.lower() in ("help", "?") or (word and not looks_like_ref(word)):
        unknown = None if word.lower() in ("help", "?") else text
        await ack(
            text=command_help_text(PROGRESS, unknown=unknown),
            blocks=command_help_blocks(PROGRESS, HELP_DETAILS, unknown=unknown),
        )
        return
    outcome = None
    if text:
        try:
            request = parse_command(text)
        except BadProgress as exc:
            await ack(**reply(ending(refusal_text(exc), "Nothing was stored.")))
            return
        # Locked at once when something is to be logged: the change then needs no second read.
        outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=request.ref, lock=not request.is_empty)
        if outcome is None:
            await ack(**reply(f"I can't find {request.ref.upper()} in this workspace. `/outcome list` shows yours."))
            return
        if request.is_undo:
            await undo_command(ack, db, outcome, person, now)
            return
        if not request.is_empty:
            try:
                request = with_metric_names(outcome, request)
            except BadProgress as exc:  # a note that starts like a reading: asked about, nothing stored
                await ack(**reply(ending(refusal_text(exc), "Nothing was stored.")))
                return
            await log_command(ack, db, client, outcome, person, request, now, line=text)
            return
    view = progress_view(metadata=encode_meta(channel=command.get("channel_id")), outcome=outcome)
    error = await open_view(client, command["trigger_id"], view)
    await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})


async def log_command(
    ack: AsyncAck,
    db: AsyncSession,
    client: AsyncWebClient,
    outcome: Outcome,
    person: Person,
    request: Typed,
    now: datetime,
    *,
    line: str,
) -> None:
    try:
        logged = await log_progress(
            db,
            outcome=outcome,
            author=person,
            entries=request.entries,
            status=request.status,
            note=request.note,
            blocker=request.blocker,
            source=ProgressSource.COMMAND,
            now=now,
        )
    except BadProgress as exc:
        await ack(**reply(ending(refusal_text(exc), "Nothing was stored.")))
        return
    except Forbidden as exc:
        text = forbidden_text(exc)
        # Only the status was theirs to refuse: keep the rest at hand, where the outcome would take it (a dropped
        # one takes nothing until its owner reopens it).
        if outcome.status is not OutcomeStatus.DROPPED and (rest := without_status(line, request)):
            text += f" To log the rest without the status, send:\n`/progress {esc(rest)}`"
        await ack(**reply(text))
        return
    announcement = await announce(db, client, logged, person)
    text = logged_text(logged, announcement=announcement)
    if (word := finishing_word(request.note)) and outcome.status.is_open:
        text += (f"\n_Your note begins with “{esc(word)}”, so {outcome.ref} stays open. If it is finished, "
                 f"`/progress {outcome.ref} done` closes it._")  # fmt: skip
    elif outcome.status is OutcomeStatus.DONE and not logged.status_changed:
        text += (f"\n_{outcome.ref} is done, so this is kept in its history. `/progress {outcome.ref} on-track` "
                 "reopens it (its owner or an admin)._")  # fmt: skip
    await ack(**reply(text))


async def undo_command(ack: AsyncAck, db: AsyncSession, outcome: Outcome, person: Person, now: datetime) -> None:
    """`/progress O-12 undo`: the person's own last update taken back, or why it can't be."""
    try:
        undone = await outcomes.undo_last(db, outcome=outcome, author=person, now=now)
    except BadProgress as exc:
        await ack(**reply(ending(refusal_text(exc), "Nothing was changed.")))
        return
    await ack(**reply(undone_text(undone, ago=f"{duration(now - undone.update.created_at, rough=True)} ago")))


async def log_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession, workspace: Workspace
) -> None:
    """Log progress on a card or the Home tab: the form, with the outcome already chosen."""
    await ack()
    ref = str(body["actions"][0].get("value") or "")
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref)
    if outcome is None:
        await tell(body, respond, client, f"I can't find {esc(ref[:20]) or 'that outcome'} in this workspace.")
        return
    channel = (body.get("channel") or {}).get("id")
    meta = encode_meta(channel=channel, origin="home" if opened_from_home(body) else None)
    error = await open_view(client, body["trigger_id"], progress_view(metadata=meta, outcome=outcome))
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")


async def progress_submitted(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    values = view["state"]["values"]
    meta = decode_meta(view.get("private_metadata"))
    ref = chosen(values, ProgressIds.OUTCOME) or ""
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref, lock=True) if ref else None
    if outcome is None:
        await ack(response_action="errors", errors={ProgressIds.OUTCOME.value: "Pick an outcome of this workspace."})
        return
    try:
        status = OutcomeStatus(chosen(values, ProgressIds.STATUS)) if chosen(values, ProgressIds.STATUS) else None
    except ValueError:  # not a status any form of ours offers
        await ack(response_action="errors", errors={ProgressIds.STATUS.value: "Pick one of the statuses offered."})
        return
    try:
        logged = await log_progress(
            db,
            outcome=outcome,
            author=person,
            entries=parse_values(typed(values, ProgressIds.VALUES)),
            status=status,
            note=typed(values, ProgressIds.NOTE),
            blocker=typed(values, ProgressIds.BLOCKER),
            source=ProgressSource.MODAL,
            now=now,
        )
    except BadProgress as exc:
        await ack(response_action="errors", errors={PART_BLOCKS[exc.part].value: error_text(exc)})
        return
    except Forbidden as exc:
        await ack(response_action="errors", errors={PART_BLOCKS[Part.STATUS].value: error_text(exc)})
        return
    announcement = await announce(db, client, logged, person)
    await ack(response_action="update", view=logged_view(logged, announcement=announcement))
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
