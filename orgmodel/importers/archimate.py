"""The Open Group ArchiMate Exchange Format (3.x): import to a document, export from one.

Import:

- business actors become units (id: the element's identifier); the hierarchy comes from
  Composition and Aggregation relationships between actors (whole -> part), and from
  Association with ``association="parent"`` (models such as Archisurance draw the
  organization with associations); otherwise an Association between two actors is a dotted
  line (``matrix`` when the relationship is named so). A unit with several parents keeps
  the first as its solid line and gets a dotted line to each other one;
- business processes chained by Triggering and Flow relationships become journeys (one
  per connected chain, steps in the order of the chain; a process on its own is a journey
  of one step); a step is performed by the actor assigned to the process, directly or
  through a business role (whose name becomes the step's role), or else to the process that
  composes it (a step that nobody performs goes to a unit ``unassigned``, listed in the
  notes); a chain composed by one process is named after it;
- business roles are read for the steps; every other element (application, technology,
  motivation ...) and every relationship not used is counted by its type in the notes, not
  dropped silently, as is every process without a performer; views are not read.

Export writes units as business actors (Composition for the solid line, Association for
dotted and matrix lines), journeys as a business process composed of one process per step
(Triggering between consecutive steps, Assignment from the performing actor, or from a
business role when the step names one), so that an Archi user can open it and a re-import
gives the same units, lines and journeys.

XML is parsed with defusedxml: no DTD, no entities, no external references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape, quoteattr

from orgmodel.diagnostics import Diagnostic, DocumentInvalid, byte_place
from orgmodel.importers import document_json
from orgmodel.importers.ids import digest, make_id
from orgmodel.model import Document

__all__ = ["ArchimateImport", "export_archimate", "import_archimate", "parse_xml"]

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_TYPE = f"{{{XSI}}}type"
_HIERARCHY = ("Composition", "Aggregation")
_CHAIN = ("Triggering", "Flow")
#: The unit of steps whose process no actor performs in the model (made only when needed).
UNASSIGNED = "unassigned"


@dataclass
class ArchimateImport:
    """The imported document as JSON data, the counts read, and what was not mapped."""

    data: dict[str, Any]
    counts: dict[str, int]
    """Elements read per type (BusinessActor, BusinessRole, BusinessProcess ...)."""
    notes: list[str] = field(default_factory=list)

    def written(self) -> dict[str, str]:
        """Nothing written ahead: :func:`~orgmodel.importers.document_json` writes it all."""
        return {}

    def text(self) -> str:
        """The document's text."""
        return document_json(self.data)


def _fail(
    path: str, message: str, line: int | None = None, column: int | None = None
) -> DocumentInvalid:
    return DocumentInvalid([Diagnostic(path, line, column, None, "xml", message)])


_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")
_ROOT = re.compile(rb"<[^?!/]")
_ENCODING = re.compile(rb"encoding")


def _place(data: bytes, pattern: re.Pattern[bytes]) -> tuple[int, int] | tuple[()]:
    """Line and column of the first match of ``pattern`` in ``data`` (nothing if none)."""
    found = pattern.search(data)
    if found is None:
        return ()
    return byte_place(data, found.start())


