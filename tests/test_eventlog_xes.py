"""The fast XES reader (orgmodel.eventlog.xes) gives exactly what expat's reading gives, on
the logs it reads (tricky ones included) and, through expat, on those it leaves to expat."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from orgmodel.eventlog import xes
from orgmodel.eventlog.reader import (
    Columns,
    LogInvalid,
    Row,
    _read_xes_expat,
    read_rows,
    read_xes_text,
    values_text,
)

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _both(path: Path, columns: Columns | None = None) -> tuple[object, object]:
    """What the fast reader and expat give (rows and whether a unit was seen, or the
    problems); the fast reader's is None when it leaves the file to expat."""
    columns = columns or Columns()

    def outcome(read: object) -> object:
        try:
            return read(str(path), columns)  # type: ignore[operator]
        except LogInvalid as exc:
            return [str(d) for d in exc.diagnostics]

    fast = outcome(xes.read_fast)
    # the text the DuckDB engine takes is the fast reader's rows, a line each
    assert outcome(xes.read_fast_text) == _as_text(fast)
    return fast, outcome(_read_xes_expat)


def _as_text(read: object) -> object:
    """The rows of a reading (rows, units seen) as the fast reader's text, whether there is
    an event, and units seen."""
    if not isinstance(read, tuple):
        return read
    rows, units_seen = read
    return values_text([*zip(*rows, strict=True)][1:]) if rows else "", bool(rows), units_seen


def _write(tmp_path: Path, text: str, name: str = "log.xes", newline: str = "\n") -> Path:
    path = tmp_path / name
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def _event(*values: str) -> str:
    return "<event>" + "".join(values) + "</event>"


def _s(key: str, value: str, tag: str = "string") -> str:
    return f'<{tag} key="{key}" value="{value}"/>'


def test_a_small_log_gives_the_rows_counted_by_hand(tmp_path: Path) -> None:
    log = _write(
        tmp_path,
        HEAD
        + '<log xes.version="1.0">\n'
        + f"<trace>{_s('concept:name', 'c1')}{_s('org:group', 'Front')}\n"
        + _event(_s("concept:name", "A"), _s("time:timestamp", "2024-01-01T09:00:00", "date"))
        + "\n"
        + _event(
            _s("concept:name", "B"),
            _s("org:group", "Back"),
            _s("org:resource", "r1"),
            _s("lifecycle:transition", "complete"),
            _s("time:timestamp", "2024-01-01T10:00:00", "date"),
        )
        + "\n</trace>\n</log>\n",
    )
    fast, slow = _both(log)
    assert (
        fast
        == slow
        == (
            [
                Row(4, "c1", "A", "Front", None, None, "2024-01-01T09:00:00", None),
                Row(5, "c1", "B", "Back", "r1", None, "2024-01-01T10:00:00", "complete"),
            ],
            True,
        )
    )


#: Logs the fast reader reads; each is checked against expat.
TRICKY = {
    "escaped values": _event(
        _s("concept:name", "A &amp; B &lt;1&gt; &quot;q&quot; &apos;s&apos;"),
        _s("org:resource", "J&#233;r&#xF4;me &#x1F600; &#10;&#13;&#9;x"),
        _s("time:timestamp", "2024-01-01T09:00:00", "date"),
    ),
    "attributes in any order, single quotes, spaces": (
        "<event >"
        "<string value='A \"x\"' key='concept:name' />"
        '<date\n  value = "2024-01-01T09:00:00"\tkey="time:timestamp"/>'
        "<string key = 'org:group' value='U&amp;V'></string>"
        "</event>"
    ),
    "literal tabs and line breaks in values": _event(
        '<string key="concept:name" value="a\tb\nc\r\nd\re"/>',
        _s("time:timestamp", "2024-01-01T09:00:00", "date"),
    ),
    "nested attribute lists": _event(
        '<string key="concept:name" value="A"><string key="meta" value="m"/>'
        '<int key="n" value="1"><float key="x" value="2.5"/></int></string>',
        '<list key="items"><values><string key="concept:name" value="inner"/>'
        '<string key="org:group" value="inner"/></values></list>',
        '<container key="c"><string key="org:resource" value="inner"/></container>',
        _s("time:timestamp", "2024-01-01T09:00:00", "date"),
    ),
    "empty and missing values": _event(
        _s("concept:name", "A"),
        _s("org:resource", ""),
        _s("lifecycle:transition", ""),
        _s("start_timestamp", "2024-01-01T08:00:00", "date"),
    ),
    "repeated key, the last wins": _event(
        _s("concept:name", "first"),
        _s("concept:name", "last"),
        _s("time:timestamp", "2024-01-01T09:00:00", "date"),
    ),
    "prefixed names": (
        '<xes:event xmlns:xes="http://www.xes-standard.org/">'
        '<xes:string key="concept:name" value="A"/>'
        '<xes:date key="time:timestamp" value="2024-01-01T09:00:00"/></xes:event>'
    ),
    "empty event elements": "<event/><event></event>",
}


