"""A local stand-in for the Slack Web API: records every call and refuses what Slack refuses.

Used by the tests (an AsyncWebClient's base_url points at it) and by local mode (mounted at /_local/slack).
The parts live in bot/standin/; this module is the name everyone imports.
"""

from bot.standin.calls import Call
from bot.standin.server import SlackStandin

__all__ = ["Call", "SlackStandin"]
