"""compatibility re-export until checkins/decisions move; delete at merge"""

from datetime import date, datetime

from handlers.kit.forms import chosen, state_of, typed
from handlers.kit.replies import open_view, opened_from_home, reply, tell
from handlers.kit.text import from_command
from models import Person, Workspace
from services.people import person_zone

__all__ = ["chosen", "from_command", "open_view", "opened_from_home", "reply", "state_of", "tell", "today_for", "typed"]


def today_for(person: Person, workspace: Workspace) -> date:
    # The old two-argument form (system clock) that handlers/checkin.py calls; outcomes now use the request's `now`.
    return datetime.now(person_zone(person, workspace)).date()