def parse_xml(data: bytes, path: str) -> Element:
    """The root element of ``data``; a DTD, entities or bad XML raise a located problem."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise _fail(
            path,
            f"refused: the file declares a DTD or entities ({type(exc).__name__});"
            " exchange files need neither, and entities can expand without "
            "limit",
            *_place(data, _DECLARATION),
        ) from None
    except LookupError as exc:  # the XML declaration names an encoding Python does not know
        raise _fail(path, f"not readable XML: {exc}", *_place(data, _ENCODING)) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise _fail(
            path, f"not well-formed XML: {exc}", line, None if column is None else column + 1
        ) from None


def _name(node: Element) -> str | None:
    names = node.findall(f"{{{NS}}}name")
    if not names:
        return None
    for n in names:
        if n.get("{http://www.w3.org/XML/1998/namespace}lang", "en").startswith("en"):
            return (n.text or "").strip() or None
    return (names[0].text or "").strip() or None


def _doc(node: Element) -> str | None:
    d = node.find(f"{{{NS}}}documentation")
    return None if d is None else ((d.text or "").strip() or None)


def import_archimate(path: str, association: str = "line") -> ArchimateImport:
    """Import the exchange file at ``path``; ``association``: ``line`` (dotted lines) or
    ``parent`` (hierarchy) for Associations between actors."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror or exc}") from None
    root = parse_xml(raw, path)
    if root.tag != f"{{{NS}}}model":
        raise _fail(
            path,
            "not an ArchiMate exchange file (3.x): the root element is "
            f"'{root.tag}', expected 'model' in the namespace {NS}",
            *_place(raw, _ROOT),
        )
    elements: dict[str, tuple[str, str, Element]] = {}
    counts: dict[str, int] = {}
    for node in root.iterfind(f"{{{NS}}}elements/{{{NS}}}element"):
        kind = node.get(_TYPE, "")
        ident = node.get("identifier", "")
        elements[ident] = (kind, _name(node) or ident, node)
        counts[kind] = counts.get(kind, 0) + 1
    relations: list[tuple[str, str, str, str | None, str]] = []
    rel_counts: dict[str, int] = {}
    for node in root.iterfind(f"{{{NS}}}relationships/{{{NS}}}relationship"):
        kind = node.get(_TYPE, "")
        rel_counts[kind] = rel_counts.get(kind, 0) + 1
        relations.append(
            (
                kind,
                node.get("source", ""),
                node.get("target", ""),
                _name(node),
                node.get("identifier", ""),
            )
        )

    def of(ident: str, *kinds: str) -> bool:
        return ident in elements and elements[ident][0] in kinds

    actors = [i for i, (k, _, _) in elements.items() if k == "BusinessActor"]
    unit_id = {a: make_id(a) for a in actors}
    parents: dict[str, list[str]] = {a: [] for a in actors}
    lines: dict[str, list[dict[str, Any]]] = {a: [] for a in actors}
    notes: list[str] = []
    used: set[int] = set()
    for n, (kind, src, dst, name, _rid) in enumerate(relations):
        if not (of(src, "BusinessActor") and of(dst, "BusinessActor")):
            continue
        if kind in _HIERARCHY or (kind == "Association" and association == "parent"):
            parents[dst].append(src)
            used.add(n)
        elif kind == "Association":
            line: dict[str, Any] = {"to": unit_id[dst]}
            if name and name.strip().casefold() == "matrix":
                line["kind"] = "matrix"
            elif name and name.strip().casefold() != "dotted":
                line["note"] = name
            lines[src].append(line)
            used.add(n)
    parent: dict[str, str | None] = {}
    for a in actors:
        parent[a] = None
    for a in actors:
        for p in parents[a]:
            if p == a:
                notes.append(f"unit '{unit_id[a]}': a relationship to itself; left out")
                continue
            if parent[a] is None and not _reaches(parent, p, a):
                parent[a] = p
                continue
            if p == parent[a] or any(x["to"] == unit_id[p] for x in lines[a]):
                notes.append(
                    f"unit '{unit_id[a]}': the same line to '{unit_id[p]}' twice; drawn once"
                )
                continue
            lines[a].append({"to": unit_id[p], "note": "further parent in the source"})
    units: list[dict[str, Any]] = []
    for a in actors:
        kind, name, node = elements[a]
        unit: dict[str, Any] = {"id": unit_id[a], "name": name}
        if parent[a] is not None:
            unit["parent"] = unit_id[parent[a]]  # type: ignore[index]
        if lines[a]:
            unit["lines"] = lines[a]
        text = _doc(node)
        if text:
            unit["description"] = text
        units.append(unit)
    journeys = _journeys(elements, relations, unit_id, notes, used)
    if UNASSIGNED not in unit_id.values() and any(
        step["unit"] == UNASSIGNED for j in journeys for step in j["steps"]
    ):
        units.append(
            {
                "id": UNASSIGNED,
                "name": "No performer in the model",
                "description": "Steps of processes that no business actor performs "
                "(directly or through a role); assign them.",
            }
        )
    unmapped: dict[str, int] = {}
    for kind, count in counts.items():
        if kind not in ("BusinessActor", "BusinessRole", "BusinessProcess"):
            unmapped[kind] = count
    if unmapped:
        notes.append(
            "not mapped (no counterpart in orgmodel): "
            + ", ".join(f"{c} {k}" for k, c in sorted(unmapped.items()))
        )
    left = [kind for n, (kind, *_rest) in enumerate(relations) if n not in used]
    if left:
        by: dict[str, int] = {}
        for kind in left:
            by[kind] = by.get(kind, 0) + 1
        notes.append(
            "relationships not mapped: " + ", ".join(f"{c} {k}" for k, c in sorted(by.items()))
        )
    name = _name(root) or "ArchiMate model"
    data: dict[str, Any] = {"orgmodel": "1", "name": name}
    if _doc(root):
        data["description"] = _doc(root)
    if not units:
        raise _fail(path, "no business actors: nothing to make units of")
    data["units"] = units
    if journeys:
        data["journeys"] = journeys
    counts.update({f"relationship:{k}": v for k, v in rel_counts.items()})
    return ArchimateImport(data, counts, notes)


