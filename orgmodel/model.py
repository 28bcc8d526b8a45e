"""The orgmodel document: one JSON file that describes an enterprise.

This module is the single definition of the format. The JSON Schema under
``schemas/`` is generated from these models, and the reference checks of the
loader read the ``Ref`` markers below, so a new field is declared here once.

Ids share one namespace across the whole document (a unit and a journey cannot
both be called ``sales``), so a goal's ``holder`` or a step's ``unit`` always
names exactly one thing. Step ids are local to their journey.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
    model_validator,
)
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic_core import PydanticCustomError

from orgmodel.durations import DURATION_PATTERN, format_duration, parse_duration

__all__ = [
    "FORMAT_VERSION",
    "Accountability",
    "Document",
    "DottedLine",
    "Duration",
    "Goal",
    "GoalKind",
    "Journey",
    "Layer",
    "LineKind",
    "Orientation",
    "Persona",
    "Position",
    "Problem",
    "Ref",
    "Rework",
    "RuleSetting",
    "Segment",
    "Service",
    "Settings",
    "Severity",
    "Stakeholder",
    "StakeholderKind",
    "Step",
    "Thresholds",
    "Unit",
    "UnitKind",
    "ValueTier",
    "VolumePeriod",
]

FORMAT_VERSION = "1"


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to the id of an entity of one of ``kinds``."""

    kinds: tuple[str, ...]


Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x20\x7f/#]+$",
        description="Identifier, unique in the document; no spaces, control characters, "
        "`/` or `#`.",
    ),
]
UnitRef = Annotated[str, Ref(("unit",))]
PositionRef = Annotated[str, Ref(("position",))]
SegmentRef = Annotated[str, Ref(("segment",))]
PersonaRef = Annotated[str, Ref(("persona",))]
GoalHolderRef = Annotated[str, Ref(("unit", "journey", "segment"))]


def _parse_duration_value(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, bool) or not isinstance(value, int) or value != 0:
        raise ValueError(
            f"{value!r} is not a duration; write a string with a unit, e.g. '15m' or '2d'"
        )
    return 0


def _integral(value: object) -> object:
    """A JSON number without a fraction (``1.0``, ``1e3``) as the integer it is: JSON Schema
    counts it as an integer, so the loader does too."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


#: The largest amounts a document may hold. All are below 2**53, so that each value and the
#: figures made of them are exact in floating point and never beyond its range; the loader
#: and the published schema share these bounds (``le``, the schema's ``maximum``).
MAX_COUNT = 10**9
"""Headcount of a unit."""
MAX_CUSTOMERS = 10**12
"""Customers of a segment."""
MAX_AMOUNT = 10**15
"""Cost of a unit, volume of a journey, a goal's numeric target (also its negative)."""
MAX_FTE = 10**6
"""Full-time equivalents of a position."""

# Integer fields: a whole JSON number, ``1.0`` included (as the schema's "integer"); the bounds
# sit inside the type, so that pydantic both checks and publishes them.
_Whole = BeforeValidator(_integral)
Headcount = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT), _Whole]
Customers = Annotated[StrictInt, Field(ge=0, le=MAX_CUSTOMERS), _Whole]
Weight = Annotated[StrictInt, Field(ge=1, le=10), _Whole]
NonNegative = Annotated[StrictInt, Field(ge=0), _Whole]
Positive = Annotated[StrictInt, Field(ge=1), _Whole]


Duration = Annotated[
    int,
    BeforeValidator(_parse_duration_value),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"const": 0}],
            "description": "Elapsed calendar time: a number with a unit "
            "(w, d = 24h, h, m, s), parts largest first, e.g. '15m', '2d', '1h30m'; or 0.",
            "examples": ["15m", "2h", "1d12h"],
        }
    ),
]


_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)


class _Model(BaseModel):
    """Common configuration: unknown fields are errors, docstrings become descriptions."""

    model_config = ConfigDict(**_CONFIG, frozen=True)


