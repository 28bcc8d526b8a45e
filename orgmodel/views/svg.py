"""A small SVG writer for views whose layout orgmodel computes itself, and text metrics.

The writer needs no Graphviz and no font library: text widths are estimated from a
per-character table for DejaVu Sans (a wide sans-serif, so text measured here also fits
with Arial or Helvetica), with East Asian wide characters and emoji counted as one em.
Coordinates are written with at most one decimal, so output is byte-for-byte stable.
Every unit, step or cell is a ``<g>`` with a ``class`` and a ``data-id`` attribute that
holds its document id, so tests and scripts can find it with an XML parser.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from orgmodel.views.escape import clean, xml_attr, xml_text

__all__ = ["FONT", "Row", "Svg", "fit", "fit_block", "num", "text_width", "wrap"]

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"


def _ascii_table() -> list[float]:
    table = [0.62] * 128
    for ch in "iljI.,:;'!|`":
        table[ord(ch)] = 0.32
    for ch in "frt()[]{}-":
        table[ord(ch)] = 0.42
    for ch in "mwMW@%":
        table[ord(ch)] = 0.95
    for ch in "ABCDEFGHJKLNOPQRSTUVXYZ&":
        table[ord(ch)] = 0.74
    for ch in "0123456789":
        table[ord(ch)] = 0.64
    table[ord(" ")] = 0.32
    return table


_ASCII = _ascii_table()


def _char_width(ch: str) -> float:
    code = ord(ch)
    if code < 128:
        return _ASCII[code]
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if code >= 0x1F000 or unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    return 0.7


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in pixels of ``text`` at font size ``size`` (an upper estimate)."""
    if bold:
        size *= 1.15
    if text.isascii():
        table = _ASCII
        return sum(table[b] for b in text.encode("ascii")) * size
    return sum(_char_width(ch) for ch in text) * size