def _reaches(parent: dict[str, str | None], start: str, target: str) -> bool:
    """True when ``target`` is ``start`` or one of its ancestors (a cycle if linked)."""
    seen: set[str] = set()
    v: str | None = start
    while v is not None and v not in seen:
        if v == target:
            return True
        seen.add(v)
        v = parent.get(v)
    return False


def _journeys(
    elements: dict[str, tuple[str, str, Element]],
    relations: list[tuple[str, str, str, str | None, str]],
    unit_id: dict[str, str],
    notes: list[str],
    used: set[int],
) -> list[dict[str, Any]]:
    """Journeys from chains of business processes (see the module docstring)."""
    processes = [i for i, (k, _, _) in elements.items() if k == "BusinessProcess"]
    is_process = set(processes)
    actor_of: dict[str, str] = {}
    role_of: dict[str, str] = {}
    role_actor: dict[str, str] = {}
    composed_by: dict[str, str] = {}
    nxt: dict[str, list[str]] = {p: [] for p in processes}
    linked: dict[str, set[str]] = {p: set() for p in processes}
    for n, (kind, src, dst, _name, _rid) in enumerate(relations):
        s_kind = elements.get(src, ("",))[0]
        if (
            kind == "Assignment"
            and s_kind == "BusinessActor"
            and elements.get(dst, ("",))[0] == "BusinessRole"
        ):
            role_actor.setdefault(dst, src)
            used.add(n)
    for n, (kind, src, dst, _name, _rid) in enumerate(relations):
        s_kind = elements.get(src, ("",))[0]
        if kind == "Assignment" and dst in is_process:
            if s_kind == "BusinessActor":
                actor_of.setdefault(dst, src)
                used.add(n)
            elif s_kind == "BusinessRole":
                role_of.setdefault(dst, src)
                used.add(n)
        elif kind in _CHAIN and src in is_process and dst in is_process:
            nxt[src].append(dst)
            linked[src].add(dst)
            linked[dst].add(src)
            used.add(n)
        elif kind in _HIERARCHY and src in is_process and dst in is_process:
            composed_by.setdefault(dst, src)
            used.add(n)

    def performer(p: str) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        v: str | None = p
        while v is not None and v not in seen:
            seen.add(v)
            if v in actor_of:
                return actor_of[v], None
            role = role_of.get(v)
            if role is not None and role in role_actor:
                return role_actor[role], elements[role][1]
            v = composed_by.get(v)
        return None, None

    parents_of_chain = set(composed_by.values())
    order = {p: i for i, p in enumerate(processes)}
    done: set[str] = set()
    journeys: list[dict[str, Any]] = []
    taken: set[str] = {*unit_id.values(), UNASSIGNED}
    for start in processes:
        if start in done:
            continue
        component: list[str] = []
        stack = [start]
        done.add(start)
        while stack:
            v = stack.pop()
            component.append(v)
            for w in sorted(linked[v], key=order.__getitem__):
                if w not in done:
                    done.add(w)
                    stack.append(w)
        if len(component) == 1 and start in parents_of_chain:
            continue  # a process that only composes others: its chain is the journey
        steps_order = _chain_order(component, nxt, order)
        owners = {composed_by.get(p) for p in component}
        whole = owners.pop() if len(owners) == 1 else None
        ident = whole if whole is not None else steps_order[0]
        jid = make_id(ident)
        if jid in taken:
            jid = f"{jid}-journey"
        taken.add(jid)
        steps: list[dict[str, Any]] = []
        missing: list[str] = []
        for p in steps_order:
            actor, role = performer(p)
            if actor is None:
                missing.append(elements[p][1])
            step: dict[str, Any] = {
                "id": _step_id(p, ident),
                "name": elements[p][1],
                "unit": UNASSIGNED if actor is None else unit_id[actor],
            }
            if role:
                step["role"] = role
            steps.append(step)
        if missing:
            notes.append(
                f"journey '{jid}': no actor performs "
                f"{', '.join(repr(m) for m in missing)} (directly, through a role or "
                f"a composing process); those steps are performed by '{UNASSIGNED}'"
            )
        journey: dict[str, Any] = {"id": jid, "name": elements[ident][1]}
        text = _doc(elements[ident][2])
        if text:
            journey["description"] = text
        journey["steps"] = steps
        journeys.append(journey)
    return journeys


def _step_id(process: str, journey: str) -> str:
    prefix = f"{journey}.s"
    return make_id(
        process[len(prefix) :]
        if process.startswith(prefix) and len(process) > len(prefix)
        else process
    )