class Entity(_Model):
    """Something with a document-wide id."""

    KIND: ClassVar[str] = ""

    id: Id
    """Identifier, unique across the whole document (e.g. `customer-service`)."""


class Layer(str, Enum):
    """The dimension of the three-dimensional enterprise a unit belongs to."""

    FUNCTIONAL = "functional"
    CUSTOMER = "customer"
    MARKET = "market"


class UnitKind(str, Enum):
    """What kind of organizational unit this is."""

    BOARD = "board"
    EXECUTIVE = "executive"
    DIVISION = "division"
    DEPARTMENT = "department"
    TEAM = "team"
    GROUP = "group"
    OFFICE = "office"
    PROJECT = "project"


class LineKind(str, Enum):
    """A reporting line that is not the solid one."""

    DOTTED = "dotted"
    MATRIX = "matrix"


class DottedLine(_Model):
    """A secondary reporting line of a unit to a further unit."""

    to: UnitRef
    """The unit this line leads to."""
    kind: LineKind = LineKind.DOTTED
    """`dotted` (advisory) or `matrix` (shared authority)."""
    note: str | None = None
    """What the line is for."""


class Accountability(str, Enum):
    """An area of the three-dimensional enterprise that a unit answers for."""

    CUSTOMER = "customer"
    """The customer-centric layer: segments, customer relationships, customer journeys
    (Chief Customer Officer)."""
    MARKET = "market"
    """The market-centric layer: suppliers, partners, investors, regulators, the public
    (Chief Market Officer)."""
    INNOVATION = "innovation"
    """New products and services (Chief Innovation Officer)."""
    BUSINESS_SUPPORT = "business-support"
    """The functional departments as internal service providers: finance, HR, IT, marketing
    ... (Chief Business Support Officer)."""
    MANUFACTURING = "manufacturing"
    """Manufacturing and operations: production, network, logistics, field service
    (Chief Manufacturing Officer)."""


class Unit(Entity):
    """An organizational unit: board, division, department, team ..."""

    KIND: ClassVar[str] = "unit"

    name: str = Field(min_length=1)
    """Display name."""
    kind: UnitKind = UnitKind.DEPARTMENT
    """board, executive, division, department, team, group, office or project."""
    layer: Layer = Layer.FUNCTIONAL
    """functional (specialist department), customer (segment teams, journey owners) or market
    (owners of suppliers, partners, investors, regulators)."""
    parent: UnitRef | None = None
    """The unit this one reports to (the solid line); omitted for the top of the tree."""
    lines: list[DottedLine] = Field(default_factory=list)
    """Dotted or matrix lines to further units."""
    head: str | None = None
    """Name of the person who leads the unit."""
    headcount: Headcount | None = None
    """Number of people in the unit itself (not counting sub-units)."""
    cost: StrictFloat | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    """Cost per year of the unit itself, in the document's currency."""
    accountable_for: list[Accountability] = Field(default_factory=list)
    """Areas of the three-dimensional enterprise the unit answers for at the top: customer,
    market, innovation, business-support or manufacturing. Set it on the board and the chief
    officers' units; the layer analysis asks whether the board covers every area."""
    silo: StrictBool = False
    """Marks the unit as a silo. When any unit is marked, each unit's silo is its nearest marked
    ancestor (or itself); otherwise the silo level of `settings` decides."""
    description: str | None = None
    """Free text."""


# A slotted dataclass rather than a model: documents may list a million positions, and a
# model instance (with its own __dict__ and set of given fields) takes ten times the memory.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONFIG)
class Position:
    """A position in a unit, with its own reporting line."""

    KIND: ClassVar[str] = "position"

    id: Id
    """Identifier, unique across the whole document (e.g. `head-of-billing`)."""
    title: Annotated[str, Field(min_length=1)]
    """Job title, e.g. `Head of Billing`."""
    unit: UnitRef
    """The unit the position belongs to."""
    reports_to: PositionRef | None = None
    """The position this one reports to."""
    holder: str | None = None
    """Name of the person in the position; omitted when vacant."""
    fte: Annotated[StrictFloat, Field(ge=0, le=MAX_FTE)] = 1.0
    """Full-time equivalents of the position."""
    staff: StrictBool = False
    """An assistant or staff position: drawn beside its manager, not counted in the span of
    control."""


