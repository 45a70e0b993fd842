"""/escalation: list the paths a stalled decision walks; admins define and edit them in a form."""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import ESCALATION
from handlers.blocks.escalation import (
    EscalationIds,
    Flag,
    LevelPart,
    error_block,
    level_block,
    policy_list_blocks,
    policy_view,
    saved_view,
)
from handlers.blocks.outcome import decode_meta, encode_meta, esc, forbidden_text
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from handlers.outcome import from_command, open_view, reply, state_of, tell, typed
from models import EscalationPolicy
from services import decisions, escalation_policies
from services.escalation_policies import MAX_LEVELS, LevelForm, PolicyForm, PolicyInvalid
from services.outcomes import Forbidden

HELP_DETAILS = [
    "A path says who is pinged when a decision passes its deadline undecided: level 1 at the deadline, then each "
    "next level after the wait of the one before. Each level messages chosen people, the decider again, and/or "
    "the channel, and can ping again meanwhile.",
    "Whoever a level reaches can *Acknowledge* (the path pauses for its acknowledgement window) or *Snooze*; if the "
    "decision is still open afterwards, the walk goes on where it stood.",
    "One path is the workspace default; a path can also be the default in chosen channels. Every workspace starts "
    "with *Standard*: the decider at the deadline, then the decider and the channel four hours later.",
    "`/escalation list` shows them all. Admins: `/escalation new`, `/escalation edit <name>`.",
]


async def person_map(session: AsyncSession, workspace_id: int, policies: list[EscalationPolicy]) -> dict[int, str]:
    ids = [i for p in policies for level in p.levels for i in level.person_ids]
    found = await decisions.people_by_id(session, workspace_id=workspace_id, ids=ids)
    return {i: p.slack_user_id for i, p in found.items()}


async def escalation_command(ack: AsyncAck, command: dict, context: dict, client: AsyncWebClient) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    db, workspace, person = context["db"], context["workspace"], context["person"]
    if key in ("", "list") and not rest:
        await escalation_policies.ensure_built_in(db, workspace=workspace)
        policies = await escalation_policies.list_policies(db, workspace_id=workspace.id)
        channels = await escalation_policies.channel_defaults(db, workspace_id=workspace.id)
        people = await person_map(db, workspace.id, policies)
        blocks = policy_list_blocks(policies, people, channels, is_admin=person.is_admin)
        await ack(text=f"{len(policies)} escalation path(s)", blocks=blocks)
        return
    if key in ("new", "edit"):
        if not person.is_admin:
            doing = "create escalation paths" if key == "new" else "edit escalation paths"
            await ack(**reply(forbidden_text(Forbidden(doing))))
            return
        policy = None
        if key == "edit":
            policy = await escalation_policies.find_by_name(db, workspace_id=workspace.id, name=rest)
            if policy is None:
                await ack(
                    **reply(f"There is no path called {esc(rest[:60]) or '(no name)'}. `/escalation list` shows them.")
                )
                return
        error = await open_policy_form(context, client, command["trigger_id"], policy)
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
        return
    unknown = None if key in ("help", "?") else text
    await ack(
        text=command_help_text(ESCALATION, unknown=unknown),
        blocks=command_help_blocks(ESCALATION, HELP_DETAILS, unknown=unknown),
    )


async def open_policy_form(
    context: dict, client: AsyncWebClient, trigger_id: str, policy: EscalationPolicy | None
) -> str | None:
    db, workspace = context["db"], context["workspace"]
    if policy is None:
        return await open_view(client, trigger_id, policy_view(metadata=encode_meta()))
    people = await person_map(db, workspace.id, [policy])
    channels = (await escalation_policies.channel_defaults(db, workspace_id=workspace.id)).get(policy.id, [])
    view = policy_view(metadata=encode_meta(policy=policy.id), policy=policy, people=people, channels=channels)
    return await open_view(client, trigger_id, view)


async def new_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    if not context["person"].is_admin:
        await tell(body, respond, client, forbidden_text(Forbidden("create escalation paths")))
        return
    await open_policy_form(context, client, body["trigger_id"], None)


async def edit_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    if not context["person"].is_admin:
        await tell(body, respond, client, forbidden_text(Forbidden("edit escalation paths")))
        return
    value = str(body["actions"][0].get("value") or "")
    policy = None
    if value.isdigit():
        policy = await escalation_policies.get_policy(
            context["db"], workspace_id=context["workspace"].id, policy_id=int(value)
        )
    if policy is None:
        await tell(body, respond, client, "That escalation path no longer exists here.")
        return
    await open_policy_form(context, client, body["trigger_id"], policy)


def _checked(values: dict, block: str) -> set[str]:
    return {o.get("value") for o in state_of(values, block).get("selected_options") or []}


def form_from_state(values: dict) -> PolicyForm:
    levels = []
    for number in range(1, MAX_LEVELS + 1):
        flags = _checked(values, level_block(LevelPart.FLAGS, number))
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
        is_default=Flag.DEFAULT.value in _checked(values, EscalationIds.DEFAULT),
        channels=list(state_of(values, EscalationIds.CHANNELS).get("selected_conversations") or []),
        levels=levels,
    )


async def policy_saved(ack: AsyncAck, view: dict, context: dict) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    editing = None
    if meta.get("policy") is not None:
        policy_id = str(meta["policy"])
        if policy_id.isdigit():
            editing = await escalation_policies.get_policy(db, workspace_id=workspace.id, policy_id=int(policy_id))
        if editing is None:
            await ack(response_action="errors", errors={EscalationIds.NAME.value: "This path no longer exists."})
            return
    try:
        policy = await escalation_policies.save_policy(
            db, workspace=workspace, actor=person, form=form_from_state(view["state"]["values"]), editing=editing
        )
    except PolicyInvalid as exc:
        await ack(response_action="errors", errors={error_block(k): v for k, v in exc.errors.items()})
        return
    except Forbidden as exc:
        await ack(response_action="errors", errors={EscalationIds.NAME.value: forbidden_text(exc, plain=True)})
        return
    await ack(response_action="update", view=saved_view(policy, await person_map(db, workspace.id, [policy])))


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(ESCALATION.name)(escalation_command)
    app.view(EscalationIds.CREATE_VIEW.value)(policy_saved)
    app.view(EscalationIds.EDIT_VIEW.value)(policy_saved)
    app.action(EscalationIds.NEW.value)(new_pressed)
    app.action(EscalationIds.EDIT.value)(edit_pressed)
