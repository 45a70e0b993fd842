"""/playbook for the library: list, show a version, diff two, new, edit, help. Everything the running and
learning parts do not claim (`run`, `resolve`, `R-n`, `retro`) lands here, unknown words included."""

from __future__ import annotations

import re
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import PLAYBOOK
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, refusal_text, reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc, from_command, mention
from handlers.playbooks.library import cards
from handlers.playbooks.library.views import edit_view, new_view
from models import Person, Playbook, PlaybookKind, Workspace
from services.errors import Forbidden, NotFound, NotNow
from services.playbooks import library, proposals
from services.playbooks.diff import diff_steps
from services.playbooks.templates import NAMES, template_for

CLAIMED_ELSEWHERE = {"run", "resolve", "retro"}  # the running and learning parts' first words
_RUN_REF = re.compile(r"^r-?\d{1,9}$", re.IGNORECASE)
_PLAYBOOK_REF = re.compile(r"^pb-?\d{1,9}$", re.IGNORECASE)
_VERSION = re.compile(r"^v?(\d{1,6})$", re.IGNORECASE)
DRAFT = "draft"

HELP_DETAILS = [
    "*Steps* are typed one per line: `timing | title | role or @person | approval: role | link`, for example "
    "`day 1 | Set up the laptop | new hire | approval: manager | https://wiki.example/laptop`. Only timing and "
    "title are needed; a step with no role or person goes to the run's lead. A line starting with `>` adds "
    "details (mrkdwn) to the step above it. Timing fits the kind: onboarding `day 3`, `week 2` (working days "
    "from the start); launch `T-14d`, `T-3h`, `T`, `T+1d` (around the launch moment); incident `now`, `+15 min`, "
    "`+1h` (from its start); other, any of these. A person is `@Priya Raman` or `@priya`; a `|` inside a title "
    "is written `\\|`. `/playbook PB-2 draft` shows a pending draft.",
    "*New* `/playbook new` opens the form: name, kind, owner, how often it is reviewed (90 days unless you say) "
    "and the steps; leave the steps empty to start from the built-in template of its kind, or open the form "
    "with one filled in: `/playbook new onboarding`, `new launch`, `new incident`. It publishes v1 unless you "
    "keep it as a draft.",
    "*Versions* never change once published. `/playbook edit PB-2` opens the draft (or the current steps): save "
    "it as a draft (anyone may), or write a changelog line to publish the next version (its owner or an admin). "
    "`/playbook PB-2 v1` shows an older version; `/playbook PB-2 diff v1 v2` what changed, step by step.",
    "*Reviews* A playbook not reviewed within its interval shows in the health findings, and its owner gets one "
    "direct message per interval asking whether it is still right: *Confirm* records the review, *Edit* opens "
    "the form. Publishing a version counts as a review.",
]


def all_help() -> list[str]:
    """The library's help, then the running and learning parts' (each package's `HELP_DETAILS`):
    `/playbook help` is answered here for all three."""
    from handlers.playbooks import learning, running  # at call time: the package imports this module first

    return [*HELP_DETAILS, *running.HELP_DETAILS, *learning.HELP_DETAILS]


async def not_claimed(body: dict) -> bool:
    """The library's matcher: every /playbook text except what the running and learning parts answer."""
    words = from_command(str(body.get("text") or "")).split(maxsplit=1)
    if not words:
        return True
    return words[0].lower() not in CLAIMED_ELSEWHERE and not _RUN_REF.match(words[0])