class Service(Entity):
    """An internal service: a functional unit serves an overlay unit (a segment team, a journey
    owner) as an internal provider."""

    KIND: ClassVar[str] = "service"

    name: str = Field(min_length=1)
    """What is provided, e.g. `Invoice clarification`."""
    provider: UnitRef
    """The unit that provides the service."""
    consumer: UnitRef
    """The unit that draws on it."""
    description: str | None = None
    """Free text."""


class ValueTier(str, Enum):
    """Result of a customer-value analysis: which customers matter."""

    HIGH = "high"
    """Customers that matter most today."""
    POTENTIAL = "potential"
    """Customers to develop."""
    LOW = "low"
    """Customers of low value to the company."""


class Segment(Entity):
    """A customer segment from a customer-value analysis."""

    KIND: ClassVar[str] = "segment"

    name: str = Field(min_length=1)
    """Display name."""
    value_tier: ValueTier | None = None
    """high, potential or low customer value."""
    team: UnitRef | None = None
    """The unit that owns the segment and serves only it."""
    customers: Customers | None = None
    """Number of customers in the segment."""
    description: str | None = None
    """Free text."""


class Persona(Entity):
    """A typical customer, the centre of a journey workshop."""

    KIND: ClassVar[str] = "persona"

    name: str = Field(min_length=1)
    """Display name, e.g. `Small-business owner Petra`."""
    segment: SegmentRef | None = None
    """The segment the persona stands for."""
    description: str | None = None
    """Free text: needs, context, quotes."""


class StakeholderKind(str, Enum):
    """A market stakeholder other than a customer."""

    SUPPLIER = "supplier"
    PARTNER = "partner"
    INVESTOR = "investor"
    REGULATOR = "regulator"
    PUBLIC = "public"
    EMPLOYEE = "employee"
    OTHER = "other"


class Stakeholder(Entity):
    """A stakeholder of the market-centric layer."""

    KIND: ClassVar[str] = "stakeholder"

    name: str = Field(min_length=1)
    """Display name."""
    kind: StakeholderKind
    """supplier, partner, investor, regulator, public, employee or other."""
    owner: UnitRef | None = None
    """The unit that owns the relationship."""
    description: str | None = None
    """Free text."""


class Problem(_Model):
    """A problem noted on a step in a journey workshop."""

    text: str = Field(min_length=1)
    """What goes wrong, from the customer's view."""
    weight: Weight = 1
    """How much it hurts, 1 (a little) to 10 (very much)."""


class Rework(_Model):
    """A share of a step's cases that is sent back to an earlier step of the same journey."""

    to: str = Field(min_length=1)
    """The earlier step the cases go back to: its id, or its number (1, 2, ...) when it has
    none."""
    share: StrictFloat = Field(gt=0, lt=1)
    """The share of the step's cases sent back there, above 0 and below 1 (e.g. `0.2`)."""


class Step(_Model):
    """One step of a journey, named from the customer's point of view."""

    id: Id | None = None
    """Identifier, unique within the journey; defaults to the step's number (1, 2, ...)."""
    name: str = Field(min_length=1)
    """What happens, from the customer's view, e.g. `Customer asks about the invoice`."""
    unit: UnitRef
    """The unit that performs the step."""
    role: str | None = None
    """The role within the unit that performs it, e.g. `tester`."""
    touchpoint: StrictBool = False
    """The customer takes part in the step (customer-facing)."""
    channel: str | None = None
    """For touchpoints: phone, shop, web, app, mail, on site ..."""
    value_adding: StrictBool = True
    """The customer would pay for this step; `false` marks waste such as rework or hand-overs."""
    work: Duration = Field(default=0, json_schema_extra={"default": "0"})
    """Working time of the step itself."""
    wait: Duration = Field(default=0, json_schema_extra={"default": "0"})
    """Waiting time before the step starts (after the previous step ended)."""
    problems: list[Problem] = Field(default_factory=list)
    """Problems noted on the step, weighted."""
    complete_accurate: StrictFloat | None = Field(default=None, ge=0, le=1)
    """Percent complete and accurate (%C&A) as a share from 0 to 1: the share of the step's
    output that the next step can use as it is, without correcting, adding or asking back."""
    rework: list[Rework] = Field(default_factory=list)
    """Shares of the step's cases sent back to earlier steps (rework loops); together below
    1."""