def _tricky_log(body: str, layout_events: int = 3) -> str:
    """A log with a header of extensions, globals and classifiers, two traces of plain
    events (one layout), and ``body`` among the events of a third trace."""
    plain = "\n".join(
        _event(
            _s("concept:name", f"P{i}"),
            _s("org:group", f"g{i % 2}"),
            _s("time:timestamp", f"2024-01-0{i + 1}T09:00:00", "date"),
        )
        for i in range(layout_events)
    )
    return (
        HEAD
        + "<!-- generated by hand -->\n<!-- OpenXES-like header - two comments -->\n"
        + '<log xes.version="1.0" xes.features="nested-attributes" '
        + 'xmlns="http://www.xes-standard.org/">\n'
        + '<extension name="Concept" prefix="concept" uri="http://x/concept.xesext"/>\n'
        + '<global scope="trace"><string key="concept:name" value="UNKNOWN"/></global>\n'
        + '<global scope="event"><string key="concept:name" value="G"/>'
        + '<date key="time:timestamp" value="1970-01-01T00:00:00"/></global>\n'
        + '<classifier name="Activity" keys="concept:name"/>\n'
        + '<string key="concept:name" value="the log"/>\n'
        + f"<trace>\n  {_s('concept:name', 't1')}\n{plain}\n</trace>\n"
        + f"<trace>{_s('concept:name', 't2')}\n{body}\n{plain}\n"
        + f"{_s('org:group', 'after the events')}</trace>\n"
        + f"<trace>\n{_s('concept:name', 't3')}{plain}</trace>\n"
        + "</log>\n<!-- the end -->\n"
    )


@pytest.mark.parametrize("name", sorted(TRICKY))
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_tricky_logs_read_as_expat_reads_them(tmp_path: Path, name: str, newline: str) -> None:
    log = _write(tmp_path, _tricky_log(TRICKY[name]), newline=newline)
    fast, slow = _both(log)
    assert fast is not None, "the fast reader left it to expat"
    assert fast == slow
    if isinstance(slow, tuple):
        assert read_rows(str(log), Columns(), "xes")[0] == slow[0]


def test_escaped_values_are_unescaped_and_normalized(tmp_path: Path) -> None:
    fast, _ = _both(_write(tmp_path, _tricky_log(TRICKY["escaped values"]), newline="\r\n"))
    assert isinstance(fast, tuple)
    row = next(r for r in fast[0] if r.case == "t2")
    assert row.activity == "A & B <1> \"q\" 's'"
    assert row.resource == "J\u00e9r\u00f4me \U0001f600 \n\r\tx"
    fast, _ = _both(_write(tmp_path, _tricky_log(TRICKY["literal tabs and line breaks in values"])))
    assert isinstance(fast, tuple)
    assert next(r for r in fast[0] if r.case == "t2").activity == "a b c d e"


