"""The people chart: the org chart drawn with one box per position instead of per unit.

Each box shows the holder (or "vacant") and the title; the tree is the reporting line
(``reports_to``) of the positions, and staff positions (assistants) sit beside their
manager's box as on the unit chart. It is built as an enterprise of its own, one "unit" per
non-staff position (in the layer of the position's unit), so that the org chart's layouts,
SVG painter and DOT and Mermaid writers draw it unchanged, compact layout for large charts
included.

``render --view orgchart --people`` asks for it; a document whose positions outnumber its
units many times over while it has only one unit (a pure people list) gets it without
asking (see :func:`wants_people`).
"""

from __future__ import annotations

from orgmodel.graph import Enterprise, build_enterprise
from orgmodel.model import Document, Position, Unit

__all__ = ["people_enterprise", "wants_people"]


def wants_people(ent: Enterprise) -> bool:
    """True when the document is a people list: positions, and a single unit."""
    return len(ent.document.units) == 1 and len(ent.document.positions) > 1


def people_enterprise(ent: Enterprise) -> Enterprise:
    """The enterprise whose units are the positions of ``ent`` (see the module docstring)."""
    doc = ent.document
    layer = {u.id: u.layer for u in doc.units}
    unit_name = {u.id: u.name for u in doc.units}
    by_id = {p.id: p for p in doc.positions}

    def manager(p: Position) -> str | None:
        """The nearest non-staff position above ``p`` (staff are not drawn in the tree)."""
        up = by_id.get(p.reports_to) if p.reports_to else None
        while up is not None and up.staff:
            up = by_id.get(up.reports_to) if up.reports_to else None
        return up.id if up is not None else None

    units: list[Unit] = []
    staff: list[Position] = []
    for p in doc.positions:
        boss = manager(p)
        if p.staff and boss is not None:
            staff.append(Position(id=p.id, title=p.title, unit=boss, holder=p.holder, staff=True))
            continue
        units.append(
            Unit.model_construct(
                id=p.id,
                name=p.holder or "vacant",
                head=p.title,
                parent=boss,
                layer=layer.get(p.unit),
                description=unit_name.get(p.unit),
                lines=[],
                headcount=None,
                cost=None,
                accountable_for=[],
                silo=False,
            )
        )
    people = Document.model_construct(
        orgmodel="1",
        name=doc.name,
        description=doc.description,
        settings=doc.settings,
        units=units,
        positions=staff,
        services=[],
        segments=[],
        personas=[],
        stakeholders=[],
        journeys=[],
        goals=[],
    )
    return build_enterprise(people)
