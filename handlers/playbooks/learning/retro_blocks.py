"""Block Kit for retrospectives and proposed changes, pure: the retro form (a blameless postmortem for incidents),
the writer's DM with a button per suggestion, the proposal form, and the owner's DM with Accept and Decline.

Everything people typed (suggestions, step titles, playbook and run titles) is escaped here, once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc, mention, plural
from handlers.playbooks.learning.ids import LearningIds
from models import ChangeKind, Playbook, PlaybookRun, ProposedChange
from services.playbooks import proposals, retros
from services.playbooks.retros import Field
from services.playbooks.steps import as_text

LABELS = {
    Field.WHAT_HAPPENED: ("What happened", "The timeline as it was seen then: what was noticed, what was done."),
    Field.IMPACT: ("Impact", "Who or what was affected, for how long, how much."),
    Field.WENT_WELL: ("What went well", None),
    Field.WAS_HARD: ("What was hard", None),
    Field.FACTORS: ("Contributing factors", "Conditions, not culprits: what made this possible or made it worse."),
}
BLAMELESS = (
    "This is a blameless postmortem: describe what the system and the process allowed, not who slipped. "
    "People acted on what they knew at the time."
)
KIND_WORDS = {ChangeKind.ADD: "Add a step", ChangeKind.EDIT: "Change a step", ChangeKind.REMOVE: "Remove a step"}
SUGGESTIONS_SHOWN = 15
RETRO_VALUE = "retro:"  # our DM's button names the retro by its token; the resolved card's carries the run's id


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def retro_view(run: PlaybookRun, playbook: Playbook, *, blameless: bool, sections: dict[str, str],
               metadata: str) -> dict:  # fmt: skip
    intro = f"*{run.ref}* {esc(clip(run.title, 150))} · {playbook.ref} {esc(clip(playbook.name, 100))}"
    intro += "\nWrite at least one of the sections below; leave empty any that has nothing to say."
    blocks: list = [_section(intro + (f"\n{BLAMELESS}" if blameless else ""))]
    for name in retros.sections_of(blameless):
        label, hint = LABELS[name]
        block = LearningIds(f"retro_{name.value}")
        blocks.append(text_input(block, label, initial=sections.get(name.value), optional=True, hint=hint,
                                 multiline=True, max_length=retros.MAX_SECTION))  # fmt: skip
    blocks += [
        text_input(LearningIds.SUGGESTIONS, "What should change in the playbook", optional=True, multiline=True,
                   hint="One suggestion per line; each can become a proposed change to a step."),
        text_input(LearningIds.ACTIONS, "Action items", optional=True, multiline=True,
                   hint="One per line, starting with its owner: `@alex update the runbook by friday` (`@me` for you)."),
        text_input(LearningIds.EXPERIMENTS, "Experiments", optional=True, multiline=True,
                   hint="One per line: `paging two people halves the response time by 2027-01-31`."),
    ]  # fmt: skip
    title = "Postmortem" if blameless else "Retrospective"
    return modal(LearningIds.RETRO_VIEW, f"{title} {run.ref}"[:24], blocks, submit="Save", metadata=metadata)


def saved_text(run: PlaybookRun, saved: retros.Saved) -> str:
    parts = [f"The retrospective of *{run.ref}* is saved."]
    if saved.changes:
        parts.append(f"{plural(len(saved.changes), 'suggestion')} for the playbook: a direct message has a button "
                     "for each, to turn it into a proposed change.")  # fmt: skip
    if saved.actions:
        parts.append("Action items: " + "; ".join(f"*{a.ref}* {esc(clip(a.what, 200))}" for a in saved.actions) + ".")
    if saved.experiments:
        parts.append("Experiments: " + ", ".join(f"*{x.ref}*" for x in saved.experiments) + ".")
    return " ".join(parts)


def written_text(retro_sections: dict[str, str], *, blameless: bool) -> str:
    """The retrospective as written, section by section (what the saved form shows back)."""
    lines = [f"*{LABELS[name][0]}*\n{esc(clip(retro_sections.get(name.value) or '—', 600))}"
             for name in retros.sections_of(blameless)]  # fmt: skip
    return "\n".join(lines)


def reading_text(run: PlaybookRun, playbook: Playbook, reading: retros.Reading) -> str:
    """The saved retrospective, read-only, for anyone in the workspace: sections, suggestions, action items,
    experiments."""
    what = "postmortem" if reading.retro.blameless else "retrospective"
    by = f" by {mention(reading.writer.slack_user_id)}" if reading.writer else ""
    parts = [f"*The {what} of {run.ref}* {esc(clip(run.title, 150))} · {playbook.ref} "
             f"{esc(clip(playbook.name, 100))}, written{by}",
             written_text(reading.retro.sections or {}, blameless=reading.retro.blameless)]  # fmt: skip
    if reading.changes:
        listed = "\n".join(f"• {esc(clip(c.suggestion, 300))} _({c.status.value})_" for c in reading.changes[:10])
        parts.append(f"*What should change in the playbook*\n{listed}")
    if reading.actions:
        parts.append("*Action items* " + "; ".join(f"*{a.ref}* {esc(clip(a.what, 150))} _({a.status.value})_"
                                                    for a in reading.actions[:10]))  # fmt: skip
    if reading.experiments:
        parts.append("*Experiments* " + ", ".join(f"*{x.ref}* {esc(clip(x.hypothesis, 150))}"
                                                  for x in reading.experiments[:10]))  # fmt: skip
    return clip("\n".join(parts), 3000)


def retro_ask_blocks(run: PlaybookRun, playbook: Playbook, token: str, *, blameless: bool) -> tuple[str, list]:
    what = "blameless postmortem" if blameless else "retrospective"
    text = f"{run.ref} is resolved: time for its {what}"
    body = (f"*{run.ref}* {esc(clip(run.title, 150))} is resolved. What should {playbook.ref} "
            f"{esc(clip(playbook.name, 100))} learn from it? Write the {what}.")  # fmt: skip
    value = f"{RETRO_VALUE}{token}"
    button = ButtonElement(text="Write the retrospective", action_id=LearningIds.OPEN_RETRO, value=value,
                           style="primary")  # fmt: skip
    return text, [
        _section(body).to_dict(),
        ActionsBlock(block_id=LearningIds.RETRO_ACTIONS, elements=[button]).to_dict(),
    ]


def suggestions_blocks(run: PlaybookRun, playbook: Playbook, changes: list[ProposedChange]) -> tuple[str, list]:
    """The writer's DM: each suggestion with a button that turns it into a change to one step."""
    text = f"{plural(len(changes), 'suggestion')} from the retrospective of {run.ref}"
    blocks: list = [_section(f"The retrospective of *{run.ref}* suggests changes to *{playbook.ref}* "
                             f"{esc(clip(playbook.name, 100))}. Turn each into a proposed change to a step; "
                             "its owner decides.")]  # fmt: skip
    for change in changes[:SUGGESTIONS_SHOWN]:
        button = ButtonElement(text="Propose a change", action_id=LearningIds.PROPOSE, value=change.token)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"• {esc(clip(change.suggestion, 2900))}"),
                                   accessory=button))  # fmt: skip
    return text, [b.to_dict() for b in blocks]


