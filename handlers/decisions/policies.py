"""/escalation: list the paths a stalled decision walks; admins define and edit them in a form."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import ESCALATION
from handlers.decisions.blocks.escalation import (
    EscalationIds,
    Flag,
    LevelPart,
    error_block,
    level_block,
    policy_list_blocks,
    policy_view,
    saved_view,
)
from handlers.kit import profiles
from handlers.kit.forms import chosen_all, decode_meta, encode_meta, state_of, typed
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import forbidden_text, open_view, reply, tell
from handlers.kit.text import esc, from_command, plural
from models import EscalationPolicy, Person, Workspace
from services import decisions
from services.decisions import policies
from services.decisions.policies import MAX_LEVELS, LevelForm, PolicyForm
from services.errors import Forbidden, Invalid

HELP_DETAILS = [
    "A path says who is pinged when a decision passes its deadline undecided: level 1 at the deadline, then each "
    "next level after the wait of the one before. Each level messages chosen people, the decider again, and/or "
    "the channel, and can ping again meanwhile.",
    "Whoever a level reaches can *Acknowledge* (the path pauses for its acknowledgement window) or *Snooze*; if the "
    "decision is still open afterwards, the walk goes on where it stood.",
    "One path is the workspace default; a path can also be the default in chosen channels. Every workspace starts "
    "with *Standard*: the decider at the deadline, then the decider and the channel four hours later.",
    "`/escalation list` shows them all. Admins: `/escalation new`, `/escalation edit <name>` (the start of the "
    "name is enough).",
]


async def person_map(session: AsyncSession, workspace_id: int, paths: list[EscalationPolicy]) -> dict[int, str]:
    ids = [i for p in paths for level in p.levels for i in level.person_ids]
    found = await decisions.people_by_id(session, workspace_id=workspace_id, ids=ids)
    return {i: p.slack_user_id for i, p in found.items()}


async def escalation_command(
    ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace, person: Person
) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    if key in ("", "list") and not rest:
        await policies.ensure_built_in(db, workspace=workspace)
        paths = await policies.list_policies(db, workspace_id=workspace.id)
        channels = await policies.channel_defaults(db, workspace_id=workspace.id)
        blocks = policy_list_blocks(
            paths, await person_map(db, workspace.id, paths), channels, is_admin=person.is_admin
        )
        await ack(text=plural(len(paths), "escalation path"), blocks=blocks)
    elif key in ("new", "edit"):
        await ack(**await open_from_command(client, db, workspace, person, command["trigger_id"], key, rest))
    else:
        unknown = None if key in ("help", "?") else text
        await ack(
            text=command_help_text(ESCALATION, unknown=unknown),
            blocks=command_help_blocks(ESCALATION, HELP_DETAILS, unknown=unknown),
        )


async def open_from_command(
    client: AsyncWebClient, db: AsyncSession, workspace: Workspace, person: Person, trigger_id: str, key: str, name: str
) -> dict:
    """`/escalation new` or `/escalation edit <name>`: opens the form; returns the command's answer."""
    if not person.is_admin:
        doing = "create escalation paths" if key == "new" else "edit escalation paths"
        return reply(forbidden_text(Forbidden(doing)))
    policy = None
    if key == "edit":
        if not name:
            return reply("Say which path to edit, e.g. `/escalation edit Standard`. `/escalation list` shows them.")
        found = await policies.match_by_name(db, workspace_id=workspace.id, name=name)
        if not found:
            return reply(f"There is no path called {esc(name[:60])}. `/escalation list` shows them.")
        if len(found) > 1:
            names = ", ".join(f"*{esc(p.name)}*" for p in found[:10])
            return reply(f"“{esc(name[:60])}” could be {names}. Type more of the name to pick one.")
        [policy] = found
    error = await open_policy_form(client, db, workspace, trigger_id, policy)
    return reply(f"I couldn't open the form ({error}); please try again.") if error else {}


