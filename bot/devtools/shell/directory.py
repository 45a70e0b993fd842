"""Who and where: the workspace's people and channels, so the shell can show names and accept them as answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Directory:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=lambda: {"C0GENERAL": "general"})

    @classmethod
    def from_users(cls, users: list[dict[str, Any]], channels: dict[str, str] | None = None) -> Directory:
        d = cls(users={u["id"]: u for u in users if u.get("id")})
        if channels:
            d.channels.update(channels)
        return d

    def user_name(self, user_id: str | None) -> str:
        if not user_id:
            return "Followthrough"
        user = self.users.get(user_id)
        if not user:
            return user_id
        return user.get("name") or user.get("real_name") or user_id

    def user_tz(self, user_id: str) -> str:
        return (self.users.get(user_id) or {}).get("tz") or "UTC"

    def find_user(self, text: str) -> str | None:
        """A user id from an id, a name, @name or a real name (case-insensitive)."""
        key = text.strip().lstrip("@").strip()
        if not key:
            return None
        if key in self.users:
            return key
        lowered = key.lower()
        for uid, user in self.users.items():
            names = (user.get("name"), user.get("real_name"), (user.get("profile") or {}).get("display_name"))
            if any(n and n.lower() == lowered for n in names):
                return uid
        if key.upper() in self.users:
            return key.upper()
        return None

    def channel_name(self, channel_id: str | None) -> str:
        if not channel_id:
            return "?"
        if channel_id.startswith("D"):
            return "DM"
        return "#" + self.channels.get(channel_id, channel_id)

    def find_channel(self, text: str) -> str | None:
        """A channel id from C…/G…/D… ids or #name; unknown names are not guessed."""
        key = text.strip()
        if not key:
            return None
        if key.startswith("#"):
            name = key[1:].lower()
            return next((cid for cid, n in self.channels.items() if n.lower() == name), None)
        if key[0] in "CGD" and key[1:].isalnum() and key.upper() == key:
            return key
        return next((cid for cid, n in self.channels.items() if n.lower() == key.lower()), None)