class VolumePeriod(str, Enum):
    """The period that journey volumes refer to."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_REWORK = attrgetter("rework")


class Journey(Entity):
    """A customer journey or value stream: the ordered steps a customer's matter goes through."""

    KIND: ClassVar[str] = "journey"

    name: str = Field(min_length=1)
    """Display name, e.g. `Question about the invoice`."""
    segment: SegmentRef | None = None
    """The segment whose customers take this journey."""
    persona: PersonaRef | None = None
    """The persona at the centre of the journey."""
    owner: UnitRef | None = None
    """The unit responsible for the journey end to end."""
    state: Literal["as-is", "to-be"] = "as-is"
    """Whether the journey describes today (`as-is`) or a target (`to-be`)."""
    volume: StrictFloat | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    """Customer cases per period (see `settings.volume_period`)."""
    steps: list[Step] = Field(min_length=1)
    """The steps, first to last."""
    description: str | None = None
    """Free text."""

    @model_validator(mode="after")
    def _rework_goes_back(self) -> Journey:
        """Each rework target is an earlier step; a step's rework shares sum to less than 1."""
        if not any(map(_REWORK, self.steps)):  # the usual journey: nothing to check
            return self
        seen: set[str] = set()
        for number, step in enumerate(self.steps, 1):
            if step.rework:
                total = 0.0
                for r in step.rework:
                    if r.to not in seen:  # a reference, which JSON Schema cannot express
                        raise PydanticCustomError(
                            "reference",
                            "step {number} of journey '{journey}': rework target '{to}' is not "
                            "an earlier step of the journey (give its id or number)",
                            {"number": number, "journey": self.id, "to": r.to},
                        )
                    total += r.share
                if total >= 1:  # a sum over items, which JSON Schema cannot express
                    raise PydanticCustomError(
                        "meaning",
                        "step {number} of journey '{journey}': rework shares sum to {total}; "
                        "they must stay below 1",
                        {"number": number, "journey": self.id, "total": f"{total:g}"},
                    )
            seen.add(str(number))
            if step.id is not None:
                seen.add(step.id)
        return self


class Orientation(str, Enum):
    """Whether a goal serves the function or the customer."""

    FUNCTIONAL = "functional"
    CUSTOMER = "customer"


class GoalKind(str, Enum):
    """What a goal measures."""

    SATISFACTION = "satisfaction"
    LOYALTY = "loyalty"
    RETENTION = "retention"
    VALUE = "value"
    REVENUE = "revenue"
    COST = "cost"
    SPEED = "speed"
    QUALITY = "quality"
    UTILIZATION = "utilization"
    RESOLUTION = "resolution"
    OTHER = "other"


class Goal(Entity):
    """A goal set for a unit, a journey or a segment."""

    KIND: ClassVar[str] = "goal"

    metric: str = Field(min_length=1)
    """What is measured, e.g. `Cost per call` or `First-contact resolution`."""
    holder: GoalHolderRef
    """The unit, journey or segment that holds the goal."""
    orientation: Orientation
    """functional (serves the department) or customer (serves the customer's success)."""
    kind: GoalKind = GoalKind.OTHER
    """satisfaction, loyalty, retention, value, revenue, cost, speed, quality, utilization,
    resolution or other."""
    target: str | Annotated[StrictFloat, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)] | None = None
    """The target, as a number or text such as `+10 %` or `< 2 days`."""
    description: str | None = None
    """Free text."""