async def open_policy_form(
    client: AsyncWebClient, db: AsyncSession, workspace: Workspace, trigger_id: str, policy: EscalationPolicy | None
) -> str | None:
    if policy is None:
        return await open_view(client, trigger_id, policy_view(metadata=encode_meta()))
    people = await person_map(db, workspace.id, [policy])
    channels = (await policies.channel_defaults(db, workspace_id=workspace.id)).get(policy.id, [])
    view = policy_view(metadata=encode_meta(policy=policy.id), policy=policy, people=people, channels=channels)
    return await open_view(client, trigger_id, view)


async def new_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
) -> None:
    await ack()
    if not person.is_admin:
        await tell(body, respond, client, forbidden_text(Forbidden("create escalation paths")))
        return
    await open_policy_form(client, db, workspace, body["trigger_id"], None)


async def edit_pressed(
    ack: AsyncAck,
    body: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
) -> None:
    await ack()
    if not person.is_admin:
        await tell(body, respond, client, forbidden_text(Forbidden("edit escalation paths")))
        return
    policy = await find_policy(db, workspace, str(body["actions"][0].get("value") or ""))
    if policy is None:
        await tell(body, respond, client, "That escalation path no longer exists here.")
        return
    await open_policy_form(client, db, workspace, body["trigger_id"], policy)


async def find_policy(db: AsyncSession, workspace: Workspace, policy_id: str) -> EscalationPolicy | None:
    if not policy_id.isdigit():
        return None
    return await policies.get_policy(db, workspace_id=workspace.id, policy_id=int(policy_id))


def form_from_state(values: dict) -> PolicyForm:
    levels = []
    for number in range(1, MAX_LEVELS + 1):
        flags = set(chosen_all(values, level_block(LevelPart.FLAGS, number)))
        levels.append(
            LevelForm(
                people=list(state_of(values, level_block(LevelPart.PEOPLE, number)).get("selected_users") or []),
                include_decider=Flag.DECIDER.value in flags,
                post_in_channel=Flag.CHANNEL.value in flags,
                wait=state_of(values, level_block(LevelPart.WAIT, number)).get("value"),
                repeats=state_of(values, level_block(LevelPart.REPEATS, number)).get("value"),
            )
        )
    while levels and levels[-1].is_blank:
        levels.pop()
    return PolicyForm(
        name=typed(values, EscalationIds.NAME),
        ack_window=state_of(values, EscalationIds.ACK_WINDOW).get("value"),
        is_default=Flag.DEFAULT.value in chosen_all(values, EscalationIds.DEFAULT),
        channels=list(state_of(values, EscalationIds.CHANNELS).get("selected_conversations") or []),
        levels=levels,
    )


async def policy_saved(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    meta = decode_meta(view.get("private_metadata"))
    form = form_from_state(view["state"]["values"])
    await profiles.refresh_named(client, db, workspace, [u for level in form.levels for u in level.people], now)
    editing = None
    if meta.get("policy") is not None:
        editing = await find_policy(db, workspace, str(meta["policy"]))
        if editing is None:
            await ack(response_action="errors", errors={EscalationIds.NAME.value: "This path no longer exists."})
            return
    try:
        policy = await policies.save_policy(db, workspace=workspace, actor=person, form=form, editing=editing)
    except Invalid as exc:
        await ack(response_action="errors", errors={error_block(k): v for k, v in exc.errors.items()})
        return
    except Forbidden as exc:
        await ack(response_action="errors", errors={EscalationIds.NAME.value: forbidden_text(exc, plain=True)})
        return
    await ack(response_action="update", view=saved_view(policy, await person_map(db, workspace.id, [policy])))


def register(app: AsyncApp) -> None:
    app.command(ESCALATION.name)(escalation_command)
    app.view(EscalationIds.CREATE_VIEW.value)(policy_saved)
    app.view(EscalationIds.EDIT_VIEW.value)(policy_saved)
    app.action(EscalationIds.NEW.value)(new_pressed)
    app.action(EscalationIds.EDIT.value)(edit_pressed)