def _chain_order(
    component: list[str], nxt: dict[str, list[str]], order: dict[str, int]
) -> list[str]:
    """The processes in chain order: a topological order (ties and cycles by document
    order)."""
    members = set(component)
    indegree = {p: 0 for p in component}
    for p in component:
        for q in nxt[p]:
            if q in members:
                indegree[q] += 1
    ready = sorted((p for p in component if indegree[p] == 0), key=order.__getitem__)
    out: list[str] = []
    placed: set[str] = set()
    while len(out) < len(component):
        if not ready:  # a cycle: go on from the first process not placed
            ready = [min((p for p in component if p not in placed), key=order.__getitem__)]
        p = ready.pop(0)
        if p in placed:
            continue
        placed.add(p)
        out.append(p)
        for q in nxt[p]:
            if q in members and q not in placed:
                indegree[q] -= 1
                if indegree[q] <= 0:
                    ready.append(q)
        ready.sort(key=order.__getitem__)
    return out


_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _xml_id(ident: str) -> str:
    """An xs:ID for an orgmodel id: itself when it is one, else a made-up one."""
    if _NCNAME.match(ident):
        return ident
    return "id-" + re.sub(r"[^A-Za-z0-9_.-]", "-", ident)[:60] + "-" + digest(ident)


def export_archimate(document: Document) -> str:
    """The document as an ArchiMate exchange file (see the module docstring)."""
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{NS} {NS}archimate3_Model.xsd" '
        f'identifier="{_xml_id("model-" + (document.name[:40]))}">',
        f'  <name xml:lang="en">{escape(document.name)}</name>',
    ]
    if document.description:
        out.append(f'  <documentation xml:lang="en">{escape(document.description)}</documentation>')
    elements: list[tuple[str, str, str, str | None]] = []
    relations: list[tuple[str, str, str, str | None]] = []
    for u in document.units:
        elements.append((_xml_id(u.id), "BusinessActor", u.name, u.description))
    roles: dict[tuple[str, str], str] = {}
    for u in document.units:
        if u.parent is not None:
            relations.append(("Composition", _xml_id(u.parent), _xml_id(u.id), None))
        for line in u.lines:
            relations.append(
                (
                    "Association",
                    _xml_id(u.id),
                    _xml_id(line.to),
                    "matrix" if line.kind.value == "matrix" else line.note,
                )
            )
    for j in document.journeys:
        jid = _xml_id(j.id)
        elements.append((jid, "BusinessProcess", j.name, j.description))
        previous: str | None = None
        for number, step in enumerate(j.steps, start=1):
            sid = _xml_id(f"{jid}.s{step.id or number}")
            elements.append((sid, "BusinessProcess", step.name, None))
            relations.append(("Composition", jid, sid, None))
            if step.role:
                key = (step.unit, step.role)
                if key not in roles:
                    roles[key] = _xml_id(f"role-{step.unit}-{step.role}")
                    elements.append((roles[key], "BusinessRole", step.role, None))
                    relations.append(("Assignment", _xml_id(step.unit), roles[key], None))
                relations.append(("Assignment", roles[key], sid, None))
            else:
                relations.append(("Assignment", _xml_id(step.unit), sid, None))
            if previous is not None:
                relations.append(("Triggering", previous, sid, None))
            previous = sid
    out.append("  <elements>")
    for ident, kind, name, text in elements:
        out.append(f'    <element identifier="{ident}" xsi:type="{kind}">')
        out.append(f'      <name xml:lang="en">{escape(name)}</name>')
        if text:
            out.append(f'      <documentation xml:lang="en">{escape(text)}</documentation>')
        out.append("    </element>")
    out.append("  </elements>")
    if relations:
        out.append("  <relationships>")
        seen: set[str] = set()
        for kind, src, dst, label in relations:
            rid = _xml_id(f"rel-{kind[:4].lower()}-{src}-{dst}")
            while rid in seen:
                rid = _xml_id(rid + "-")
            seen.add(rid)
            attrs = f'identifier={quoteattr(rid)} source="{src}" target="{dst}" xsi:type="{kind}"'
            if label:
                out.append(f"    <relationship {attrs}>")
                out.append(f'      <label xml:lang="en">{escape(label)}</label>')
                out.append("    </relationship>")
            else:
                out.append(f"    <relationship {attrs}/>")
        out.append("  </relationships>")
    out.append("</model>")
    return "\n".join(out) + "\n"


def summary(counts: dict[str, int], data: dict[str, Any]) -> Iterable[str]:
    """Lines that count what the file held against what the document got."""
    units = data.get("units", [])
    journeys = data.get("journeys", [])
    steps = sum(len(j["steps"]) for j in journeys)
    yield (
        f"{counts.get('BusinessActor', 0)} business actor(s) -> {len(units)} unit(s); "
        f"{counts.get('BusinessRole', 0)} business role(s); "
        f"{counts.get('BusinessProcess', 0)} business process(es) -> {len(journeys)} "
        f"journey(s) with {steps} step(s)"
    )
