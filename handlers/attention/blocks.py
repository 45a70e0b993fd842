"""The noise report as Block Kit: pure, from `services.attention.noise.Noise`. Ten sections at most, each well
under Slack's 3,000 characters (the kinds listed are capped)."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import esc, plural
from services.attention.noise import CANDIDATE_BELOW, CANDIDATE_MIN_SENT, KindRate, Noise

KINDS_SHOWN = 20  # most sent first; a workspace has a dozen or so kinds of DM


def _number(value: float) -> str:
    return f"{value:g}"


def _rate(kind: KindRate) -> str:
    return f"`{esc(kind.kind)}`: {kind.answered} of {kind.sent} answered ({kind.rate:.0%})"


def per_day_line(noise: Noise) -> str:
    return (f"*DMs per person per day*: median {_number(noise.median)}, 95th percentile {noise.p95}, "
            f"most {noise.max}, over {plural(noise.person_days, 'person-day')}.")  # fmt: skip


def held_line(noise: Noise) -> str:
    return (f"*Held or sent at once*: {noise.held} waited first (outside working hours, focus time, Do Not "
            f"Disturb, over the day's budget, or away); {noise.at_once} went at once.")  # fmt: skip


def kinds_text(noise: Noise) -> str:
    if not noise.kinds:
        return "*Answered within a day, by kind*: nothing sent more than a day ago yet."
    lines = [f"• {_rate(k)}" for k in noise.kinds[:KINDS_SHOWN]]
    if len(noise.kinds) > KINDS_SHOWN:
        lines.append(f"• and {plural(len(noise.kinds) - KINDS_SHOWN, 'more kind')}")
    return "*Answered within a day, by kind* (a button pressed or a reply)\n" + "\n".join(lines)


def candidates_text(noise: Noise) -> str:
    rule = f"at least {CANDIDATE_MIN_SENT} sent and fewer than {CANDIDATE_BELOW:.0%} answered"
    if not noise.candidates:
        return f"*Candidates to turn off*: none ({rule})."
    names = ", ".join(_rate(k) for k in noise.candidates[:KINDS_SHOWN])
    return f"*Candidates to turn off* ({rule}): {names}."


def noise_text(noise: Noise) -> str:
    """The notification fallback: the headline figures."""
    if not noise.person_days and not noise.held and not noise.at_once:
        return "No DMs from me in the last 4 weeks."
    return f"DMs in the last 4 weeks. {per_day_line(noise)} {held_line(noise)}".replace("*", "")


def noise_blocks(noise: Noise) -> list[dict]:
    blocks: list = [HeaderBlock(text="DMs I started, last 4 weeks")]
    if not noise.person_days and not noise.held and not noise.at_once:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="None yet: nobody got a DM from me in that time.")))
        return [b.to_dict() for b in blocks]
    for text in (per_day_line(noise), held_line(noise), kinds_text(noise), candidates_text(noise)):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    how = (
        "Person-days: each person's own calendar days on which they got at least one DM; a round-up of the day "
        "counts once. Answers count for DMs sent over a day ago, pressed or replied to within 24 hours."
    )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=how)]))
    return [b.to_dict() for b in blocks]
