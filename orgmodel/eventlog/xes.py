"""A strict fast reader of XES: regular expressions over the text instead of expat callbacks.

It understands a subset of XML 1.0 (UTF-8; an XML declaration; comments before and after
the root element; elements with ASCII names; attribute values in either quotes with the five
predefined entities and character references; whitespace between elements) and checks the
well-formedness of all it reads: names nest, no attribute repeats, every character and
reference is one XML allows. On anything else (DOCTYPE, other entities, CDATA, text, comments
or processing instructions in the body, other encodings, bytes that are not UTF-8, a
malformed document) :func:`read_fast` returns None and the caller reads the file with expat,
which reads it or locates the problem. What it reads it hands to the same
:class:`~orgmodel.eventlog.reader.XesHandler` as expat does, so both give the same rows.

The speed comes from runs of events: a trace's events written in one *layout* (the same
value elements, ``<string key="K" value="V"/>``, in one order, any of them absent) are
matched by one regular expression per trace, whose ``split`` gives every value as a column.
"""

from __future__ import annotations

import codecs
import gzip
import re
from collections.abc import Callable, Iterable
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import is_

from orgmodel.eventlog.reader import SEPARATOR, Columns, LogInvalid, Row, XesHandler, values_text

__all__ = ["read_fast", "read_fast_text"]

#: Bytes read from the file at a time.
CHUNK = 4 << 20
#: Characters a tag or the comments around the root element may take (else expat reads).
LOOKAHEAD = 1 << 20
#: Characters of a trace's events read in bulk at most (a longer trace is read tag by tag).
MAX_SEGMENT = 256 << 20

_S = "[ \t\n]"  # XML whitespace once line ends are normalized (no \r is left)
_NAME = "[A-Za-z_:][A-Za-z0-9._:-]*"
_BAD = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"  # characters XML 1.0 forbids
_VALUE = f"\"[^\"<{_BAD}]*\"|'[^'<{_BAD}]*'"
_ATTRIBUTES = f"(?:{_S}+{_NAME}{_S}*={_S}*(?:{_VALUE}))*"
#: One tag: leading whitespace, then a start tag (name, attributes, "/" when empty) or an
#: end tag (name).
_TAG = re.compile(f"({_S}*)<(?:({_NAME})({_ATTRIBUTES}){_S}*(/?)>|/({_NAME}){_S}*>)")
_ATTRIBUTE = re.compile(f"{_S}+({_NAME}){_S}*={_S}*(?:\"([^\"]*)\"|'([^']*)')")
_REFERENCE = re.compile("&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_DECLARATION = re.compile(
    f"<\\?xml{_S}+version{_S}*={_S}*(?:\"1\\.0\"|'1\\.0')"
    f"(?:{_S}+encoding{_S}*={_S}*(?:\"(?i:utf-8)\"|'(?i:utf-8)'))?"
    f"(?:{_S}+standalone{_S}*={_S}*(?:\"(?:yes|no)\"|'(?:yes|no)'))?{_S}*\\?>"
)
_MISC = re.compile(f"(?:{_S}|<!--(?:[^-{_BAD}]|-[^-{_BAD}])*-->)*")
_WHITESPACE = " \t\n"

#: A value in a layout: nothing to unescape or normalize.
_PLAIN = f'[^"<&\t\n{_BAD}]*'
_VALUE_TAGS = "string|date|int|float|boolean|id"
_PLAIN_EVENT = re.compile(
    f'<event>((?:{_S}*<(?:{_VALUE_TAGS}) key="{_PLAIN}" value="{_PLAIN}"{_S}*/>)*){_S}*</event>'
)
_PLAIN_KEY = re.compile(f'<({_VALUE_TAGS}) key="({_PLAIN})"')
_PLAIN_PAIR = re.compile(f'<(?:{_VALUE_TAGS}) key="({_PLAIN})" value="({_PLAIN})"')
#: Between two traces of a run: the end of one, the start of the next and its attributes.
_NEXT_TRACE = (
    f'</trace>{_S}*<trace>((?:{_S}*<(?:{_VALUE_TAGS}) key="{_PLAIN}" value="{_PLAIN}"{_S}*/>)*)'
)
#: Characters of traces read by one split at least and at most (see ``_Reader.events``).
MIN_RUN = 1 << 13
MAX_RUN = 1 << 24
#: Segments split with optional values only, after one that did not fit the layout's
#: pattern with every value (see ``_Reader._split``).
EXACT_SKIPS = 8
#: How many times a log may change its layout, and how long a layout may grow.
MAX_LAYOUTS = 32
MAX_LAYOUT_KEYS = 32


