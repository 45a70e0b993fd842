"""SQLAlchemy models, one module per aggregate. Importing this package registers every table."""

from models.base import Base
from models.slack_event import SlackEvent
from models.slack_oauth import slack_bots, slack_installations, slack_oauth_states
from models.workspace import Person, Workspace

__all__ = [
    "Base",
    "Person",
    "SlackEvent",
    "Workspace",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
