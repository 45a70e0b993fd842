"""Who one ping of the walk reaches, and whom it skips and why: someone who has left Slack, or someone away that
day (in their own zone). A level that reaches nobody hands over to the next level at once. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from models import Decision, Person, Workspace
from services import people
from services.decisions.walk import Ping


@dataclass(frozen=True)
class Reach:
    reached: list[Person] = field(default_factory=list)
    left: list[Person] = field(default_factory=list)  # no longer in the Slack workspace
    away: list[Person] = field(default_factory=list)  # away on the ping's day
    reminded: list[Person] = field(default_factory=list)  # the decider, by the deadline nudge of the same moment
    moves_on: bool = False  # a level that reached nobody: the next level follows at once

    def data(self) -> dict[str, Any]:
        """What the timeline event keeps of it (Person ids; away people with their last away day)."""
        data: dict[str, Any] = {"people": [p.id for p in self.reached]}
        if self.reminded:
            data["reminded"] = [p.id for p in self.reminded]
        if self.left:
            data["skipped"] = [p.id for p in self.left]
        if self.away:
            data["away"] = [p.id for p in self.away]
            data["away_until"] = {str(p.id): p.away_until.isoformat() for p in self.away if p.away_until}
        if self.moves_on:
            data["moved_on"] = True
        return data


def reach(
    decision: Decision, ping: Ping, found: Mapping[int, Person], workspace: Workspace, now: datetime, *, last: bool
) -> Reach:
    """Sorts the ping's people (`found` by id) into reached, left and away; `last`: no level follows this one."""
    targets = [found[i] for i in ping.people if i in found]
    decider = decision.decider
    reminded: list[Person] = []
    if ping.is_level and ping.includes_decider and decision.decider_id not in ping.people:
        # At the deadline the decider hears through the nudge of the same moment, when anything can reach them.
        if usable(decider, workspace, now):
            reminded = [decider]
        else:
            targets.append(decider)
    left = [p for p in targets if p.is_deleted]
    away = [p for p in targets if not p.is_deleted and people.is_away(p, workspace, now)]
    reached = [p for p in targets if p not in left and p not in away]
    unheard = bool(left or away) and not (reached or reminded or ping.in_channel)
    return Reach(reached, left, away, reminded, moves_on=ping.is_level and unheard and not last)


def usable(person: Person, workspace: Workspace, now: datetime) -> bool:
    return not person.is_deleted and not people.is_away(person, workspace, now)