NEEDED = ("concept:name", "time:timestamp")


def test_events_in_many_layouts_and_pretty_printed(tmp_path: Path) -> None:
    rng = random.Random(14)
    keys = [
        ("string", "concept:name"),
        ("string", "org:resource"),
        ("string", "org:group"),
        ("string", "lifecycle:transition"),
        ("date", "time:timestamp"),
        ("date", "start_timestamp"),
    ]
    traces = []
    for t in range(40):
        events = []
        for e in range(rng.randint(1, 6)):
            chosen = [k for k in keys if k[1] in NEEDED or rng.random() < 0.6]
            if rng.random() < 0.2:
                rng.shuffle(chosen)
            values = {
                "concept:name": f"A{e}",
                "time:timestamp": f"2024-01-01T0{e}:00:00",
                "start_timestamp": f"2024-01-01T0{e}:00:00",
                "lifecycle:transition": rng.choice(["start", "complete"]),
            }
            sep = "\n\t\t" if t % 3 == 0 else ""
            events.append(
                "<event>"
                + "".join(
                    f'{sep}<{tag} key="{key}" value="{values.get(key, f"v{t}")}"/>'
                    for tag, key in chosen
                )
                + f"{sep}</event>"
            )
        traces.append(f"<trace>{_s('concept:name', f'c{t}')}\n" + "\n".join(events) + "</trace>")
    log = _write(tmp_path, HEAD + "<log>\n" + "\n".join(traces) + "\n</log>")
    fast, slow = _both(log)
    assert isinstance(fast, tuple) and len(fast[0]) > 80
    assert fast == slow
    for unit in ("org:resource", "lifecycle:transition"):
        assert _both(log, Columns(unit=unit))[0] == _both(log, Columns(unit=unit))[1]


def test_problems_are_worded_as_expat_words_them(tmp_path: Path) -> None:
    body = "\n".join(
        [
            _event(_s("time:timestamp", "2024-01-01T09:00:00", "date")),
            _event(_s("concept:name", "A")),
            _event(_s("concept:name", ""), _s("time:timestamp", "x", "date")),
        ]
    )
    case = _s("concept:name", "c")
    log = _write(
        tmp_path, HEAD + f"<log><trace>{case}{body}</trace><trace>{case}{body}</trace></log>"
    )
    fast, slow = _both(log)
    assert (
        fast
        == slow
        == [
            f"{log}:{line}: event without '{key}'"
            for line, key in [
                (2, "concept:name"),
                (3, "time:timestamp"),
                (4, "concept:name"),
                (4, "concept:name"),
                (5, "time:timestamp"),
                (6, "concept:name"),
            ]
        ]
    )


#: Documents the fast reader leaves to expat: expat reads them or locates their problem.
LEFT_TO_EXPAT = {
    "doctype": '<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]><log/>',
    "cdata": "<log><trace><![CDATA[x]]></trace></log>",
    "comment in the body": "<log><trace><!-- c --></trace></log>",
    "processing instruction": "<log><?pi x?></log>",
    "other entity": '<log><trace><string key="concept:name" value="&nbsp;"/></trace></log>',
    "text": "<log>text</log>",
    "mismatched": "<log><trace></event></log>",
    "repeated attribute": '<log><string key="a" key="b" value="c"/></log>',
    "reference to a forbidden character": '<log><string key="a" value="&#0;"/></log>',
    "stray ampersand": '<log><string key="a" value="a & b"/></log>',
    "lower than in a value": '<log><string key="a" value="a < b"/></log>',
    "no space between attributes": '<log><string key="a"value="b"/></log>',
    "control character": '<log><string key="a" value="\x01"/></log>',
    "unclosed": "<log><trace><event>",
    "junk after the root": "<log/>x",
    "two roots": "<log/><log/>",
    "empty": "",
    "declaration not first": ' <?xml version="1.0"?><log/>',
    "another encoding": '<?xml version="1.0" encoding="ISO-8859-1"?><log/>',
    "non-ASCII name": "<l\u00f6g/>",
}