class Unknown(Exception):
    """Something the fast reader does not read: expat reads the file instead."""


def read_fast(path: str, columns: Columns) -> tuple[list[Row], bool] | None:
    """The rows of the XES file at ``path`` and whether an event had a unit, as expat's
    reading gives them; None when the file holds something this reader leaves to expat.
    Raises :class:`~orgmodel.eventlog.reader.LogInvalid` as that reading does."""
    reader = _read(path, columns, False)
    return None if reader is None else (reader.handler.rows, reader.handler.units_seen)


def read_fast_text(path: str, columns: Columns) -> tuple[str | None, bool, bool] | None:
    """As :func:`read_fast`, the events as the lines of
    :func:`~orgmodel.eventlog.reader.values_text` (None when a value is one DuckDB would read
    otherwise), whether there is an event, and whether an event had a unit; no :class:`Row`
    is built for the events read in bulk."""
    reader = _read(path, columns, True)
    if reader is None:
        return None
    reader.drain()
    text = None if reader.refused else "\n".join(reader.pieces or ())
    return text, reader.written > 0, reader.handler.units_seen


def _read(path: str, columns: Columns, text: bool) -> _Reader | None:
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            reader = _Reader(path, columns, handle.read, text)
            reader.read()
    except Unknown:
        return None
    if reader.handler.problems:
        raise LogInvalid(reader.handler.problems)
    return reader


class _Position:
    """Where the reader stands, as the handler asks expat (``CurrentLineNumber``)."""

    CurrentLineNumber = 1


