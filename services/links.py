"""Links people give us: the one check every form field that takes a URL goes through.

Slack writes a link as `<url|label>`, so a URL holding `<`, `>` or `|` (or a space, or a control character)
could close the link early and smuggle in markup of its own (`https://ok.example/a>x|<!channel>` pings the
whole channel). Such a URL is refused, never repaired: percent-encoding it silently would link somewhere the
person did not write, and a real address has no need of those characters (`%3C`, `%3E`, `%7C`, `%20`).
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from services.errors import Invalid

MAX_URL = 2000
SCHEMES = ("http", "https")
# They end a Slack link, or its address; named in words, since a field error shows them escaped.
BREAKERS = {"<": "an angle bracket", ">": "an angle bracket", "|": "a vertical bar"}


def _problem_char(url: str) -> str | None:
    """The first character that has no place in a link, described for the person, or None."""
    for char in url:
        if char.isspace():
            return "a space or a line break"
        if unicodedata.category(char) in ("Cc", "Cf"):  # control and invisible formatting characters
            return f"an invisible control character (U+{ord(char):04X})"
        if char in BREAKERS:
            return BREAKERS[char]
    return None


def url_problem(text: str, *, max_length: int = MAX_URL) -> str | None:
    """What is wrong with `text` as a link (a sentence for the form), or None when it is fine."""
    url = text.strip()
    if len(url) > max_length:
        return f"Keep the link within {max_length:,} characters (this one has {len(url):,})."
    if bad := _problem_char(url):
        return (
            f"A link can't contain {bad}: it would break the link in Slack. Copy the address from the browser's "
            "address bar, where such characters are encoded (%20, %3C, %3E, %7C)."
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return "That is not a web address I can read; copy it from the browser's address bar."
    if parts.scheme.lower() not in SCHEMES:
        return "Give a link starting with https:// or http:// (or leave it empty)."
    if not host:
        return "That link names no website: give a whole address, such as https://docs.example.com/page."
    return None


def check_url(text: str, *, field: Any = "link", max_length: int = MAX_URL) -> str:
    """The link as it will be stored and linked (trimmed, its scheme in lower case); `Invalid` on `field` if
    it is not a plain http(s) address with a host."""
    if problem := url_problem(text, max_length=max_length):
        raise Invalid({field: problem})
    url = text.strip()
    scheme, rest = url.split(":", 1)
    return f"{scheme.lower()}:{rest}"
