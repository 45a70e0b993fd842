"""Block, action and callback ids of insights, named once."""

from __future__ import annotations

from enum import StrEnum


class InsightIds(StrEnum):
    CREATE_VIEW = "insight_create"
    OUTCOME = "insight_outcome"
    QUOTE = "insight_quote"
    SOURCE = "insight_source"