class _Reader:
    """The text of one file, read chunk by chunk; ``pos`` is where reading stands."""

    def __init__(
        self,
        path: str,
        columns: Columns,
        read: Callable[[int], bytes],
        text: bool = False,
    ) -> None:
        self.read_bytes = read
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.held = ""  # a final "\r" of a chunk, whose meaning depends on the next one
        #: The line of the character at ``mark``.
        self.mark, self.mark_line = 0, 1
        self.position = _Position()
        self.handler = XesHandler(path, columns, self.position)
        self.columns = columns
        self.layout: tuple[tuple[str, str], ...] = ()
        self.layouts = 0
        #: The layout's event as a pattern: every value present, and each optional (the
        #: first is about twice as fast); how many segments the first still waits.
        self.patterns: list[re.Pattern[str]] = []
        self.exact_skips = 0
        #: The same, or the start of the next trace (:data:`_NEXT_TRACE`): a run of traces.
        self.run_patterns: list[re.Pattern[str]] = []
        #: Up to where in the buffer traces are read one at a time (a run failed there).
        self.single_until = 0
        #: How many characters a run may take: doubled after a whole run.
        self.run_length = MIN_RUN
        #: Runs missed in a row (the open trace did not fit), and traces left to read alone.
        self.misses = self.skip = 0
        #: The events as pieces of text (:func:`~orgmodel.eventlog.reader.values_text`;
        #: None: as rows, ``handler.rows``), how many, and whether a value refused the text.
        self.pieces: list[str] | None = [] if text else None
        self.written = 0
        self.refused = False

    def drain(self) -> None:
        """Move the rows the handler made (of the events read tag by tag) to the text."""
        rows = self.handler.rows
        if self.pieces is not None and rows:
            self._add(len(rows), lambda: values_text(list(zip(*rows, strict=True))[1:]))
            rows.clear()

    def _add(self, events: int, text: Callable[[], str | None]) -> None:
        """Count ``events`` events and append their text, ``text()``, after the text before;
        None refuses the whole text, after which none is made."""
        self.written += events
        if self.refused or not events:
            return
        assert self.pieces is not None
        piece = text()
        if piece is None:
            self.refused = True
            self.pieces.clear()
        else:
            self.pieces.append(piece)

    def more(self) -> bool:
        """Append the next chunk to the buffer (the read part dropped); False at the end."""
        if self.eof:
            return False
        data = self.read_bytes(CHUNK)
        try:
            text = self.held + self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise Unknown from None
        self.eof = not data
        self.held = ""
        if text.endswith("\r") and not self.eof:
            text, self.held = text[:-1], "\r"
        if "\r" in text:  # XML's end-of-line handling
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        keep = min(self.pos, self.mark)
        self.mark_line += self.buf.count("\n", keep, self.mark)
        self.buf = self.buf[keep:] + text
        self.pos -= keep
        self.single_until -= keep
        self.mark = 0
        return True

    def line(self, at: int) -> int:
        """The line of the character at ``at`` (never before the last one asked)."""
        self.mark_line += self.buf.count("\n", self.mark, at)
        self.mark = at
        return self.mark_line

    def read(self) -> None:
        """Read the whole document into the handler; raises :class:`Unknown`."""
        while len(self.buf) < LOOKAHEAD and self.more():
            pass
        if self.buf.startswith("\ufeff"):
            self.pos = 1
        declaration = _DECLARATION.match(self.buf, self.pos)
        if declaration:
            self.pos = declaration.end()
        self.misc()
        stack: list[str] = []
        tried = False  # whether the events of the open trace were tried in bulk
        while True:
            tag = _TAG.match(self.buf, self.pos)
            if tag is None:
                # a tag cut at the end of the buffer, or something only expat reads
                if len(self.buf) - self.pos < LOOKAHEAD and self.more():
                    continue
                raise Unknown
            name = tag.group(2)
            if name is not None:
                self.position.CurrentLineNumber = self.line(tag.end(1))
                self.handler.start(name, _attributes(tag.group(3)))
                self.pos = tag.end()
                if tag.group(4):
                    self.handler.end(name)
                    if not stack:
                        break
                else:
                    stack.append(name)
                    tried = tried and name != "trace"
            else:
                if not stack or stack.pop() != tag.group(5):
                    raise Unknown
                self.handler.end(tag.group(5))
                self.pos = tag.end()
                if not stack:
                    break
            if not tried and stack[-1] == "trace":
                tried = self.events()
        while True:
            self.misc()
            if self.pos < len(self.buf):
                raise Unknown
            if not self.more():
                return

    def misc(self) -> None:
        """Skip whitespace and comments (outside the root element)."""
        while len(self.buf) - self.pos < LOOKAHEAD and self.more():
            pass
        self.pos = _MISC.match(self.buf, self.pos).end()  # type: ignore[union-attr]

    def events(self) -> bool:
        """Read the events of the open trace in bulk, up to its end tag, if they are in one
        layout; False when no event comes next (then the question is asked again)."""
        while (start := self.buf.find("<", self.pos)) < 0 or len(self.buf) - start < 8:
            if len(self.buf) - self.pos >= LOOKAHEAD or not self.more():
                return True
        if self.buf[self.pos : start].strip(_WHITESPACE) or not self.buf.startswith(
            "<event>", start
        ):
            return False
        while (close := self.buf.find("</trace>", start)) < 0:
            if len(self.buf) - self.pos >= MAX_SEGMENT or not self.more():
                return True
            start = self.buf.find("<", self.pos)
        self.skip -= 1
        if self.pieces is not None and self.run_patterns and self.single_until <= start:
            # at least the next few traces, if they are about as long as this one
            last = self.buf.rfind(
                "</trace>", close, start + max(self.run_length, 4 * (close - start))
            )
            if last > close and self.skip < 0:
                read = self._run(self.buf[start:last])
                if read:
                    self.pos = start + read
                    self.misses = 0
                    if read == last - start:
                        self.run_length = min(2 * self.run_length, MAX_RUN)
                    else:
                        # cut before a trace the run did not take: that one goes alone, and
                        # the next run is about as long as this one
                        self.run_length = max(read, MIN_RUN)
                        self.skip = 1
                    return True
                # the open trace goes alone, and the next 1, 2, 4 ... traces after each
                # miss in a row; or a trace of the run has a problem: all of them go one by
                # one, which words it
                self.skip = 1 << min(self.misses, 16)
                self.misses += 1
                if read is None:
                    self.single_until = last
        segment = self.buf[start:close]
        for _ in range(2):
            parts, fits = self._split(segment, self.patterns, len(self.layout) + 1)
            if fits:
                self._rows(segment, parts, start)
                self.pos = close
                return True
            if not self._learn(segment):
                return True
        return True

    def _split(
        self, segment: str, patterns: list[re.Pattern[str]], width: int
    ) -> tuple[list[str | None], bool]:
        """The parts of ``segment`` split by ``patterns`` (``width`` parts per event, the
        layout's with every value first, then with each optional), and whether they leave
        only whitespace between events. After a segment that only the second fits, the
        first waits ``EXACT_SKIPS`` segments."""
        if not patterns:
            return [], False  # no layout learned yet
        tried = self.exact_skips <= 0
        if tried:
            parts: list[str | None] = patterns[0].split(segment)
            if not "".join(parts[::width]).strip(_WHITESPACE):  # type: ignore[arg-type]
                return parts, True
        self.exact_skips -= 1
        parts = patterns[1].split(segment)
        fits = not "".join(parts[::width]).strip(_WHITESPACE)  # type: ignore[arg-type]
        if fits and tried:
            self.exact_skips = EXACT_SKIPS  # events without some value: expect more
        return parts, fits

    def _learn(self, segment: str) -> bool:
        """Merge the layout of the first event of ``segment`` that does not fit into the
        layout; False when it cannot (then the trace is read tag by tag)."""
        if self.layouts >= MAX_LAYOUTS:
            return False
        if not self.patterns:
            found = _PLAIN_EVENT.match(segment)
        else:
            gaps = self.patterns[1].split(segment)[:: len(self.layout) + 1]
            gap = next(g for g in gaps if g.strip(_WHITESPACE))
            found = _PLAIN_EVENT.match(gap.lstrip(_WHITESPACE))
        if found is None:
            return False
        merged = _merge(self.layout, tuple(_PLAIN_KEY.findall(found.group(1))))
        if merged is None or merged == self.layout or len(merged) > MAX_LAYOUT_KEYS:
            return False
        self.layouts += 1
        self.layout = merged
        events = [
            "<event>"
            + "".join(
                f'(?:{_S}*<{tag} key="{re.escape(key)}" value="({_PLAIN})"{_S}*/>){optional}'
                for tag, key in merged
            )
            + f"{_S}*</event>"
            for optional in ("", "?")
        ]
        self.patterns = [re.compile(event) for event in events]
        self.run_patterns = [re.compile(f"{event}|{_NEXT_TRACE}") for event in events]
        return True

    def _lines(self, segment: str, start: int) -> list[int]:
        """The line of each event of ``segment``, which begins at ``start`` in the buffer."""
        pieces = segment.split("<event>")
        first = self.line(start)
        return list(accumulate(map(str.count, pieces[1:-1], repeat("\n")), initial=first))

    def _rows(self, segment: str, parts: list[str | None], start: int) -> None:
        """The rows of one trace's events (the segment at ``start`` in the buffer), from the
        columns of the split ``parts``."""
        width = len(self.layout) + 1
        values = {key: parts[i + 1 :: width] for i, (_, key) in enumerate(self.layout)}
        count = (len(parts) - 1) // width  # each event holds one "<event>" and no other "<"
        handler, columns = self.handler, self.columns
        trace = handler.trace
        case = trace.get("concept:name") or trace.get(columns.case)
        cases = values.get(columns.case)
        if cases is None:
            cases = [case] * count
        elif None in cases or "" in cases:
            cases = [c or case for c in cases]
        fields = self._fields(values, cases, trace.get(columns.unit or "org:group"))
        if fields is None:
            # the handler words the problems, event by event
            handler.pending.extend(
                (line, {k: v[n] for k, v in values.items() if v[n] is not None})  # type: ignore[misc]
                for n, line in enumerate(self._lines(segment, start))
            )
        elif self.pieces is not None:
            self._extend(fields)
        else:
            lines = self._lines(segment, start)
            handler.rows.extend(map(_row, zip(lines, *fields, strict=True)))

    def _run(self, segment: str) -> int | None:
        """Read into the text the events of the open trace and of the whole traces after
        it in ``segment`` (which ends before a trace's end tag), as far as all are in the
        layout and the traces hold only value attributes. The characters read (up to a
        trace's end tag); 0 when the open trace cannot be read so; None, with nothing read,
        when an event or a trace of the run has a problem."""
        columns, trace = self.columns, self.handler.trace
        keys = [key for _, key in self.layout]
        if columns.case in keys or (columns.unit or "org:group") in trace:
            return 0
        width = len(keys) + 2
        exact, optional = self.run_patterns
        tried = self.exact_skips <= 0
        for pattern in (exact, optional) if tried else (optional,):
            parts: list[str | None] = pattern.split(segment)
            gaps = parts[::width]
            if not "".join(gaps).strip(_WHITESPACE):  # type: ignore[arg-type]
                if pattern is optional:
                    self.exact_skips = EXACT_SKIPS if tried else self.exact_skips - 1
                return len(segment) if self._take(parts, width, pattern is exact) else None
            # take the whole traces before the first thing that the pattern does not take
            bad = next(n for n, gap in enumerate(gaps) if gap.strip(_WHITESPACE))  # type: ignore[union-attr]
            heads = parts[width - 1 : bad * width : width]
            traces = len(heads) - heads.count(None)  # trace ends before it
            if traces:
                last = max(n for n, head in enumerate(heads) if head is not None)
                if not self._take(parts[: last * width + 1], width, pattern is exact):
                    return None
                cut = -1
                for _ in range(traces):
                    cut = segment.find("</trace>", cut + 1)
                return cut
        return 0

    def _take(self, parts: list[str | None], width: int, exact: bool) -> bool:
        """Read the events of a run split into ``parts`` (``width`` per event or next
        trace; by the layout's pattern with every value if ``exact``) into the text; False,
        with nothing read, when one has a problem."""
        columns, trace = self.columns, self.handler.trace
        unit_key = columns.unit or "org:group"
        heads = parts[width - 1 :: width]  # the next trace's attributes; None for an event
        cases = [trace.get("concept:name") or trace.get(columns.case)]
        starts = [i for i, head in enumerate(heads) if head is not None]
        for at in starts:
            attributes = dict(_PLAIN_PAIR.findall(heads[at]))  # type: ignore[arg-type]
            if unit_key in attributes:
                return False
            cases.append(attributes.get("concept:name") or attributes.get(columns.case))
        if None in cases or "" in cases:
            return False  # a trace without a case id: read one by one, the handler words it
        events = list(map(is_, heads, repeat(None))) if starts else None
        if exact:
            return self._take_exact(parts, width, cases, starts, events)
        counts = [b - a - 1 for a, b in zip([-1, *starts], [*starts, len(heads)], strict=True)]
        values = {
            key: parts[i + 1 :: width]
            if events is None
            else list(compress(parts[i + 1 :: width], events))
            for i, (_, key) in enumerate(self.layout)
        }
        fields = self._fields(values, list(chain.from_iterable(map(repeat, cases, counts))), None)
        if fields is None:
            return False
        self._extend(fields)
        return True

    def _take_exact(
        self,
        parts: list[str | None],
        width: int,
        cases: list[str | None],
        starts: list[int],
        events: list[bool] | None,
    ) -> bool:
        """:meth:`_take` of a run in which every event has every value of the layout: the
        lines of text straight from the parts, the next traces' rows left out."""
        columns, handler = self.columns, self.handler
        at = {key: i + 1 for i, (_, key) in enumerate(self.layout)}
        activity = at.get(columns.activity)
        if activity is None or (columns.start not in at and columns.end not in at):
            return False
        if "" in parts[activity::width]:
            return False
        count = (len(parts) - 1) // width
        fields: list[Iterable[str | None]] = []
        names = (columns.resource, columns.start, columns.end, columns.lifecycle)
        for n, name in enumerate((columns.unit or "org:group", *names)):
            if name not in at:
                fields.append(repeat(""))
                continue
            field = parts[at[name] :: width]
            if n == 0:
                handler.units_seen = handler.units_seen or any(field)  # "" is no unit
            elif "" in field:
                self.drain()
                self._add(count - len(starts), lambda: None)  # DuckDB would read no value
                return True
            fields.append(field)
        rows_of = [b - a for a, b in zip([0, *starts], [*starts, count], strict=True)]
        case_ids = chain.from_iterable(map(repeat, cases, rows_of))
        lines: Iterable[tuple[str, ...]] = zip(
            case_ids, parts[activity::width], *fields, strict=False
        )
        if events is not None:
            lines = compress(lines, events)
        self.drain()
        self._add(count - len(starts), lambda: "\n".join(map(SEPARATOR.join, lines)))
        return True

    def _fields(
        self, values: dict[str, list[str | None]], cases: list[str | None], trace_unit: str | None
    ) -> tuple[list[str | None], ...] | None:
        """The fields of :class:`Row` after ``line`` of events read in bulk (``values`` by
        key, ``cases`` the case of each); None when an event has a problem."""
        columns, handler = self.columns, self.handler
        none: list[str | None] = [None] * len(cases)
        activities = values.get(columns.activity, none)
        starts, ends = values.get(columns.start, none), values.get(columns.end, none)
        if (
            None in cases
            or "" in cases
            or None in activities
            or "" in activities
            or (
                None in starts
                and None in ends
                and any(s is None and e is None for s, e in zip(starts, ends, strict=True))
            )
        ):
            return None
        units = values.get(columns.unit or "org:group")
        if units is None:
            units = [trace_unit] * len(cases)
        elif "" in units or (trace_unit is not None and None in units):
            units = [u or trace_unit for u in units]
        if not handler.units_seen:
            handler.units_seen = any(u is not None for u in units)
        return (
            cases,
            activities,
            units,
            values.get(columns.resource, none),
            starts,
            ends,
            values.get(columns.lifecycle, none),
        )

    def _extend(self, fields: tuple[list[str | None], ...]) -> None:
        """Append the fields of events read in bulk to the text (after the rows before)."""
        self.drain()
        self._add(len(fields[0]), lambda: values_text(fields))