@lru_cache(maxsize=65536)
def fit_one(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` on one line of at most ``width`` pixels (cut with an ellipsis); empty when
    the text is only blanks."""
    lines = fit(text, width, size, 1, bold)
    return lines[0] if lines else ""


def fit(
    text: str, width: float, size: float, max_lines: int = 1, bold: bool = False
) -> tuple[str, ...]:
    """``text`` broken at spaces into at most ``max_lines`` lines of at most ``width``
    pixels; what does not fit is cut and ends in an ellipsis."""
    words = clean(text).replace("\n", " ").split()
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current and len(lines) < max_lines - 1:
            lines.append(current)
            current = ""
            if text_width(word, size, bold) <= width:
                current = word
                continue
        rest = " ".join([current, *words[index:]] if current else words[index:])
        lines.append(_cut(rest, width, size * 1.15 if bold else size))
        return tuple(lines)
    if current:
        lines.append(current)
    return tuple(lines)


@lru_cache(maxsize=65536)
def wrap(text: str, width: float, size: float, bold: bool = False) -> tuple[str, ...]:
    """``text`` broken at spaces into lines of at most ``width`` pixels, nothing cut: a word
    wider than a line is broken between characters (with a hyphen)."""
    lines: list[str] = []
    current = ""
    for word in clean(text).replace("\n", " ").split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut] + "-", size, bold) > width:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current:
        lines.append(current)
    return tuple(lines)


Row = tuple[str, float, bool, bool]
"""A line of a text block: text, font size, bold, italic."""


def fit_block(
    parts: Iterable[Row],
    width: float,
    height: float,
    leading: float = 1.3,
    smallest: float = 7.0,
) -> list[Row]:
    """The ``parts`` of a label (text, size, bold, italic) wrapped into lines of at most
    ``width`` pixels, every size scaled down by one factor until the lines fit ``height``:
    nothing is cut while the smallest text stays at least ``smallest`` pixels; beyond that
    the last lines that fit end in an ellipsis.

    >>> rows = fit_block([("Department for Environment, Food and Rural Affairs", 12, True,
    ...                    False)], 162, 54)
    >>> [(text, size) for text, size, _, _ in rows]
    [('Department for', 12.0), ('Environment, Food', 12.0), ('and Rural Affairs', 12.0)]
    """
    parts = [p for p in parts if clean(p[0]).strip()]
    if not parts:
        return []
    least = min(size for _, size, _, _ in parts)
    scale = 1.0
    while True:
        rows = [
            (line, size * scale, bold, italic)
            for text, size, bold, italic in parts
            for line in wrap(text, width, size * scale, bold)
        ]
        if sum(size * leading for _, size, _, _ in rows) <= height + 0.01:
            return [(t, round(size, 1), b, i) for t, size, b, i in rows]
        if least * scale * 0.9 < smallest:
            break
        scale *= 0.9
    out: list[Row] = []  # too much text even at the smallest size: cut the last line
    used = 0.0
    for text, size, bold, italic in parts:
        size = round(size * scale, 1)
        room = int((height - used) // (size * leading))
        if room <= 0:
            break
        lines = fit(text, width, size, room, bold)
        out += [(line, size, bold, italic) for line in lines]
        used += len(lines) * size * leading
    return out


def _cut(text: str, width: float, size: float) -> str:
    """``text`` shortened to fit ``width`` with a trailing ellipsis."""
    if text_width(text, size) <= width:
        return text
    budget = width - text_width("…", size)
    out = []
    used = 0.0
    for ch in text:
        w = _char_width(ch) * size
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros."""
    tenths = round(value * 10)
    if tenths % 10 == 0:
        return str(tenths // 10)
    return repr(tenths / 10)


class Svg:
    """An SVG document built from rectangles, texts and paths, written in call order."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.parts: list[str] = []
        self.markers: dict[str, str] = {}

    def open(
        self, cls: str, ident: str | None = None, title: str | None = None, **data: str
    ) -> None:
        """Open a group with a class, an optional document id, tooltip and data attributes."""
        attrs = f' class="{cls}"'
        if ident is not None:
            attrs += f' data-id="{xml_attr(ident)}"'
        for key, value in data.items():
            attrs += f' data-{key}="{xml_attr(value)}"'
        self.parts.append(f"<g{attrs}>")
        if title:
            self.parts.append(f"<title>{xml_text(title)}</title>")

    def close(self) -> None:
        """Close the innermost group."""
        self.parts.append("</g>")

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        stroke: str = "none",
        width: float = 1,
        rx: float = 0,
        dash: str | None = None,
        opacity: float | None = None,
    ) -> None:
        """A rectangle."""
        extra = f' rx="{num(rx)}"' if rx else ""
        if dash:
            extra += f' stroke-dasharray="{dash}"'
        if opacity is not None:
            extra += f' fill-opacity="{opacity}"'
        self.parts.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{num(width)}"{extra}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 12,
        anchor: str = "middle",
        weight: str | None = None,
        fill: str = "#1f2933",
        italic: bool = False,
    ) -> None:
        """One line of text with its baseline at ``y``."""
        extra = ' font-weight="bold"' if weight == "bold" else ""
        if italic:
            extra += ' font-style="italic"'
        self.parts.append(
            f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" '
            f'text-anchor="{anchor}" fill="{fill}"{extra}>{xml_text(text)}</text>'
        )

    def lines(
        self,
        x: float,
        y: float,
        lines: Iterable[str],
        size: float = 12,
        leading: float = 1.25,
        **kw: object,
    ) -> None:
        """Several lines of text, the first baseline at ``y``."""
        for i, line in enumerate(lines):
            self.text(x, y + i * size * leading, line, size, **kw)  # type: ignore[arg-type]

    def marker(self, color: str) -> str:
        """The id of an arrowhead marker in ``color`` (defined once per color)."""
        ident = f"arrow-{color.lstrip('#')}"
        if ident not in self.markers:
            self.markers[ident] = (
                f'<marker id="{ident}" viewBox="0 0 10 10" refX="9" refY="5" '
                'markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" '
                'orient="auto-start-reverse">'
                f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            )
        return ident

    def path(
        self,
        d: str,
        stroke: str,
        width: float = 1,
        dash: str | None = None,
        arrow: bool = False,
        fill: str = "none",
        opacity: float | None = None,
    ) -> None:
        """A path from SVG path data ``d`` (built by the caller with :func:`num`)."""
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        if arrow:
            extra += f' marker-end="url(#{self.marker(stroke)})"'
        if opacity is not None:
            extra += f' stroke-opacity="{opacity}"'
        self.parts.append(
            f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{num(width)}"{extra}/>'
        )

    def source(self) -> str:
        """The SVG document as text, ending in a newline."""
        w, h = num(self.width), num(self.height)
        head = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" font-family="{FONT}">',
            f"<title>{xml_text(self.title)}</title>",
        ]
        if self.markers:
            head.append(
                "<defs>" + "".join(self.markers[k] for k in sorted(self.markers)) + "</defs>"
            )
        head.append(f'<rect width="{w}" height="{h}" fill="#ffffff"/>')
        return "\n".join([*head, *self.parts, "</svg>"]) + "\n"