@pytest.mark.parametrize("name", sorted(LEFT_TO_EXPAT))
def test_what_the_fast_reader_does_not_read_goes_to_expat(tmp_path: Path, name: str) -> None:
    text = LEFT_TO_EXPAT[name]
    if not text.startswith(("<?xml", " ")) and text:
        text = '<?xml version="1.0"?>' + text
    log = _write(tmp_path, text)
    fast, slow = _both(log)
    assert fast is None
    assert slow is not None


def test_bytes_that_are_not_utf8_go_to_expat(tmp_path: Path) -> None:
    log = tmp_path / "log.xes"
    log.write_bytes(b'<log><string key="a" value="\xff"/></log>')
    assert _both(log)[0] is None
    with pytest.raises(LogInvalid, match=r"log.xes:1:\d+: not well-formed"):
        read_rows(str(log), Columns(), "xes")


@pytest.mark.parametrize("chunk", [1, 7, 64, 1000])
def test_any_chunk_boundary_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    body = "\n".join(TRICKY.values())
    log = _write(tmp_path, "\ufeff" + _tricky_log(body, 30), "log.xes.gz", newline="\r\n")
    _, slow = _both(log)
    monkeypatch.setattr(xes, "CHUNK", chunk)
    monkeypatch.setattr(xes, "LOOKAHEAD", 400)  # longer than any tag of the log
    fast, _ = _both(log)
    assert fast is not None
    assert fast == slow


def test_fallback_is_located_exit_2(tmp_path: Path) -> None:
    log = _write(tmp_path, _tricky_log("<event><!-- c --></event>").replace("</log>", "</lg>"))
    with pytest.raises(LogInvalid, match=r"log.xes:\d+:\d+: not well-formed XML: mismatched tag"):
        read_rows(str(log), Columns(), "xes")


def test_values_as_text_from_the_fast_reader_and_from_expat(tmp_path: Path) -> None:
    trace = (
        f"<trace>{_s('concept:name', 'c1')}{_s('org:group', 'Front')}\n"
        + _event(_s("concept:name", "A"), _s("time:timestamp", "2024-01-01T09:00:00", "date"))
        + _event(
            _s("concept:name", "B"),
            _s("org:resource", "r1"),
            _s("start_timestamp", "2024-01-01T09:30:00", "date"),
        )
        + "</trace>\n"
    )
    # case, activity, unit, resource, start, end, lifecycle; nothing for a missing value
    expected = (
        "c1\x01A\x01Front\x01\x01\x012024-01-01T09:00:00\x01\n"
        "c1\x01B\x01Front\x01r1\x012024-01-01T09:30:00\x01\x01",
        "org:group",
    )
    fast = _write(tmp_path, HEAD + f"<log>{trace}</log>", "fast.xes")
    assert xes.read_fast_text(str(fast), Columns()) is not None
    assert read_xes_text(str(fast), Columns()) == expected
    # a comment among the events: expat reads it, its rows are turned into text
    commented = trace.replace("<event>", "<!-- -->\n<event>")
    slow = _write(tmp_path, HEAD + f"<log>{commented}</log>")
    assert xes.read_fast_text(str(slow), Columns()) is None
    assert read_xes_text(str(slow), Columns()) == expected
    # an empty value: DuckDB would read no value, the text is refused (both readers)
    empty = trace.replace('value="r1"', 'value=""')
    for text in (empty, empty.replace("<event>", "<!-- -->\n<event>")):
        assert read_xes_text(str(_write(tmp_path, HEAD + f"<log>{text}</log>")), Columns()) == (
            None,
            "org:group",
        )
    with pytest.raises(LogInvalid, match="no events"):
        read_xes_text(str(_write(tmp_path, HEAD + "<log><trace/></log>", "none.xes")), Columns())
    with pytest.raises(LogInvalid, match="no event has the attribute 'x'"):
        read_xes_text(str(fast), Columns(unit="x"))