def _step_option(position: int, step: dict[str, Any]) -> Option:
    return Option(value=str(step.get("key")), text=clip(f"{position}. {step.get('title') or ''}", 75))


def propose_view(change: ProposedChange, playbook: Playbook, steps: list[dict[str, Any]], *, metadata: str) -> dict:
    kinds = [Option(value=k.value, text=KIND_WORDS[k]) for k in ChangeKind]
    blocks: list = [
        _section(f"*Suggestion* {esc(clip(change.suggestion, 2800))}\nIt goes into the draft of *{playbook.ref}* "
                 f"{esc(clip(playbook.name, 100))} for its owner to accept or decline."),
        labelled(LearningIds.KIND, "The change", RadioButtonsElement(action_id=LearningIds.KIND, options=kinds)),
    ]  # fmt: skip
    if steps:
        options = [_step_option(i, s) for i, s in enumerate(steps[:100], start=1)]
        select = StaticSelectElement(action_id=LearningIds.STEP, options=options)
        blocks.append(labelled(LearningIds.STEP, "Which step (to change or remove)", select, optional=True))
    blocks.append(text_input(LearningIds.LINE, "The step as it should be (to add or change)", optional=True,
                             initial=change.suggestion[:200], hint=f"One line: {proposals.STEP_HOW}"))  # fmt: skip
    return modal(LearningIds.PROPOSE_VIEW, "Propose a change", blocks, submit="Propose", metadata=metadata)


def proposal_blocks(change: ProposedChange, run: PlaybookRun, playbook: Playbook,
                    names: Mapping[int, str]) -> tuple[str, list]:  # fmt: skip
    """The owner's DM: what the retrospective proposes, with Accept (publishes) and Decline. The step is written
    as the edit form writes it (`names`: each person's name), so the owner reads it as they would edit it."""
    what = esc(proposals.describe(change))
    detail = ""
    if change.step:
        written = as_text([change.step], names).splitlines()
        detail = "".join(f"\n> {esc(clip(line, 600))}" for line in written[:6])
    text = f"A proposed change to {playbook.ref}, learned from {run.ref}"
    body = (f"The retrospective of *{run.ref}* proposes a change to *{playbook.ref}* {esc(clip(playbook.name, 100))}: "
            f"{what}.{detail}\n_Suggested_ {esc(clip(change.suggestion, 500))}\nIt is in your draft. Accept "
            "publishes a new version whose changelog names the run.")  # fmt: skip
    buttons = [
        ButtonElement(text="Accept and publish", action_id=LearningIds.ACCEPT, value=change.token, style="primary"),
        ButtonElement(text="Decline", action_id=LearningIds.DECLINE, value=change.token),
    ]
    blocks = [_section(body), ActionsBlock(block_id=LearningIds.CHANGE_ACTIONS, elements=buttons)]
    return text, [b.to_dict() for b in blocks]


def decided_blocks(text: str) -> list[dict]:
    return [ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()]
