"""The one check for links people give (services.links) and the one way a link is written into mrkdwn
(handlers.kit.text.link): only a plain http(s) address with a host is linked, and nothing in it can close the
link early."""

from __future__ import annotations

import pytest

from handlers.kit.text import link
from services.errors import Invalid
from services.links import check_url, url_problem


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://docs.example.com/vendors", "https://docs.example.com/vendors"),
        ("  HTTPS://Docs.example.com/a?b=1&c=2#top  ", "https://Docs.example.com/a?b=1&c=2#top"),
        ("http://intranet:8080/wiki/Page_(x)", "http://intranet:8080/wiki/Page_(x)"),
        ("https://ok.example/%3C%7C%3E%20", "https://ok.example/%3C%7C%3E%20"),
    ],
)
def test_a_plain_web_address_is_taken_trimmed_with_its_scheme_in_lower_case(typed, stored) -> None:
    assert check_url(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("https://ok.example/a>x|<!channel>", "angle bracket"),
        ("https://ok.example/a|<!here>", "vertical bar"),
        ("https://ok.example/<@U0ALEX>", "angle bracket"),
        ("https://ok.example/a b", "a space"),
        ("https://ok.example/a\nb", "a space or a line break"),
        ("https://ok.example/\u0007", "control character (U+0007)"),
        ("https://ok.example/\u202eevil", "control character (U+202E)"),
        ("javascript:alert(1)", "starting with https://"),
        ("ftp://files.example/x", "starting with https://"),
        ("mailto:someone@example.com", "starting with https://"),
        ("https://", "names no website"),
        ("https:///path", "names no website"),
        ("https://[::1/x", "not a web address"),
        ("https://ok.example/" + "a" * 2000, "within 2,000 characters"),
    ],
)
def test_anything_else_is_refused_with_a_reason(typed, says) -> None:
    assert says in (url_problem(typed) or "")
    with pytest.raises(Invalid) as refused:
        check_url(typed, field="link")
    assert list(refused.value.errors) == ["link"]


def test_a_field_may_have_a_shorter_limit() -> None:
    assert "within 500 characters" in (url_problem("https://ok.example/" + "a" * 500, max_length=500) or "")


def test_a_good_link_is_linked_with_its_ampersands_written_as_slack_writes_them() -> None:
    assert link("https://ok.example/doc?a=1&b=2", "More <context>") == (
        "<https://ok.example/doc?a=1&amp;b=2|More &lt;context&gt;>"
    )


def test_a_stored_link_that_would_break_out_is_shown_as_escaped_text_not_linked() -> None:
    shown = link("https://ok.example/a>x|<!channel>", "More context")
    assert shown == "More context: https://ok.example/a&gt;x|&lt;!channel&gt;"
    assert "<" not in shown and ">" not in shown
