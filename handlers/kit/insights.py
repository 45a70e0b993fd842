"""How an insight reads wherever it shows (an outcome's card, `/insight O-12`, the weekly health post): the words
in quotes, who said them, and the message they came from."""

from __future__ import annotations

from handlers.kit.text import clip, esc, link
from models import Insight

QUOTE_SHOWN = 500  # a card shows three; the full words are one click away when they came from a message


def insight_text(insight: Insight, *, ref: str | None = None) -> str:
    """`“We would pay for the export today” — Dana, Acme call (from a message)`, ready for mrkdwn."""
    quote = esc(clip(" ".join(insight.quote.split()), QUOTE_SHOWN))
    where = f" (from {link(insight.link, 'a message')})" if insight.link else ""
    about = f"*{ref}* " if ref else ""
    return f"{about}“{quote}” — {esc(insight.source)}{where}"
