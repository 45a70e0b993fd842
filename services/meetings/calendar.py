"""A meeting as a standard calendar invitation (RFC 5545, built with `icalendar`), served at
`/meetings/<token>.ics`: the random token is the only key, so whoever was sent the link can add the meeting to any
calendar, and nobody can guess another. Pure: the meeting in (its details loaded), bytes out.

We know no one's e-mail address, so the organiser is named (CN) with a Slack link as their address and attendees
are not listed: a calendar would try to send them invitations of its own.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from models import AttendeeRole, Meeting, MeetingStatus

CALENDAR_PATH = "/meetings/{token}.ics"
PRODID = "-//Followthrough//Meetings//EN"
MAX_TOKEN = 64
_OFF = {MeetingStatus.CANCELLED: "It was cancelled.", MeetingStatus.ASYNC: "It was made async: it happens in writing."}


def calendar_path(token: str) -> str:
    return CALENDAR_PATH.format(token=token)


def calendar_url(base_url: str | None, token: str) -> str | None:
    """The link to a meeting's invitation on the app's public address; None when the app has none."""
    return f"{base_url.rstrip('/')}{calendar_path(token)}" if base_url else None


def plausible_token(token: str) -> bool:
    """Worth a database look: tokens are short and plain (uuid hex), anything else is not one of ours."""
    return 0 < len(token) <= MAX_TOKEN and token.isascii() and token.isalnum()


def uid(meeting: Meeting) -> str:
    """Stable across edits (so calendars update the same event) and telling nothing of the token itself."""
    return hashlib.sha256(f"followthrough-meeting:{meeting.token}".encode()).hexdigest()[:32] + "@followthrough"


def description(meeting: Meeting) -> str:
    lines = [f"{meeting.ref}. Desired outcome: {meeting.desired_outcome}"]
    if meeting.status in _OFF:
        lines.append(_OFF[meeting.status])
    if meeting.items:
        lines += ["", "Agenda:"]
        lines += [f"{i.position}. {i.topic} ({i.owner.display_name or 'owner'}, {i.minutes} min, {i.kind.value})"
                  for i in meeting.items]  # fmt: skip
    if meeting.pre_reads:
        lines += ["", "Pre-reads:"] + [f"- {p.title}: {p.link}" for p in meeting.pre_reads]
    required = sum(1 for a in meeting.attendees if a.role is AttendeeRole.REQUIRED)
    optional = len(meeting.attendees) - required
    lines += ["", f"{required} required, {optional} optional. In Slack: /meeting {meeting.ref}"]
    return "\n".join(lines)


def organiser(meeting: Meeting, team_id: str) -> vCalAddress:
    person = meeting.organiser
    address = vCalAddress(f"slack://user?team={team_id}&id={person.slack_user_id}")
    address.params["cn"] = vText(person.display_name or person.slack_user_id)
    return address


def ics(meeting: Meeting, *, team_id: str, url: str | None, sequence: int, stamp: datetime) -> bytes:
    """The invitation: METHOD:PUBLISH while it is on, METHOD:CANCEL with STATUS:CANCELLED once it is off (cancelled
    or made async). `sequence` counts its changes, so a calendar takes the newer copy; `stamp` is when it was
    last changed. Times are UTC; every calendar shows them in its owner's zone."""
    off = meeting.status in _OFF
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if off else "PUBLISH")
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.title} ({meeting.ref})")
    event.add("description", description(meeting))
    event.add("status", "CANCELLED" if off else "CONFIRMED")
    event.add("organizer", organiser(meeting, team_id))
    if url:
        event.add("url", url)
    calendar.add_component(event)
    calendar.validate()
    return calendar.to_ical()
