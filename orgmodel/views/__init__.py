"""Views: diagrams drawn from one document, deterministically.

Each view is one module with ``name``, ``title``, ``per_journey`` and
``build(ctx, options)``, registered once in :data:`VIEWS`. A view selects and lays out: it
builds a neutral scene (:mod:`orgmodel.views.scene`) that one DOT writer
(:func:`orgmodel.views.dot.write_dot`) and one Mermaid writer
(:func:`orgmodel.views.mermaid.write_mermaid`) serve for every view, and paints its SVG from
its own layout (:mod:`orgmodel.views.svg`); :func:`render` picks the format and the SVG
backend (:mod:`orgmodel.views.backend`).

>>> sorted(VIEWS)
['journey', 'matrix', 'orgchart', 'overlay']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from orgmodel.views import journey, matrix, orgchart, overlay
from orgmodel.views.backend import (
    DEFAULT_TIMEOUT,
    FORMATS,
    GraphvizFailed,
    GraphvizMissing,
    RenderError,
    format_for,
    graphviz_available,
    run_graphviz,
    svg_to,
)
from orgmodel.views.base import Drawing, ViewContext, ViewError, ViewModule, ViewOptions

__all__ = [
    "ENGINES",
    "FORMATS",
    "VIEWS",
    "RenderError",
    "Rendered",
    "ViewContext",
    "ViewError",
    "ViewOptions",
    "draw",
    "format_for",
    "output_name",
    "render",
]

#: Every view, registered here once, in the order ``--all`` writes them.
VIEWS: dict[str, ViewModule] = {m.name: m for m in (orgchart, overlay, journey, matrix)}

#: How SVG is made: ``auto`` uses Graphviz when installed and the view prefers it.
ENGINES: tuple[str, ...] = ("auto", "graphviz", "builtin")


@dataclass(frozen=True)
class Rendered:
    """One view in one format."""

    data: bytes
    backend: str
    """``text`` (DOT, Mermaid), ``builtin`` (orgmodel's SVG) or the Graphviz command."""
    notes: tuple[str, ...] = ()
    """Things the user should know, e.g. a fallback from Graphviz to the built-in SVG."""


def draw(ctx: ViewContext, view: str, options: ViewOptions | None = None) -> Drawing:
    """The drawing of ``view``; raises :class:`ViewError` when the options do not fit."""
    try:
        module = VIEWS[view]
    except KeyError:
        raise ViewError(f"unknown view '{view}'; views: {', '.join(VIEWS)}") from None
    return module.build(ctx, options or ViewOptions())


def render(
    ctx: ViewContext,
    view: str,
    fmt: str,
    options: ViewOptions | None = None,
    engine: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
) -> Rendered:
    """``view`` of ``ctx`` in ``fmt`` (dot, mmd, svg, png, pdf).

    Raises :class:`ViewError` for options that do not fit the document and
    :class:`RenderError` when the format cannot be made (e.g. PNG without an image library,
    or with ``engine="graphviz"`` and no Graphviz).
    """
    if fmt not in FORMATS:
        raise RenderError(f"unknown format '{fmt}'; formats: {', '.join(FORMATS)}")
    if engine not in ENGINES:
        raise RenderError(f"unknown engine '{engine}'; engines: {', '.join(ENGINES)}")
    drawing = draw(ctx, view, options)
    if fmt == "dot":
        return Rendered(drawing.to_dot().encode("utf-8"), "text")
    if fmt == "mmd":
        return Rendered(drawing.to_mermaid().encode("utf-8"), "text")
    if fmt == "svg":
        use_graphviz = engine == "graphviz" or (
            engine == "auto" and drawing.prefer_graphviz and graphviz_available()
        )
        if not use_graphviz:
            return Rendered(drawing.to_svg().encode("utf-8"), "builtin")
        source, command = drawing.graphviz_input()
        try:
            return Rendered(run_graphviz(source, command, "svg", timeout), " ".join(command))
        except GraphvizFailed as exc:
            if engine == "graphviz":
                raise
            return Rendered(
                drawing.to_svg().encode("utf-8"),
                "builtin",
                (f"{exc}; wrote the built-in SVG instead",),
            )
    if engine != "graphviz":  # PNG and PDF: the same picture as the built-in SVG
        return Rendered(svg_to(drawing.to_svg(), fmt), "builtin")
    source, command = drawing.graphviz_input()
    if not graphviz_available(command[0]):
        raise GraphvizMissing(fmt, command[0])
    return Rendered(run_graphviz(source, command, fmt, timeout), " ".join(command))


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_name(view: str, fmt: str, journey_id: str | None = None) -> str:
    """The file name ``--all`` gives a view: ``orgchart.svg``, ``journey-ID.svg``.

    A journey id that is not a safe file name is made one, with a short hash of the id
    so that two ids never share a file.
    """
    if journey_id is None:
        return f"{view}.{fmt}"
    safe = _SAFE.sub("_", journey_id).strip("._") or "journey"
    if safe != journey_id:
        safe += "-" + hashlib.sha256(journey_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{view}-{safe}.{fmt}"
