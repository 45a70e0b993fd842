"""A local stand-in for the Slack Web API: records every call and refuses what Slack refuses.

Used by the tests (an AsyncWebClient's base_url points at it) and by local mode (mounted at /_local/slack).
"""

from bot.devtools.standin.calls import Call
from bot.devtools.standin.server import SlackStandin

__all__ = ["Call", "SlackStandin"]
