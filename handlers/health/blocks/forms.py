"""The forms a finding's button opens: a new due date, a new owner, and handing a person's work to someone else;
and the confirmation each shows once done."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.health.blocks.ids import HealthIds
from handlers.kit.forms import labelled, modal
from handlers.kit.text import clip, esc
from models import Outcome
from services.health.handover import Item


def _said(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def due_view(outcome: Outcome, *, suggested: date, metadata: str) -> dict:
    picker = DatePickerElement(action_id=HealthIds.DUE, initial_date=suggested.isoformat())
    intro = f"*{outcome.ref}* {esc(outcome.title)} is due {outcome.due_date:%a %-d %b %Y}."
    blocks = [
        _said(intro),
        labelled(HealthIds.DUE, "New due date", picker, hint="A date the team can believe; the move is kept."),
    ]
    return modal(HealthIds.DUE_VIEW, "Move the due date", blocks, submit="Move", metadata=metadata)


def owner_view(outcome: Outcome, *, metadata: str) -> dict:
    intro = f"*{outcome.ref}* {esc(outcome.title)}: who owns it from now on? They hear it by direct message."
    select = UserSelectElement(action_id=HealthIds.OWNER, placeholder="Choose the new owner")
    blocks = [_said(intro), labelled(HealthIds.OWNER, "New owner", select)]
    return modal(HealthIds.OWNER_VIEW, "Reassign", blocks, submit="Reassign", metadata=metadata)


def item_option(item: Item) -> Option:
    return Option(value=item.ref, text=clip(f"{item.ref} {item.text}", 75))


def handover_view(name: str, items: list[Item], *, metadata: str) -> dict:
    """`name` is the person whose work it is, as Slack profiles give it (escaped here)."""
    intro = (
        f"Push decisions to the lowest level that can make them. Tick what {esc(clip(name, 80))} can hand on, and "
        "choose who takes it; they hear it by direct message."
    )
    boxes = CheckboxesElement(action_id=HealthIds.ITEMS, options=[item_option(i) for i in items])
    select = UserSelectElement(action_id=HealthIds.TO, placeholder="Choose who takes them on")
    blocks = [_said(intro), labelled(HealthIds.ITEMS, "Hand over", boxes), labelled(HealthIds.TO, "To", select)]
    return modal(HealthIds.HANDOVER_VIEW, "Hand over", blocks, submit="Hand over", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    """What a form turns into once it has done its work."""
    return View(type="modal", title=title, close="Close", blocks=[_said(text)]).to_dict()
