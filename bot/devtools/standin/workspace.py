"""The stand-in's workspace: people, channels, messages, views, and the feed a person would see."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.devtools.standin.calls import SlackError

TRIGGER_LIFETIME = 3.0


class Workspace:
    def __init__(
        self, *, team_id: str, team_name: str, bot_user_id: str, bot_id: str, app_id: str, clock: Callable[[], float]
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.clock = clock
        # What dnd.info compares a snooze with; a test on a movable clock sets it without moving message stamps.
        self.dnd_clock: Callable[[], float] | None = None
        self.users: dict[str, dict] = {}
        self.channels: dict[str, dict] = {}
        self.ims: dict[str, str] = {}  # DM channel id -> user id
        self.mpims: dict[str, list[str]] = {}
        # Counters never go back, even on reset(), so a stale id from an earlier test cannot match.
        self._last_ts = 0
        self._seq = 0
        self._n = 0
        self.clear()

    def clear(self) -> None:
        self.messages: dict[str, list[dict]] = {}
        self.views: dict[str, dict] = {}
        self.view_users: dict[str, str | None] = {}
        self.external_ids: dict[str, str] = {}
        self.homes: dict[str, str] = {}
        self.triggers: dict[str, dict] = {}
        self.response_keys: dict[str, dict] = {}
        self.feed: list[dict] = []

    # ids -----------------------------------------------------------------
    def next_n(self) -> int:
        self._n += 1
        return self._n

    def new_ts(self) -> str:
        # Slack's ts is seconds.micro and unique per channel; stepping by 100 µs keeps it strictly increasing.
        micro = max(int(self.clock() * 1_000_000), self._last_ts + 100)
        self._last_ts = micro
        return f"{micro // 1_000_000}.{micro % 1_000_000:06d}"

    def new_hash(self, view_id: str) -> str:
        return f"{int(self.clock())}.{hashlib.sha1(f'{view_id}:{self.next_n()}'.encode()).hexdigest()[:8]}"

    def new_trigger_id(self, user_id: str | None = None) -> str:
        n = self.next_n()
        trigger_id = f"{n}.{self.team_id}.{hashlib.sha1(f'trigger:{n}'.encode()).hexdigest()[:16]}"
        self.triggers[trigger_id] = {"at": self.clock(), "user": user_id, "used": False}
        return trigger_id

    def use_trigger(self, trigger_id: str) -> str | None:
        """Spends a trigger and returns the user it belongs to."""
        trigger = self.triggers.get(str(trigger_id))
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger["used"]:
            raise SlackError("exchanged_trigger_id")
        if self.clock() - trigger["at"] >= TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        trigger["used"] = True
        return trigger["user"]

    # feed ----------------------------------------------------------------
    def emit(self, kind: str, **item: Any) -> None:
        self._seq += 1
        self.feed.append({"seq": self._seq, "kind": kind, **item})

    def feed_after(self, after: int) -> dict:
        items = [item for item in self.feed if item["seq"] > after]
        return {"items": items, "next": items[-1]["seq"] if items else max(after, 0)}

    # people and conversations ------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        tz: str = "UTC",
        is_admin: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        is_bot: bool = False,
        display_name: str = "",
    ) -> dict:
        real_name = real_name or name
        user = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": deleted,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            # Slack leaves display_name empty until the person sets one.
            "profile": {"display_name": display_name, "real_name": real_name, "team": team_id or self.team_id},
        }
        if is_bot:
            user["profile"]["bot_id"] = self.bot_id
        self.users[user_id] = user
        return user

    def snooze(self, user_id: str, *, until: float | None) -> None:
        """The person pauses notifications until `until` (epoch seconds), as Slack's "Pause notifications" does."""
        self.users[user_id]["dnd"] = {**self.users[user_id].get("dnd", {}), "snooze_endtime": until or 0}

    def user_view(self, user_id: str) -> dict:
        """The user object as users.info returns it now (tz_offset is a snapshot of today)."""
        user = dict(self.users[user_id])
        user.pop("dnd", None)  # served by dnd.info, not in the user object
        try:
            now = datetime.fromtimestamp(self.clock(), ZoneInfo(user["tz"]))
            user["tz_label"] = now.tzname()
            user["tz_offset"] = int(now.utcoffset().total_seconds())
        except (ZoneInfoNotFoundError, ValueError):
            user["tz_label"], user["tz_offset"] = "Coordinated Universal Time", 0
        return user

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        members: list[str] | None = None,
        is_private: bool = False,
        bot_is_member: bool = True,
    ) -> dict:
        members = list(members or [])
        if bot_is_member and self.bot_user_id not in members:
            members.append(self.bot_user_id)
        channel = {"id": channel_id, "name": name, "is_private": is_private, "members": members}
        self.channels[channel_id] = channel
        return channel

    def dm_for(self, user_id: str) -> str:
        channel_id = "D" + user_id  # stable per user, never clashes with another user's
        self.ims[channel_id] = user_id
        return channel_id

    def resolve(self, channel: Any) -> str:
        """A channel argument (channel id, DM id, or user id) -> the conversation id; else channel_not_found."""
        channel = str(channel or "")
        if channel in self.channels or channel in self.ims or channel in self.mpims:
            return channel
        if channel in self.users:
            return self.dm_for(channel)
        raise SlackError("channel_not_found")

    def members_of(self, channel_id: str) -> list[str]:
        if channel_id in self.channels:
            return list(self.channels[channel_id]["members"])
        if channel_id in self.ims:
            return [self.ims[channel_id], self.bot_user_id]
        return list(self.mpims[channel_id])

    def conversation_info(self, channel_id: str) -> dict:
        if channel_id in self.ims:
            return {"id": channel_id, "is_im": True, "user": self.ims[channel_id], "is_open": True}
        if channel_id in self.mpims:
            return {"id": channel_id, "is_mpim": True, "is_private": True, "is_member": True}
        c = self.channels[channel_id]
        return {
            "id": channel_id,
            "name": c["name"],
            "is_channel": not c["is_private"],
            "is_group": c["is_private"],
            "is_im": False,
            "is_mpim": False,
            "is_private": c["is_private"],
            "is_archived": False,
            "is_member": self.bot_user_id in c["members"],
            "num_members": len(c["members"]),
        }

    # messages ------------------------------------------------------------
    def find_message(self, channel_id: str, ts: Any) -> dict:
        for message in self.messages.get(channel_id, []):
            if message["ts"] == str(ts):
                return message
        raise SlackError("message_not_found")

    def thread(self, channel_id: str, thread_ts: str) -> list[dict]:
        """Parent first, then replies oldest first."""
        found = [
            m for m in self.messages.get(channel_id, []) if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts
        ]
        return sorted(found, key=lambda m: (m["ts"] != thread_ts, float(m["ts"])))

    def top_level(self, channel_id: str) -> list[dict]:
        return [
            m
            for m in self.messages.get(channel_id, [])
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