def _run_log(variation: str, traces: int = 300) -> str:
    """A log of ``traces`` traces in one layout, with ``variation`` in trace 150."""
    out = [HEAD, '<log xes.version="1.0">\n']
    for t in range(traces):
        head = _s("concept:name", f"case-{t}")
        events = [
            _event(
                _s("concept:name", f"A{e}"),
                _s("org:group", f"U{(t + e) % 3}"),
                _s("org:resource", f"r{e}"),
                _s("start_timestamp", f"2024-01-01T0{e}:00:00", "date"),
                _s("time:timestamp", f"2024-01-01T0{e}:30:00", "date"),
            )
            for e in range(1 + t % 4)
        ]
        if t == 150 and variation != "none":
            first = events[0]
            head, events = {
                "new key": (head, [first.replace("</event>", _s("cost", "5", "int") + "</event>")]),
                "missing key": (head, [first.replace(_s("org:resource", "r0"), "")]),
                "trace unit": (
                    head + _s("org:group", "T"),
                    [first.replace(_s("org:group", "U0"), "")],
                ),
                "event case": (
                    head,
                    [first.replace("<event>", "<event>" + _s("case:concept:name", "x"))],
                ),
                "no case": ("", events),
                "no activity": (head, [first.replace(_s("concept:name", "A0"), "")]),
                "no time": (
                    head,
                    [
                        first.replace('<date key="time:timestamp"', '<date key="t"').replace(
                            '"start_timestamp"', '"s"'
                        )
                    ],
                ),
                "empty trace": (head, []),
                "trace attributes": (
                    head
                    + _s("REG_DATE", "2024-01-01T00:00:00", "date")
                    + '\n  <int key="AMOUNT" value="5" />',
                    events,
                ),
                "comment": (head + "<!-- a comment -->", events),
                "whitespace": (head, [first.replace("><", ">\n\t <").replace("/>", " />")]),
                "empty value": (head, [first.replace('value="r0"', 'value=""')]),
                "escaped value": (head, [first.replace('value="r0"', 'value="r&amp;0"')]),
            }[variation]
        out.append(f"<trace>{head}\n" + "\n".join(events) + "\n</trace>\n")
    out.append("</log>\n")
    return "".join(out)


RUN_VARIATIONS = [
    "none",
    "new key",
    "missing key",
    "trace unit",
    "event case",
    "no case",
    "no activity",
    "no time",
    "empty trace",
    "trace attributes",
    "comment",
    "whitespace",
    "empty value",
    "escaped value",
]


@pytest.mark.parametrize("small", [True, False])
@pytest.mark.parametrize("variation", RUN_VARIATIONS)
def test_runs_of_traces_read_as_expat_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variation: str, small: bool
) -> None:
    """Traces read in runs (many traces by one split) give expat's rows; whatever a run
    cannot read in trace 150 is read trace by trace, as before (with a small buffer, the
    traces after it are read in runs again)."""
    log = _write(tmp_path, _run_log(variation))
    if small:
        monkeypatch.setattr(xes, "CHUNK", 997)
        monkeypatch.setattr(xes, "LOOKAHEAD", 400)
    runs: list[int | None] = []
    run = xes._Reader._run

    def counted(self: xes._Reader, segment: str) -> int | None:
        runs.append(run(self, segment))
        return runs[-1]

    monkeypatch.setattr(xes._Reader, "_run", counted)
    fast, slow = _both(log)
    if variation == "comment":
        assert fast is None  # expat reads the file
    else:
        assert fast == slow
        read = [r for r in runs if r]
        assert read, "no run of traces was read in bulk"
        if small:
            assert len(read) > 10
    if variation in ("none", "missing key", "empty trace", "trace attributes"):
        assert all(runs)
    for unit in ("org:resource", "U"):
        fast, slow = _both(log, Columns(unit=unit))
        assert fast == (None if variation == "comment" else slow)