async def playbook_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                           workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    word, rest = split(command)
    try:
        if word == "list" and not rest:
            found = await library.list_playbooks(db, workspace_id=workspace.id)
            await ack(**reply(f"{len(found)} playbooks", blocks=cards.list_blocks(found, now)))
        elif word == "new":
            await open_new(ack, client, person, command["trigger_id"], rest)
        elif word == "edit" and rest:
            await open_edit(ack, client, db, workspace, person, command["trigger_id"], rest)
        elif _PLAYBOOK_REF.match(word):
            await show(ack, db, workspace, word, rest.split(), now)
        else:
            unknown = None if word in ("", "help", "?") else from_command(command.get("text") or "")
            await ack(**reply(command_help_text(PLAYBOOK, unknown=unknown),
                              blocks=command_help_blocks(PLAYBOOK, all_help(), unknown=unknown)))  # fmt: skip
    except (NotFound, NotNow, Forbidden) as exc:
        await ack(**reply(refusal_text(exc)))


async def open_new(ack: AsyncAck, client: AsyncWebClient, person: Person, trigger_id: str, rest: str) -> None:
    kind = next((k for k in PlaybookKind if k.value == rest.lower().strip()), None)
    if rest and kind is None:
        await ack(**reply("Templates are `onboarding`, `launch`, `incident` and `other`: `/playbook new incident`."))
        return
    view = new_view(metadata=encode_meta(), owner=person.slack_user_id, kind=kind,
                    name=NAMES[kind] if kind else "", steps=template_for(kind) if kind else "")  # fmt: skip
    error = await open_view(client, trigger_id, view)
    await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})


async def edit_form(db: AsyncSession, workspace: Workspace, person: Person, playbook: Playbook) -> dict:
    steps = await library.editing_steps(db, playbook=playbook)
    text = await library.steps_as_text(db, workspace_id=workspace.id, steps=steps)
    found = await proposals.carried(db, playbook=playbook, steps=steps) if playbook.draft_steps is not None else []
    pending = tuple(f"{proposals.describe(change)} (learned from {run.ref})" for change, run in found)
    return edit_view(playbook, metadata=encode_meta(ref=playbook.ref), steps=text,
                     from_draft=playbook.draft_steps is not None,
                     may_publish=library.may_publish(person, playbook), pending=pending,
                     changes=await _draft_changes(db, workspace, playbook))  # fmt: skip


async def _draft_changes(db: AsyncSession, workspace: Workspace, playbook: Playbook) -> str | None:
    """Everything the draft changes against the current version, and who saved it: publishing publishes all of
    it, not only the proposals it carries."""
    if playbook.draft_steps is None or not playbook.current_version:
        return None
    current = await library.version_of(db, playbook=playbook)
    diff = diff_steps(list(current.steps), list(playbook.draft_steps))
    ids = [s["person_id"] for s in [*current.steps, *playbook.draft_steps] if s.get("person_id")]
    people = await library.slack_ids(db, workspace_id=workspace.id, ids=[*ids, playbook.draft_by_id or 0])
    by = f" saved by {mention(people[playbook.draft_by_id])}" if playbook.draft_by_id in people else ""
    if diff.unchanged:
        return f"The draft{by} has the same steps as v{current.number}."
    counts = {"added": diff.added, "removed": diff.removed, "moved": diff.moved, "edited": diff.edited}
    said = ", ".join(f"{len(items)} {word}" for word, items in counts.items() if items)
    lines = cards.diff_lines(diff, people)
    shown = "\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else "")
    return f"The draft{by} changes v{current.number}: {said}.\n{shown}"


async def open_edit(ack: AsyncAck, client: AsyncWebClient, db: AsyncSession, workspace: Workspace, person: Person,
                    trigger_id: str, ref: str) -> None:  # fmt: skip
    playbook = await library.find(db, workspace_id=workspace.id, ref=ref)
    error = await open_view(client, trigger_id, await edit_form(db, workspace, person, playbook))
    await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})


