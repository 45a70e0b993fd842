"""The library's forms, pure: a new playbook, and editing one (save a draft, or publish with a changelog line)."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc
from handlers.playbooks.library.cards import KIND_WORDS
from handlers.playbooks.library.ids import LibraryIds
from models import Playbook, PlaybookKind
from models.playbook import DEFAULT_REVIEW_DAYS
from services.playbooks.library import MAX_NAME, MAX_TEXT
from services.playbooks.steps import HOW
from services.playbooks.versions import MAX_CHANGELOG

STEPS_MAX = MAX_TEXT
STEPS_HINT = (
    "One step per line: timing | title | role or @person | approval: role | link. Timing by kind: onboarding "
    "day 1, week 2; launch T-14d, T-3h, T, T+1d; incident now, +15 min, +1h; other any of them. Write a | inside "
    "a title as \\|. A line starting with > adds details to the step above. At most 3,000 characters, details "
    "included (Slack's limit): link long instructions instead."
)
PUBLISH = "publish"
DRAFT = "draft"


def _kind_option(kind: PlaybookKind) -> Option:
    return Option(value=kind.value, label=KIND_WORDS[kind])


def new_view(*, metadata: str, owner: str, kind: PlaybookKind | None, name: str, steps: str) -> dict:
    """`owner` is a Slack user id; `kind` and `steps` come filled in when the command named a template."""
    kinds = [_kind_option(k) for k in PlaybookKind]
    publish = [Option(value=PUBLISH, label="Publish v1 now"), Option(value=DRAFT, label="Keep it as a draft")]
    blocks = [
        text_input(LibraryIds.NAME, "Name", initial=name, max_length=MAX_NAME),
        labelled(
            LibraryIds.KIND,
            "Kind",
            StaticSelectElement(action_id=LibraryIds.KIND, options=kinds,
                                initial_option=_kind_option(kind) if kind else None),  # fmt: skip
        ),
        labelled(LibraryIds.OWNER, "Owner", UserSelectElement(action_id=LibraryIds.OWNER, initial_user=owner),
                 hint="Keeps it right: publishes new versions and is asked to review it."),  # fmt: skip
        text_input(LibraryIds.REVIEW, "Review every (days)", initial=str(DEFAULT_REVIEW_DAYS), max_length=3,
                   hint="Its owner is asked whether it is still right when this many days pass without a review."),
        text_input(LibraryIds.STEPS, "Steps", initial=steps, multiline=True, optional=True, max_length=STEPS_MAX,
                   hint="Leave empty to start from the built-in template of the kind you chose. " + STEPS_HINT),
        labelled(LibraryIds.PUBLISH, "When saved",
                 RadioButtonsElement(action_id=LibraryIds.PUBLISH, options=publish, initial_option=publish[0])),
    ]  # fmt: skip
    return modal(LibraryIds.NEW_VIEW, "New playbook", blocks, submit="Create", metadata=metadata)


def edit_view(playbook: Playbook, *, metadata: str, steps: str, from_draft: bool, may_publish: bool,
              pending: tuple[str, ...] = (), changes: str | None = None) -> dict:  # fmt: skip
    """`pending`: the proposed changes (not yet accepted) the draft carries, described plainly; `changes`: what
    the whole draft changes against the current version (mrkdwn, already escaped)."""
    source = "the draft" if from_draft else f"v{playbook.current_version}"
    blocks: list = [
        SectionBlock(text=MarkdownTextObject(text=f"*{playbook.ref}* {esc(playbook.name)}: editing {source}.")),
    ]
    if changes:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(changes, 3000))))
    if pending:
        listed = "\n".join(f"• {esc(clip(line, 300))}" for line in pending[:10])
        then = ("Publishing accepts those still in the steps, and the changelog names their runs; take a line out "
                "to leave its proposal waiting.") if may_publish else "Its owner accepts or declines them."  # fmt: skip
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=clip(f"This draft holds proposed changes nobody has accepted yet:\n{listed}\n{then}", 3000)
                )
            )
        )
    blocks += [
        text_input(LibraryIds.STEPS, "Steps", initial=steps, multiline=True, max_length=STEPS_MAX, hint=STEPS_HINT),
    ]
    if may_publish:
        blocks.append(text_input(
            LibraryIds.CHANGELOG, "Changelog line", optional=True, max_length=MAX_CHANGELOG,
            hint=f"Write what changed to publish v{playbook.current_version + 1}; leave it empty to save a draft.",
        ))  # fmt: skip
    else:
        note = "Your steps are saved as a draft; its owner, or a workspace admin, publishes it."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    title = clip(f"Edit {playbook.ref}", 24)
    return modal(LibraryIds.EDIT_VIEW, title, blocks, submit="Save", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()


__all__ = ["HOW", "done_view", "edit_view", "new_view"]