class Severity(str, Enum):
    """How serious a finding is; a policy decides which severities fail a check."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Thresholds(_Model):
    """Limits that turn figures into findings. Every one has a documented default."""

    flow_efficiency_min: StrictFloat = Field(default=0.15, ge=0, le=1)
    """A journey whose flow efficiency (work / lead time) is below this is reported (J07)."""
    span_min: NonNegative = 3
    """A manager with fewer direct reports than this (but at least one) is reported (S01)."""
    span_max: Positive = 12
    """A manager with more direct reports than this is reported (S01)."""
    layers_max: Positive = 6
    """More management layers than this, from the top to the front line, are reported (S02)."""
    complete_accurate_min: StrictFloat = Field(default=0.5, ge=0, le=1)
    """A journey whose rolled %C&A (the product of its steps' %C&A) is below this is reported
    (J08)."""
    ei_index_max: StrictFloat = Field(default=0.8, ge=-1, le=1)
    """A silo of two or more performing units whose E-I index of handoffs is above this (it
    hands off almost everything across its wall) is reported (N01)."""


class RuleSetting(_Model):
    """How one rule is applied."""

    severity: Severity | None = None
    """Overrides the rule's default severity."""
    enabled: StrictBool = True
    """`false` turns the rule off."""


class Settings(_Model):
    """Settings that change how the document is analyzed."""

    silo_level: NonNegative = 1
    """Depth of the silo level in the reporting tree: 0 is the top unit, 1 the units directly
    below it. Used when no unit is marked with `silo: true`."""
    volume_period: VolumePeriod = VolumePeriod.MONTH
    """The period of `journeys[].volume`: day, week, month, quarter or year."""
    currency: str = "EUR"
    """Currency of unit costs."""
    thresholds: Thresholds = Field(default_factory=Thresholds)
    """Limits for findings; a config file given on the command line overrides them."""
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    """Per rule code (e.g. `J01`): severity override or `enabled: false`."""


class Document(_Model):
    """An orgmodel document: the structure, delivery and overlays of one enterprise."""

    model_config = ConfigDict(
        title="orgmodel document",
        json_schema_extra={"x-orgmodel-format": FORMAT_VERSION},
        # The JSON parser's string cache (16,384 strings of up to 64 characters) makes
        # repeated values one object: titles, names and references repeat, and a large
        # document then takes a fifth less memory. Its lookups cost a little more CPU than
        # they save in building strings, but far less than the kernel's time to map that
        # memory (sys time) saves.
        cache_strings="all",
    )

    schema_: str | None = Field(default=None, alias="$schema", title="$schema")
    """Optional reference to the JSON Schema, for editors."""
    orgmodel: Literal["1"]
    """Format version of the document; this release reads `"1"`."""
    name: str = Field(min_length=1)
    """Name of the enterprise or design, e.g. `Telecom Ltd, current organization`."""
    description: str | None = None
    """Free text."""
    settings: Settings = Field(default_factory=Settings)
    """How the document is analyzed."""
    units: list[Unit] = Field(min_length=1)
    """Organizational units; `parent` forms the reporting tree."""
    positions: list[Position] = Field(default_factory=list)
    """Positions and their reporting lines (optional)."""
    services: list[Service] = Field(default_factory=list)
    """Internal services between units."""
    segments: list[Segment] = Field(default_factory=list)
    """Customer segments."""
    personas: list[Persona] = Field(default_factory=list)
    """Personas."""
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    """Market stakeholders other than customers."""
    journeys: list[Journey] = Field(default_factory=list)
    """Customer journeys and value streams."""
    goals: list[Goal] = Field(default_factory=list)
    """Goals of units, journeys and segments."""


#: The document's collections of entities, in document order, with their entity kind.
COLLECTIONS: tuple[tuple[str, type[Entity] | type[Position]], ...] = (
    ("units", Unit),
    ("positions", Position),
    ("services", Service),
    ("segments", Segment),
    ("personas", Persona),
    ("stakeholders", Stakeholder),
    ("journeys", Journey),
    ("goals", Goal),
)