def version_number(word: str) -> int:
    match = _VERSION.match(word)
    if not match:
        raise NotNow(f"“{word[:20]}” is not a version: write it as `v2`.")
    return int(match.group(1))


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, ref: str, words: list[str],
               now: datetime) -> None:  # fmt: skip
    playbook = await library.find(db, workspace_id=workspace.id, ref=ref)
    if words and words[0].lower() == "diff":
        await show_diff(ack, db, workspace, playbook, words[1:])
        return
    if len(words) > 1:
        raise NotNow(f"Try `/playbook {playbook.ref}`, `/playbook {playbook.ref} v1`, `/playbook {playbook.ref} "
                     f"draft` or `/playbook {playbook.ref} diff v1 v2`.")  # fmt: skip
    if words and words[0].lower() == DRAFT:
        await show_draft(ack, db, workspace, playbook)
        return
    version = await library.version_of(db, playbook=playbook, number=version_number(words[0]) if words else None)
    ids = [s["person_id"] for s in version.steps if s.get("person_id")]
    people = await library.slack_ids(db, workspace_id=workspace.id, ids=ids)
    history = await library.history(db, playbook=playbook)
    blocks = cards.version_blocks(playbook, version, people, now, history)
    await ack(**reply(cards.version_text(playbook, version), blocks=blocks))


def _draft(playbook: Playbook) -> list[dict]:
    if playbook.draft_steps is None:
        raise NotNow(f"{playbook.ref} has no pending draft; `/playbook edit {playbook.ref}` starts one.")
    return list(playbook.draft_steps)


async def show_draft(ack: AsyncAck, db: AsyncSession, workspace: Workspace, playbook: Playbook) -> None:
    steps = _draft(playbook)
    people = await library.slack_ids(db, workspace_id=workspace.id,
                                     ids=[s["person_id"] for s in steps if s.get("person_id")])  # fmt: skip
    by = (await library.slack_ids(db, workspace_id=workspace.id, ids=[playbook.draft_by_id])).get(
        playbook.draft_by_id or 0
    )
    blocks = cards.draft_blocks(playbook, steps, people, by, playbook.draft_updated_at)
    await ack(**reply(f"{playbook.ref} {esc(playbook.name)}: the pending draft", blocks=blocks))


async def _side(db: AsyncSession, playbook: Playbook, word: str | int) -> cards.Side:
    if word == DRAFT:
        return cards.Side("draft", _draft(playbook))
    version = await library.version_of(db, playbook=playbook, number=int(word))
    return cards.Side(f"v{version.number}", list(version.steps), version.changelog)


async def show_diff(ack: AsyncAck, db: AsyncSession, workspace: Workspace, playbook: Playbook,
                    words: list[str]) -> None:  # fmt: skip
    """`diff v1 v2` (in the order named); `diff v1` or `diff draft` compares with the current version; `diff`
    alone, the previous version with the current."""
    if len(words) > 2:
        raise NotNow(f"Name two versions: `/playbook {playbook.ref} diff v1 v2` (or `draft`).")
    named: list[str | int] = [DRAFT if w.lower() == DRAFT else version_number(w) for w in words]
    if len(named) < 2:
        named = named or [playbook.current_version - 1]
        if named[0] == DRAFT:  # what the draft would change in the current version
            named.insert(0, playbook.current_version)
        else:
            named.append(playbook.current_version)
    if not playbook.current_version:
        raise NotNow(f"{playbook.ref} has no published version yet: nothing to compare with. `/playbook "
                     f"{playbook.ref} draft` shows its draft.")  # fmt: skip
    if any(n != DRAFT and int(n) < 1 for n in named):
        raise NotNow(f"{playbook.ref} has only v{playbook.current_version or 1} so far: nothing to compare yet.")
    before, after = [await _side(db, playbook, n) for n in named]
    swapped = all(n != DRAFT for n in named) and int(named[0]) > int(named[1])
    diff = diff_steps(before.steps, after.steps)
    ids = [s["person_id"] for side in (before, after) for s in side.steps if s.get("person_id")]
    people = await library.slack_ids(db, workspace_id=workspace.id, ids=ids)
    blocks = cards.diff_blocks(playbook, before, after, diff, people, swapped=swapped)
    await ack(**reply(cards.diff_text(playbook, before, after, diff), blocks=blocks))