#: A :class:`Row` of a tuple of its fields (``Row(*fields)`` runs Python code per row).
_row = partial(tuple.__new__, Row)


def _attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag, their values unescaped and normalized as XML does."""
    out: dict[str, str] = {}
    for found in _ATTRIBUTE.finditer(text):
        name = found.group(1)
        if name in out:
            raise Unknown  # a repeated attribute: expat says so
        value = found.group(2) if found.group(2) is not None else found.group(3)
        if "\t" in value or "\n" in value:
            value = value.replace("\t", " ").replace("\n", " ")
        out[name] = _unescape(value) if "&" in value else value
    return out


def _unescape(value: str) -> str:
    """``value`` with its references replaced; :class:`Unknown` for any other ``&``."""
    parts = _REFERENCE.split(value)
    out = []
    for n in range(0, len(parts), 4):
        if "&" in parts[n]:
            raise Unknown
        out.append(parts[n])
        if n + 1 < len(parts):
            entity, decimal, hexadecimal = parts[n + 1 : n + 4]
            if entity is not None:
                out.append(_ENTITIES[entity])
                continue
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if not _allowed(code):
                raise Unknown
            out.append(chr(code))
    return "".join(out)


def _allowed(code: int) -> bool:
    """Whether XML 1.0 allows the character ``code`` (the production Char)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _merge(
    layout: tuple[tuple[str, str], ...], keys: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...] | None:
    """The shortest layout in which both ``layout`` and ``keys`` fit in order; None when a
    key would repeat (an event with a key twice, or keys in another order, or another tag)."""
    if len({k for _, k in keys}) != len(keys):
        return None
    n, m = len(layout), len(keys)
    common = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            common[i][j] = (
                common[i + 1][j + 1] + 1
                if layout[i] == keys[j]
                else max(common[i + 1][j], common[i][j + 1])
            )
    merged: list[tuple[str, str]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and layout[i] == keys[j]:
            merged.append(layout[i])
            i, j = i + 1, j + 1
        elif j >= m or (i < n and common[i + 1][j] >= common[i][j + 1]):
            merged.append(layout[i])
            i += 1
        else:
            merged.append(keys[j])
            j += 1
    if len({k for _, k in merged}) != len(merged):
        return None
    return tuple(merged)
