"""A metric's chart for the outcome page: a Vega-Lite spec built with altair and drawn to SVG on the server by
vl-convert, so the page needs no script and no CDN. Three series, each named in the legend and in the SVG's
`aria-label`s: "readings", "planned path", "trend"; status changes are red rules with their label.

Times are shown in the viewer's zone: each point is converted to the viewer's wall-clock time and handed to
Vega as if it were UTC, with a UTC time scale, so the axis reads the same wall-clock time whatever zone the
renderer runs in.

Drawing takes tens of milliseconds, so each process keeps the last `CACHED` SVGs, keyed by a digest of
everything a chart is drawn from (the metric's numbers and unit, every reading, the planned path and trend, the
status changes, the viewer's zone): a new reading or status change makes a new key, so nothing stale is shown,
and unchanged data is drawn once. Each replica keeps its own."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from datetime import datetime
from zoneinfo import ZoneInfo

import altair as alt
import vl_convert

from services.web.meetings_page import CadenceRow
from services.web.outcome_page import MetricChart, Point, StatusMark

READINGS, PLANNED, TREND = "readings", "planned path", "trend"
SERIES = [READINGS, PLANNED, TREND]
COLOURS = ["#1264a3", "#2eb67d", "#ecb22e"]
DASHES = [[1, 0], [6, 4], [2, 3]]
MARK_COLOUR = "#e01e5a"
WIDTH, HEIGHT = 560, 220
AXIS = alt.Axis(format="%-d %b", tickCount=6, labelOverlap=True)


def _wall(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _shown(value: float, unit: str) -> str:
    return f"{value:g}{unit}"


def _rows(series: str, points: list[Point], chart: MetricChart, zone: ZoneInfo) -> list[dict]:
    return [{"at": _wall(at, zone), "value": value, "series": series,
             "label": f"{series}: {_shown(value, chart.unit)} on {at.astimezone(zone):%-d %b %Y %H:%M}"}
            for at, value in points]  # fmt: skip


def _domain(chart: MetricChart) -> list[float]:
    """Baseline, target and the readings, with a margin: a steep trend leaves the chart (clipped) rather than
    squashing the readings into a line."""
    values = [chart.baseline, chart.target, *(v for _, v in chart.readings)]
    low, high = min(values), max(values)
    margin = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    return [low - margin, high + margin]


def spec(chart: MetricChart, marks: list[StatusMark], zone: ZoneInfo) -> dict:
    """The Vega-Lite spec of one metric's chart."""
    rows = (
        _rows(PLANNED, chart.planned, chart, zone)
        + _rows(TREND, chart.trend, chart, zone)
        + _rows(READINGS, chart.readings, chart, zone)
    )
    scale = alt.Scale(domain=SERIES, range=COLOURS)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("at:T", title=None, scale=alt.Scale(type="utc"), axis=AXIS),
        y=alt.Y("value:Q", title=chart.unit or None, scale=alt.Scale(domain=_domain(chart), nice=True)),
        color=alt.Color("series:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=SERIES, range=DASHES), legend=None),
        detail="series:N",
    )
    # A line's aria-label is its first point's description: the series' name says which line it is.
    lines = base.mark_line(clip=True).encode(description="series:N").transform_filter(f"datum.series != '{READINGS}'")
    readings = (
        base.mark_line(point=True).encode(description="label:N").transform_filter(f"datum.series == '{READINGS}'")
    )
    layers = [lines, readings]
    if marks:
        changes = alt.Data(values=[{"at": _wall(m.at, zone), "label": f"status: {m.label}"} for m in marks])
        rule = alt.Chart(changes).mark_rule(color=MARK_COLOUR, strokeDash=[3, 2])
        layers.append(rule.encode(x="at:T", description="label:N"))
        text = alt.Chart(changes).mark_text(align="left", dx=3, baseline="top", color=MARK_COLOUR, fontSize=10)
        layers.append(text.encode(x="at:T", y=alt.value(2), text="label:N", description="label:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT).to_dict()


def svg(chart: MetricChart, marks: list[StatusMark], zone: ZoneInfo) -> str:
    """The chart as an SVG document. Vega escapes every text it draws, so names typed in Slack stay text."""
    drawn = vl_convert.vegalite_to_svg(spec(chart, marks, zone))
    return drawn[drawn.index("<svg") :]


CACHED = 512
_drawn: OrderedDict[str, str] = OrderedDict()  # touched only on the event loop's thread


def cache_key(chart: MetricChart, marks: list[StatusMark], zone: ZoneInfo) -> str:
    """A digest of what the SVG is drawn from (frozen dataclasses of numbers, strings and UTC datetimes: their
    repr is exact and stable), small to keep however many readings the metric has."""
    return hashlib.sha256(repr((chart, marks, zone.key)).encode()).hexdigest()


def clear_cache() -> None:
    _drawn.clear()


async def svg_async(chart: MetricChart, marks: list[StatusMark], zone: ZoneInfo) -> str:
    """`svg` from the cache, or drawn off the event loop and remembered (least recently used goes first)."""
    key = cache_key(chart, marks, zone)
    if (found := _drawn.get(key)) is not None:
        _drawn.move_to_end(key)
        return found
    drawn = await asyncio.to_thread(svg, chart, marks, zone)
    _drawn[key] = drawn
    while len(_drawn) > CACHED:
        _drawn.popitem(last=False)
    return drawn


def participation_spec(cadences: list[CadenceRow]) -> dict:
    """Each cadence's share of people who answered, round by round: one line per channel."""
    rows = [{"day": f"{r.occurs_on:%Y-%m-%d}", "share": r.share, "cadence": f"#{c.channel_id}",
             "label": f"#{c.channel_id} on {r.occurs_on:%-d %b %Y}: {r.share}% answered ({r.answered} of {r.asked})"}
            for c in cadences for r in c.rounds if r.share is not None]  # fmt: skip
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=None, scale=alt.Scale(type="utc"), axis=AXIS),
            y=alt.Y("share:Q", title="answered (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("cadence:N", legend=alt.Legend(orient="bottom", title=None)),
            description="label:N",
        )
    )
    return chart.properties(width=WIDTH, height=HEIGHT).to_dict()


async def participation_svg_async(cadences: list[CadenceRow]) -> str:
    """The participation chart as SVG, drawn off the event loop. Round days are local dates: no zone to apply."""

    def draw() -> str:
        drawn = vl_convert.vegalite_to_svg(participation_spec(cadences))
        return drawn[drawn.index("<svg") :]

    return await asyncio.to_thread(draw)
