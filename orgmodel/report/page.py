"""The HTML report: one self-contained page built from the analysis (and the check).

Every section is built as a list of HTML strings. Every text that comes from a document
goes through :func:`e` (escaped), every datum the page script reads sits in a
``<script type="application/json">`` block written by :func:`json_block` (``<`` ``>`` ``&``
escaped), and the page's Content-Security-Policy allows only the page's own inline script
and style (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from orgmodel import __version__
from orgmodel.analysis.figures import FIGURES
from orgmodel.analysis.findings import Finding, Rule
from orgmodel.analysis.profile import ProfileSection
from orgmodel.analysis.report import Report
from orgmodel.analysis.silos import JourneyFigures, SiloSection
from orgmodel.compare.policy import CheckResult, known_codes
from orgmodel.durations import format_duration
from orgmodel.graph import Enterprise
from orgmodel.report.orgdata import org_data
from orgmodel.views import overlay as overlay_view
from orgmodel.views.escape import clean
from orgmodel.views.svg import Svg, fit_one

__all__ = ["build_page", "e", "json_block"]

#: Journeys shown in the overview's "worst journeys" table.
WORST = 5
#: The overlay is drawn into the page up to this many bytes of SVG (a picture of a
#: 100,000-unit organization says less than its org chart, and weighs megabytes).
OVERLAY_MAX = 2_000_000
#: Up to this many findings are written into the page as HTML; more are data that the page
#: draws a page at a time (42,000 list items take seconds to lay out).
FINDINGS_INLINE = 1000


def e(text: object) -> str:
    """``text`` escaped for HTML text and double-quoted attributes."""
    return html.escape(clean(str(text)), quote=True)


_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_block(ident: str, data: object) -> str:
    """``data`` as a JSON data block that no text inside can close or escape."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)
    return f'<script type="application/json" id="{ident}">{text}</script>'


