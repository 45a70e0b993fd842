"""What makes an outcome definition acceptable: each rule checked once, each problem tied to its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Direction, MetricKind, Outcome, Person, Priority, Workspace
from models.outcome import OUTCOME_PREFIX
from models.priority import PRIORITY_PREFIX
from services import people
from services.errors import Invalid
from services.numbers import BadNumber, check_unit, format_value, parse_value, parse_with_unit
from services.refs import parse_ref

MAX_TITLE = 150
MAX_DEFINITION = 3000
MAX_LEADING = 3
MAX_METRIC_NAME = 40
MAX_PARENT_DEPTH = 50
_METRIC_NAME = re.compile(r"^[^\W_][\w\- ]*$")
_LEADING_LINE = re.compile(r"^(?P<name>[^:]+?)\s*:\s*(?P<base>.+?)\s*(?:->|→|=>|\bto\b)\s*(?P<target>.+?)$")
LEADING_EXAMPLE = "Demos booked: 2 -> 10"


class Field(StrEnum):
    TITLE = "title"
    DEFINITION = "definition"
    OWNER = "owner"
    DUE = "due"
    PARENT = "parent"
    LAGGING_NAME = "lagging_name"
    UNIT = "unit"
    BASELINE = "baseline"
    TARGET = "target"
    LEADING = "leading"


@dataclass(frozen=True)
class OutcomeForm:
    """An outcome definition as typed: every value a string, nothing checked yet."""

    title: str
    definition_of_done: str
    due: str | None  # YYYY-MM-DD
    lagging_name: str
    unit: str
    baseline: str
    target: str
    leading: str  # one indicator per line: "Name: baseline -> target"
    parent: str | None = None  # "P-3" or "O-7"
    owner_user_id: str | None = None  # the Slack user; None on edits, which keep the owner


@dataclass(frozen=True)
class MetricSpec:
    kind: MetricKind
    name: str
    slug: str
    unit: str
    baseline: float
    target: float

    @property
    def direction(self) -> Direction:
        return Direction.UP if self.target > self.baseline else Direction.DOWN


@dataclass(frozen=True)
class Draft:
    title: str
    definition_of_done: str
    due_date: date
    parent_priority: Priority | None
    parent_outcome: Outcome | None
    metrics: list[MetricSpec]  # the lagging metric first
    owner: Person | None


def metric_slug(name: str) -> str:
    """How `name=value` finds a metric: case, spaces, dashes and underscores do not matter."""
    return re.sub(r"[\s_\-]+", "-", name.strip().lower()).strip("-")


def check_metric_name(name: str) -> str | None:
    """The problem with a metric name, or None."""
    if not name:
        return "Give the metric a name."
    if len(name) > MAX_METRIC_NAME:
        return f"`{name[:60]}` is too long for a metric name: at most {MAX_METRIC_NAME} characters."
    if not _METRIC_NAME.match(name):
        return f"`{name[:60]}`: a metric name uses letters, digits, spaces, - and _ only."
    return None


async def validate(
    session: AsyncSession, *, workspace: Workspace, form: OutcomeForm, today: date, editing: Outcome | None = None
) -> Draft:
    errors: dict[Field, str] = {}
    title = " ".join(form.title.split())
    if not title:
        errors[Field.TITLE] = "Give the outcome a short title."
    elif len(title) > MAX_TITLE:
        errors[Field.TITLE] = f"Keep the title within {MAX_TITLE} characters (this one has {len(title)})."
    definition = form.definition_of_done.strip()
    if not definition:
        errors[Field.DEFINITION] = "Say what done looks like: how will everyone know this outcome is achieved?"
    elif len(definition) > MAX_DEFINITION:
        errors[Field.DEFINITION] = f"Keep it within {MAX_DEFINITION:,} characters (this has {len(definition):,})."
    due = _due(form.due, today, editing, errors)
    parent_priority, parent_outcome = await _parent(session, workspace, form.parent, editing, errors)
    metrics = _metrics(form, errors)
    owner = None
    if form.owner_user_id:
        owner = await people.ensure_person(session, workspace=workspace, slack_user_id=form.owner_user_id)
        if refused := people.unassignable(owner):
            errors[Field.OWNER] = refused
    elif editing is None:
        errors[Field.OWNER] = "Choose the one person who answers for this outcome."
    if errors:
        raise Invalid(errors)
    assert due is not None
    return Draft(title, definition, due, parent_priority, parent_outcome, metrics, owner)


def _due(text: str | None, today: date, editing: Outcome | None, errors: dict[Field, str]) -> date | None:
    if not text:
        errors[Field.DUE] = "Pick the date this outcome is due."
        return None
    try:
        due = date.fromisoformat(text)
    except ValueError:
        errors[Field.DUE] = "Pick a date such as 2030-03-31."
        return None
    # An overdue outcome can still be edited; only a newly chosen date must lie ahead.
    if due < today and (editing is None or due != editing.due_date):
        errors[Field.DUE] = f"{due:%-d %b %Y} has passed: pick today or a later date."
    return due


async def _parent(
    session: AsyncSession, workspace: Workspace, ref: str | None, editing: Outcome | None, errors: dict[Field, str]
) -> tuple[Priority | None, Outcome | None]:
    if not ref:
        return None, None
    if ref.strip().upper().startswith(PRIORITY_PREFIX):
        number = parse_ref(ref, PRIORITY_PREFIX)
        priority = None
        if number is not None:
            priority = await session.scalar(
                select(Priority).where(Priority.workspace_id == workspace.id, Priority.number == number)
            )
        if priority is None or priority.archived_at is not None:
            errors[Field.PARENT] = f"{ref[:20]} is not a current priority; pick another parent."
            return None, None
        return priority, None
    number = parse_ref(ref, OUTCOME_PREFIX)
    parent = None
    if number is not None:
        parent = await session.scalar(
            select(Outcome).where(Outcome.workspace_id == workspace.id, Outcome.number == number)
        )
    if parent is None:
        errors[Field.PARENT] = f"I can't find {ref[:20]} in this workspace; pick another parent."
        return None, None
    if editing is not None and await _is_descendant(session, parent, editing):
        errors[Field.PARENT] = f"{parent.ref} sits under {editing.ref}, so it cannot also be its parent."
    return None, parent


async def _is_descendant(session: AsyncSession, candidate: Outcome, ancestor: Outcome) -> bool:
    """Whether `candidate` is `ancestor` or sits below it (which would make a loop)."""
    current: int | None = candidate.id
    for _ in range(MAX_PARENT_DEPTH):
        if current is None:
            return False
        if current == ancestor.id:
            return True
        current = await session.scalar(select(Outcome.parent_outcome_id).where(Outcome.id == current))
    return True  # deeper than any real tree: treat as a loop rather than walk forever


def _metrics(form: OutcomeForm, errors: dict[Field, str]) -> list[MetricSpec]:
    specs: list[MetricSpec] = []
    lagging = _lagging(form, errors)
    if lagging:
        specs.append(lagging)
    leading = _leading(form.leading, errors)
    seen: dict[str, str] = {}
    for spec in specs + leading:
        if spec.slug in seen and Field.LEADING not in errors:
            errors[Field.LEADING] = f"Two metrics are called `{spec.name}`: give each its own name."
        seen[spec.slug] = spec.name
    return specs + leading


def _lagging(form: OutcomeForm, errors: dict[Field, str]) -> MetricSpec | None:
    name = " ".join(form.lagging_name.split())
    if problem := check_metric_name(name):
        errors[Field.LAGGING_NAME] = problem
    try:
        unit = check_unit(form.unit)
    except BadNumber as exc:
        errors[Field.UNIT] = str(exc)
        unit = ""
    if not unit and Field.UNIT not in errors:
        unit = _typed_unit(form.baseline, form.target, errors)
    values: list[float] = []
    for field, text in ((Field.BASELINE, form.baseline), (Field.TARGET, form.target)):
        if not text.strip():
            errors[field] = "Give a number."
            continue
        try:
            values.append(parse_value(text, unit))
        except BadNumber as exc:
            errors.setdefault(field, str(exc))  # the units' disagreement, when there is one, says more
    if len(values) == 2 and values[0] == values[1]:
        errors[Field.TARGET] = (
            f"The target equals the baseline ({format_value(values[0], unit)}): set where the metric should end up."
        )
    if any(f in errors for f in (Field.LAGGING_NAME, Field.UNIT, Field.BASELINE, Field.TARGET)):
        return None
    return MetricSpec(MetricKind.LAGGING, name, metric_slug(name), unit, values[0], values[1])


def _typed_unit(baseline: str, target: str, errors: dict[Field, str]) -> str:
    """With the Unit field left empty, the unit typed with the numbers (`8%` and `12%`), as a leading line takes it:
    dropped, the metric lost its `%` and `/progress 9%` was refused."""
    units: list[str] = []  # the baseline's, then the target's
    for text in (baseline, target):
        try:
            units += [unit] if (unit := parse_with_unit(text)[1]) and unit not in units else []
        except BadNumber:
            continue  # reported with the number itself
    if len(units) > 1:
        errors[Field.TARGET] = f"The baseline and the target are in different units ({' and '.join(units)})."
    return units[0] if len(units) == 1 else ""


def _leading(text: str, errors: dict[Field, str]) -> list[MetricSpec]:
    lines = [line.strip().lstrip("-•*").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        errors[Field.LEADING] = (
            "Add at least one leading indicator: a number you can move this week that predicts the result, "
            f"e.g. `{LEADING_EXAMPLE}`."
        )
        return []
    if len(lines) > MAX_LEADING:
        errors[Field.LEADING] = (
            f"You listed {len(lines)} leading indicators; keep at most {MAX_LEADING}. Past three they become noise "
            "nobody watches: keep the ones that best predict the result."
        )
        return []
    specs = []
    for number, line in enumerate(lines, 1):
        try:
            specs.append(_leading_line(line))
        except BadNumber as exc:
            where = f"Line {number}: " if len(lines) > 1 else ""
            errors[Field.LEADING] = where + str(exc)
            return []
    return specs


def _leading_line(line: str) -> MetricSpec:
    match = _LEADING_LINE.match(line)
    if not match:
        raise BadNumber(f"write `name: baseline -> target`, e.g. `{LEADING_EXAMPLE}`.")
    name = " ".join(match.group("name").split())
    if problem := check_metric_name(name):
        raise BadNumber(problem)
    baseline, base_unit = parse_with_unit(match.group("base"))
    target, target_unit = parse_with_unit(match.group("target"))
    if base_unit and target_unit and base_unit != target_unit:
        raise BadNumber(f"{name}: the baseline is in {base_unit} but the target in {target_unit}.")
    unit = base_unit or target_unit
    if baseline == target:
        raise BadNumber(f"{name}: the target equals the baseline; set where it should end up.")
    return MetricSpec(MetricKind.LEADING, name, metric_slug(name), unit, baseline, target)


def leading_lines(specs: list[tuple[str, float, float, str]]) -> str:
    """The text an edit form starts from: one `Name: baseline -> target` line per leading indicator."""
    return "\n".join(f"{name}: {format_value(b, unit)} -> {format_value(t, unit)}" for name, b, t, unit in specs)