def _asset(name: str) -> str:
    return resources.files("orgmodel.report").joinpath(name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _duration(seconds: float | None) -> str:
    return "–" if seconds is None else format_duration(seconds)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _plain(markdown: str) -> str:
    """Markdown of the rules reference as plain text (links and code marks dropped)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    return text.replace("`", "").replace("**", "")


def _journey_of(finding: Finding, ids: Sequence[str]) -> str:
    path = finding.path
    if (
        len(path) >= 2
        and path[0] == "journeys"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(ids)
    ):
        return ids[path[1]]
    return ""


def _finding_item(
    code: str, rule: str, severity: str, message: str, where: str, journey: str
) -> str:
    """One finding as a list item (the page script builds the same from ``f-data``)."""
    return (
        f'<li class="finding sev-{e(severity)}" data-rule="{e(code)}" '
        f'data-severity="{e(severity)}" data-journey="{e(journey)}">'
        f'<p><span class="sev">{e(severity)}</span> '
        f'<a href="#rule-{e(code)}">{e(code)} {e(rule)}</a>: {e(message)}</p>'
        f'<p class="path">at <code>{e(where)}</code></p></li>'
    )


class Page:
    """The report page of one document (and its comparison with a baseline)."""

    def __init__(
        self, ent: Enterprise, report: Report, check: CheckResult | None = None, source: str = ""
    ) -> None:
        self.ent = ent
        self.doc = ent.document
        self.report = report
        self.check = check
        self.source = source
        self.silos: SiloSection = report.section("silos")  # type: ignore[assignment]
        self.profile: ProfileSection = report.section("profile")  # type: ignore[assignment]
        self.figures = {j.journey: j for j in self.silos.journeys}

    def name(self, unit: str | None) -> str:
        """The name of a unit id (the id when unknown)."""
        if unit is None:
            return "–"
        found = self.ent.units.get(unit)
        return found.name if found else unit

    # -- page ---------------------------------------------------------------------------

    def html(self) -> str:
        """The whole page."""
        sections = [
            ("overview", "Overview", self.overview()),
            ("overlay", "Three-layer overlay", self.overlay()),
            ("orgchart", "Org chart", self.orgchart()),
            ("journeys", "Journeys", self.journeys()),
            ("heatmap", "Heat map", self.heatmap()),
            ("findings", "Findings", self.findings()),
        ]
        if self.check is not None and self.check.diff is not None:
            sections.append(("comparison", "Comparison with the baseline", self.comparison()))
        style = _asset("report.css")
        script = _asset("report.js")
        csp = (
            f"default-src 'none'; style-src {_csp_hash(style)}; "
            f"script-src {_csp_hash(script)}; img-src data:; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'"
        )
        nav = "".join(f'<li><a href="#{ident}">{e(title)}</a></li>' for ident, title, _ in sections)
        body = "\n".join(
            f'<section id="{ident}" aria-labelledby="{ident}-h">\n'
            f'<h2 id="{ident}-h">{e(title)}</h2>\n' + "\n".join(parts) + "\n</section>"
            for ident, title, parts in sections
        )
        title = f"orgmodel report: {self.doc.name}"
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="orgmodel {e(__version__)}">\n'
            f"<title>{e(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to the report</a>\n'
            f"<header><h1>{e(title)}</h1>\n"
            f'<p class="sub">{e(self.source)}'
            + (f" — {e(self.doc.description)}" if self.doc.description else "")
            + "</p>\n"
            f'<nav aria-label="Sections"><ul>{nav}</ul></nav></header>\n'
            f'<main id="main">\n{body}\n</main>\n'
            f"<footer><p>Written by orgmodel {e(__version__)}.</p></footer>\n"
            f"<script>{script}</script>\n</body>\n</html>\n"
        )

    # -- overview -----------------------------------------------------------------------

    def overview(self) -> list[str]:
        """The organization in figures, the profile picture, the worst journeys."""
        doc, totals = self.doc, self.silos.totals
        holders = sum(1 for p in doc.positions if p.holder)
        counts = self.report.counts
        figures = [
            ("Units", f"{len(doc.units):,}"),
            ("Positions", f"{len(doc.positions):,}"),
            ("People (held positions)", f"{holders:,}"),
            ("Journeys", f"{len(doc.journeys):,}"),
            ("Segments", f"{len(doc.segments):,}"),
            ("Internal services", f"{len(doc.services):,}"),
            ("Goals", f"{len(doc.goals):,}"),
            ("Silo crossings", f"{totals.crossings:,} ({totals.uncovered_crossings:,} uncovered)"),
            ("Findings", ", ".join(f"{counts.get(s, 0):,} {s.value}" for s in counts)),
        ]
        out = (
            ['<dl class="figures">']
            + [f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in figures]
            + ["</dl>"]
        )
        out.append('<h3 id="profile-h">Customer-centricity profile</h3>')
        out.append(
            f'<figure class="profile">{self.profile_svg()}'
            "<figcaption>Each bar is one figure of the profile: its value against its "
            "target (the tick); green meets the target, red does not, grey has no "
            "value.</figcaption></figure>"
        )
        worst = sorted(
            self.silos.journeys,
            key=lambda j: (-j.uncovered_crossings, -j.crossings, -j.lead_time, j.journey),
        )[:WORST]
        if worst:
            out.append(
                '<h3>The worst journeys</h3><table class="data"><caption>By uncovered '
                "crossings, then crossings, then lead time</caption><thead><tr>"
                '<th scope="col">Journey</th><th scope="col">Steps</th>'
                '<th scope="col">Handoffs</th><th scope="col">Crossings</th>'
                '<th scope="col">Uncovered</th><th scope="col">Lead time</th>'
                '<th scope="col">Flow efficiency</th></tr></thead><tbody>'
            )
            for j in worst:
                out.append(
                    f'<tr><th scope="row"><a href="#journey-{e(j.journey)}">{e(j.name)}</a>'
                    f"</th><td>{j.steps}</td><td>{j.handoffs}</td><td>{j.crossings}</td>"
                    f"<td>{j.uncovered_crossings}</td><td>{e(_duration(j.lead_time))}</td>"
                    f"<td>{e(_share(j.flow_efficiency))}</td></tr>"
                )
            out.append("</tbody></table>")
        return out

    def profile_svg(self) -> str:
        """The profile as a bar picture with a text alternative."""
        figs = self.profile.figures
        areas = self.profile.areas
        row, label_w, bar_w = 22, 330, 260
        height = 20 + len(areas) * 30 + len(figs) * row + 10
        svg = Svg(label_w + bar_w + 150, height, "Customer-centricity profile")
        y = 20.0
        desc: list[str] = []
        for area in areas:
            svg.text(0, y + 4, f"{area.title}: {area.verdict}", 13, "start", "bold")
            desc.append(f"{area.title}: {area.verdict}.")
            y += 26
            for f in (f for f in figs if f.area == area.area):
                value = f.value
                share = value if f.unit in ("share", "flag") else None
                color = "#9aa5b1" if f.met is None else "#2f855a" if f.met else "#c53030"
                svg.text(8, y + 4, fit_one(f.label, label_w - 16, 11), 11, "start")
                svg.rect(label_w, y - 8, bar_w, 14, "#edf0f3", rx=2)
                if share is not None:
                    svg.rect(label_w, y - 8, max(bar_w * min(share, 1.0), 2), 14, color, rx=2)
                elif value is not None:
                    svg.rect(label_w, y - 8, 14, 14, color, rx=2)
                shown = (
                    "–"
                    if value is None
                    else (f"{value * 100:.0f}%" if f.unit == "share" else f"{value:g}")
                )
                svg.text(
                    label_w + bar_w + 8,
                    y + 4,
                    f"{shown} (target {f.target})",
                    11,
                    "start",
                    fill="#1f2933",
                )
                desc.append(
                    f"{f.label}: {shown}, target {f.target}, "
                    + ("no value" if f.met is None else "met" if f.met else "not met")
                    + "."
                )
                y += row
            y += 4
        source = svg.source().split("\n", 1)[1]  # no XML declaration inside HTML
        alt = e(" ".join(desc))
        return source.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)

    # -- overlay ------------------------------------------------------------------------

    def overlay(self) -> list[str]:
        """The built-in overlay picture, inline."""
        svg = overlay_view.Overlay(self.ent).to_svg()
        if len(svg) > OVERLAY_MAX:
            return [
                f"<p>The overlay of this organization is {len(svg):,} bytes of SVG; it is "
                "left out of the report (draw it with <code>orgmodel render FILE --view "
                "overlay</code>).</p>"
            ]
        svg = svg.split("\n", 1)[1]
        svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="overlay-cap" ', 1)
        return [
            '<figure class="wide">',
            f'<div class="scroll">{svg}</div>',
            '<figcaption id="overlay-cap">The board on top, the customer and market '
            "layers in the middle, the functional departments below; arrows are internal "
            "services from the providing department.</figcaption></figure>",
        ]

    # -- org chart ----------------------------------------------------------------------

    def orgchart(self) -> list[str]:
        """The lazily drawn, searchable org chart."""
        data = org_data(self.ent)
        return [
            '<div class="org-tools" role="search">',
            '<label for="org-search">Find a unit or a person</label> ',
            '<input id="org-search" type="search" autocomplete="off" '
            'aria-controls="org-results" placeholder="name, head or id">',
            '<button type="button" data-zoom="in" aria-label="Zoom in">+</button>',
            '<button type="button" data-zoom="out" aria-label="Zoom out">−</button>',
            '<button type="button" data-zoom="fit">Fit</button>',
            "</div>",
            '<ul id="org-results" class="results" aria-label="Search results"></ul>',
            '<div class="org-wrap"><canvas id="org-canvas" tabindex="0" role="img" '
            f'aria-label="Org chart of {len(self.doc.units):,} units; drag or use the arrow '
            'keys to pan, + and − to zoom; find a unit with the search field" '
            'width="960" height="560"></canvas>',
            '<div id="org-detail" class="detail" aria-live="polite"><p>Select a unit: click '
            "it, or find it by name.</p></div></div>",
            json_block("org-data", data),
        ]

    # -- journeys -----------------------------------------------------------------------

    def journeys(self) -> list[str]:
        """Every journey as swimlanes."""
        if not self.doc.journeys:
            return ["<p>The document has no journeys.</p>"]
        out = [
            "<p>Open a journey to see its steps as swimlanes, one lane per silo. "
            "A red mark is an uncovered crossing of a silo wall, an amber one a crossing "
            "that the journey's owner covers.</p>"
        ]
        for index, journey in enumerate(self.doc.journeys):
            out += self._journey(index, journey.id)
        return out

    def _journey(self, index: int, ident: str) -> list[str]:
        j = self.ent.journeys[ident]
        f: JourneyFigures | None = self.figures.get(ident)
        tree = self.ent.tree
        silos = [tree.silo_or_self[s.unit] for s in j.steps]
        lanes = list(dict.fromkeys(silos))
        crossings = {c.step: c for c in (f.crossing_list if f else [])}
        summary = f"{j.name} — {len(j.steps)} steps" + (
            f", {f.crossings} crossings ({f.uncovered_crossings} uncovered), lead time "
            f"{_duration(f.lead_time)}"
            if f
            else ""
        )
        out = [
            f'<details class="journey" id="journey-{e(ident)}" data-journey="{e(ident)}">',
            f"<summary><h3>{e(summary)}</h3></summary>",
        ]
        facts = [("Owner", self.name(j.owner)), ("State", j.state)]
        if j.segment:
            facts.append(("Segment", j.segment))
        if f:
            facts += [
                ("Handoffs", str(f.handoffs)),
                ("Work", _duration(f.work)),
                ("Wait", _duration(f.wait)),
                ("Flow efficiency", _share(f.flow_efficiency)),
                ("Customer handoffs", str(f.customer_handoffs)),
            ]
        out.append(
            '<dl class="facts">'
            + "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts)
            + "</dl>"
        )
        if j.description:
            out.append(f"<p>{e(j.description)}</p>")
        cols = len(j.steps)
        out.append(
            f'<div class="scroll"><table class="lanes" data-steps="{cols}"><caption>'
            f"Steps of {e(j.name)}, one lane per silo</caption><thead><tr>"
            '<th scope="col">Silo</th>'
            + "".join(f'<th scope="col">{n}</th>' for n in range(1, cols + 1))
            + "</tr></thead><tbody>"
        )
        for lane in lanes:
            cells = []
            for n, (step, silo) in enumerate(zip(j.steps, silos, strict=True), start=1):
                if silo != lane:
                    cells.append('<td class="empty"></td>')
                    continue
                cells.append("<td>" + self._step(n, step, crossings.get(n)) + "</td>")
            out.append(f'<tr><th scope="row">{e(self.name(lane))}</th>{"".join(cells)}</tr>')
        out.append("</tbody></table></div></details>")
        return out

    def _step(self, n: int, step: Any, crossing: Any) -> str:
        parts = ['<div class="step' + (" touch" if step.touchpoint else "") + '">']
        if crossing is not None:
            kind = "covered" if crossing.covered else "uncovered"
            parts.append(
                f'<p class="cross {kind}">{"Covered" if crossing.covered else "Uncovered"} '
                f"crossing from {e(self.name(crossing.from_silo))}"
                + (f", waits {e(_duration(crossing.wait))}" if crossing.wait else "")
                + (f"; common manager {e(self.name(crossing.manager))}" if crossing.manager else "")
                + "</p>"
            )
        parts.append(f'<p class="name"><span class="n">{n}.</span> {e(step.name)}</p>')
        meta = [self.name(step.unit)]
        if step.role:
            meta.append(step.role)
        if step.touchpoint:
            meta.append("touchpoint" + (f" ({step.channel})" if step.channel else ""))
        if not step.value_adding:
            meta.append("not value-adding")
        parts.append(f'<p class="meta">{e(" · ".join(meta))}</p>')
        parts.append(
            f'<p class="time">work {e(_duration(step.work))}'
            + (f", wait before {e(_duration(step.wait))}" if step.wait else "")
            + "</p>"
        )
        if step.problems:
            parts.append(
                '<ul class="problems">'
                + "".join(
                    f"<li>{e(p.text)}"
                    + (f" (weight {p.weight})" if p.weight != 1 else "")
                    + "</li>"
                    for p in step.problems
                )
                + "</ul>"
            )
        parts.append("</div>")
        return "".join(parts)

    # -- heat map -----------------------------------------------------------------------

    def heatmap(self) -> list[str]:
        """Journeys × silos: steps, and crossings into the silo, uncovered ones in red."""
        cells = self.silos.matrix
        if not cells:
            return ["<p>No journey steps to map.</p>"]
        silos = list(dict.fromkeys(c.silo for c in cells))
        journeys = [j.id for j in self.doc.journeys if j.id in self.figures]
        steps = {(c.journey, c.silo): c.steps for c in cells}
        uncovered: dict[tuple[str, str], int] = {}
        covered: dict[tuple[str, str], int] = {}
        for jf in self.silos.journeys:
            for crossing in jf.crossing_list:
                bucket = covered if crossing.covered else uncovered
                key = (jf.journey, crossing.to_silo)
                bucket[key] = bucket.get(key, 0) + 1
        top = max(uncovered.values(), default=1)
        out = [
            "<p>Each cell: the steps a journey spends in a silo, and the crossings into "
            "it. Red: uncovered crossings (the darker, the more); amber: crossings the "
            "owner covers only; grey: steps without a crossing in.</p>",
            '<div class="scroll"><table class="heat"><caption>Steps and crossings per '
            'journey and silo</caption><thead><tr><th scope="col">Journey</th>'
            + "".join(f'<th scope="col">{e(self.name(s))}</th>' for s in silos)
            + "</tr></thead><tbody>",
        ]
        for jid in journeys:
            row = [f'<th scope="row">{e(self.figures[jid].name)}</th>']
            for s in silos:
                n = steps.get((jid, s), 0)
                u, c = uncovered.get((jid, s), 0), covered.get((jid, s), 0)
                if not n:
                    row.append('<td class="h0"></td>')
                    continue
                if u:
                    level = 1 + min(3, (3 * u + top - 1) // top)
                    cls = f"hu{level}"
                elif c:
                    cls = "hc"
                else:
                    cls = "hs"
                text = f"{n} step{'s' if n != 1 else ''}"
                if u or c:
                    text += "; in: " + ", ".join(
                        t for t in (f"{u} uncovered" if u else "", f"{c} covered" if c else "") if t
                    )
                row.append(f'<td class="{cls}">{e(text)}</td>')
            out.append("<tr>" + "".join(row) + "</tr>")
        out.append("</tbody></table></div>")
        return out

    # -- findings -----------------------------------------------------------------------

    def findings(self) -> list[str]:
        """Every finding, filterable, with its explanation and JSON path."""
        found = self.report.findings
        if not found:
            return ["<p>No findings.</p>"]
        ids = [j.id for j in self.doc.journeys]
        rules = known_codes()
        codes = sorted({f.code for f in found})
        severities = [
            s for s in ("error", "warning", "info") if any(f.severity.value == s for f in found)
        ]
        journeys = sorted({_journey_of(f, ids) for f in found} - {""})
        out = [
            '<form class="filters" aria-label="Filter the findings">',
            self._select(
                "f-rule", "Rule", [(c, f"{c} {rules[c].name}" if c in rules else c) for c in codes]
            ),
            self._select("f-severity", "Severity", [(s, s) for s in severities]),
            self._select(
                "f-journey", "Journey", [(j, self.ent.journeys[j].name) for j in journeys]
            ),
            "</form>",
            f'<p id="f-count" aria-live="polite">{len(found):,} of {len(found):,} findings '
            "shown.</p>",
            '<ol class="findings" id="f-list">',
        ]
        rows = [
            (
                f.code,
                f.rule,
                f.severity.value,
                f.message,
                f.json_path + (f" (line {f.line})" if f.line else ""),
                _journey_of(f, ids),
            )
            for f in found
        ]
        if len(rows) <= FINDINGS_INLINE:
            out += [_finding_item(*row) for row in rows]
            out.append("</ol>")
        else:  # the page script draws the matching findings, a page at a time
            out.append("</ol>")
            out.append('<p><button type="button" id="f-more" hidden>Show more</button></p>')
            out.append(json_block("f-data", [list(row) for row in rows]))
        out.append("<h3>The rules behind these findings</h3>")
        out += [self._rule(rules[c]) for c in codes if c in rules]
        return out

    @staticmethod
    def _select(ident: str, label: str, options: Iterable[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{e(v)}">{e(t)}</option>' for v, t in options)
        return (
            f'<label for="{ident}">{e(label)}</label> <select id="{ident}">'
            f'<option value="">all</option>{opts}</select>'
        )

    @staticmethod
    def _rule(rule: Rule) -> str:
        parts = "".join(
            f"<h5>{e(title)}</h5><p>{e(_plain(text))}</p>" for title, text in rule.sections()
        )
        return (
            f'<details class="rule" id="rule-{e(rule.code)}"><summary><h4>{e(rule.code)} '
            f"{e(rule.name)} ({e(rule.severity.value)})</h4></summary>"
            f"<p>{e(_plain(rule.summary))}</p>{parts}</details>"
        )

    # -- comparison ---------------------------------------------------------------------

    def comparison(self) -> list[str]:
        """Structural changes, every journey before and after, the gate's verdict."""
        check = self.check
        assert check is not None and check.diff is not None
        diff = check.diff
        verdict = check.verdict.value
        out = [
            f'<div class="verdict {e(verdict)}" role="status"><p><strong>orgmodel check: '
            f"{e(verdict.upper())}</strong> — {e(self.source)} against "
            f"{e(diff.baseline.source or diff.baseline.name)}</p>"
        ]
        if check.reasons:
            out.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in check.reasons) + "</ul>")
        out.append("</div>")
        regressions = [c for c in check.findings if c.regression is not None]
        out.append('<h3 id="regressions">Regressions</h3>')
        if regressions:
            out.append(
                '<table class="data" id="regression-table"><thead><tr>'
                '<th scope="col">Journey</th><th scope="col">Figure</th>'
                '<th scope="col">Before</th><th scope="col">After</th>'
                '<th scope="col">Change</th><th scope="col">Blocking</th></tr></thead>'
                "<tbody>"
            )
            for c in regressions:
                r = c.regression
                assert r is not None
                shown = FIGURES[r.figure]
                out.append(
                    f'<tr><th scope="row">{e(c.journey or "–")}</th><td>{e(shown.label)}</td>'
                    f"<td>{e(shown.format(r.before))}</td><td>{e(shown.format(r.after))}</td>"
                    f"<td>{e(shown.format_delta(r.delta))}</td>"
                    f"<td>{'yes' if c.blocking else 'no'}</td></tr>"
                )
            out.append("</tbody></table>")
        else:
            out.append("<p>No journey got worse than the baseline.</p>")
        out.append("<h3>Structural changes</h3>")
        if diff.changes:
            out.append(
                '<table class="data"><thead><tr><th scope="col">Change</th>'
                '<th scope="col">What</th><th scope="col">Id</th>'
                '<th scope="col">Description</th></tr></thead><tbody>'
            )
            for ch in diff.changes:
                out.append(
                    f"<tr><td>{e(ch.kind.value)}</td><td>{e(ch.entity)}</td>"
                    f"<td><code>{e(ch.id)}</code></td><td>{e(ch.message)}</td></tr>"
                )
            out.append("</tbody></table>")
        else:
            out.append("<p>No structural changes.</p>")
        out.append("<h3>Every journey, before and after</h3>")
        for jc in diff.journeys:
            out.append(
                f'<table class="data journey-delta"><caption>{e(jc.name)} '
                f"({e(jc.status.value)})</caption><thead><tr>"
                '<th scope="col">Figure</th><th scope="col">Before</th>'
                '<th scope="col">After</th><th scope="col">Change</th></tr></thead>'
                "<tbody>"
            )
            for fd in jc.figures:
                known = FIGURES[fd.figure]
                out.append(
                    f'<tr class="{e(fd.direction.value)}"><th scope="row">{e(known.label)}</th>'
                    f"<td>{e(known.format(fd.before))}</td><td>{e(known.format(fd.after))}</td>"
                    f"<td>{e(known.format_delta(fd.delta) if fd.delta is not None else '–')} "
                    f"{e(fd.direction.value)}</td></tr>"
                )
            out.append("</tbody></table>")
        fdelta = diff.findings
        out.append(
            f"<h3>Findings</h3><p>{len(fdelta.introduced)} introduced, "
            f"{len(fdelta.resolved)} resolved, {fdelta.unchanged} unchanged.</p>"
        )
        for title, items in (("Introduced", fdelta.introduced), ("Resolved", fdelta.resolved)):
            if items:
                out.append(
                    f"<h4>{title}</h4><ul>"
                    + "".join(
                        f"<li>{e(f.code)} {e(f.rule)}: {e(f.message)} <code>{e(f.json_path)}"
                        "</code></li>"
                        for f in items
                    )
                    + "</ul>"
                )
        return out


def build_page(
    ent: Enterprise, report: Report, check: CheckResult | None = None, source: str = ""
) -> str:
    """The report page as text."""
    return Page(ent, report, check, source).html()
