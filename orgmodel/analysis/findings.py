"""Findings: what an analyzer has to say about a document, as data.

A :class:`Rule` has a stable code (never reused), a name, a default severity and its
documentation (what it finds, why it matters, how to fix it, an example). A :class:`Finding`
is one occurrence: the rule's code, the effective severity, a message, the JSON path of the
place in the document and a fingerprint built from ids, not line numbers, so that the same
finding matches across two versions of a document.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, overload

from pydantic import BeforeValidator, GetCoreSchemaHandler, PlainSerializer, WithJsonSchema
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic_core import CoreSchema, core_schema

from orgmodel.diagnostics import Location, Places
from orgmodel.jsonpos import JsonPath, format_path, parse_path
from orgmodel.model import RuleSetting, Severity

__all__ = ["Batch", "Finding", "Findings", "Item", "Rule", "effective_severity"]


@dataclass(frozen=True)
class Rule:
    """A kind of finding, documented in parts: what it finds, why it matters, how to fix it
    and an example document that triggers it (the rules reference and SARIF help show them).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    """One sentence: the finding in short."""
    finds: str = ""
    """What it finds, exactly (Markdown; links into docs/concepts.md where a concept is
    used)."""
    why: str = ""
    """Why it matters (Markdown)."""
    fix: str = ""
    """How to fix it (Markdown)."""
    example: str = ""
    """JSON object: top-level members that, added to the minimal document, trigger the rule
    (the proposal, for policy rules). The failing case marked `example` in the rule's case
    file under tests/rule_cases is the same document."""
    example_baseline: str = ""
    """Policy rules: the baseline of the example, as such members (JSON), if it needs one."""
    example_config: str = ""
    """Policy rules: the config of the example (TOML), if it needs one."""

    @property
    def doc(self) -> str:
        """What it finds, why it matters and how to fix it, as paragraphs."""
        return "\n\n".join(part for part in (self.finds, self.why, self.fix) if part)

    def sections(self) -> list[tuple[str, str]]:
        """(title, Markdown text) of the documentation parts that are set, in order."""
        parts = (
            ("What it finds", self.finds),
            ("Why it matters", self.why),
            ("How to fix", self.fix),
        )
        return [(title, text) for title, text in parts if text]


def _path_of(value: object) -> object:
    return parse_path(value) if isinstance(value, str) else value


#: A path into the document: a tuple in Python, JSONPath text in JSON.
PathField = Annotated[
    JsonPath,
    BeforeValidator(_path_of),
    PlainSerializer(format_path, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string"}),
]


# A slotted dataclass rather than a model: a large organization has 100,000s of findings,
# and building each as a model took several times longer.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One finding of one rule at one place in the document."""

    code: str
    """The rule's code, e.g. `J01`."""
    rule: str
    """The rule's name, e.g. `uncovered-silo-crossing`."""
    severity: Severity
    """error, warning or info (the rule's default or as configured)."""
    message: str
    """What was found, in one sentence."""
    path: PathField  # keys and indexes in Python, JSONPath text in JSON
    """JSONPath of the place in the document, e.g. `$.journeys[2].steps[4].unit`."""
    line: int | None = None
    """Line of that place in the source file, when known."""
    column: int | None = None
    """Column of that place in the source file, when known."""
    fingerprint: str
    """Stable identity of the finding, independent of line numbers and message wording."""

    @classmethod
    def of(
        cls, rule: Rule, severity: Severity, message: str, path: JsonPath, key: tuple[str, ...]
    ) -> Finding:
        """Make a finding; ``key`` names what it is about by ids (journey, units ...)."""
        return cls.many(rule, severity, ((message, path, key),))[0]

    @classmethod
    def many(
        cls,
        rule: Rule,
        severity: Severity,
        items: Iterable[tuple[str, JsonPath, tuple[str, ...]]],
        places: Mapping[JsonPath, tuple[int, int]] | None = None,
    ) -> list[Finding]:
        """Findings of ``rule``, one for each (message, path, key) of ``items``; with
        ``places`` (:attr:`Places.positions`), each has the line and column of its path.

        The fingerprint is the first 16 hex digits of the SHA-256 of the rule's code and the
        key's ids joined by U+001F:

        >>> rule = Rule("J02", "journey-without-owner", Severity.WARNING, "s")
        >>> found = Finding.many(rule, Severity.WARNING, [("m", ("journeys", 0), ("order",))])
        >>> [f.fingerprint for f in found], hashlib.sha256(b"J02\x1forder").hexdigest()[:16]
        (['4b5b5333f467a2f3'], '4b5b5333f467a2f3')
        """
        code = rule.code
        rule_name = rule.name
        # The analyzers make 100,000s of findings from values that are already of the right
        # types; checking those types here is much cheaper than validating every field with
        # pydantic (``cls(...)``), and sets the same fields to the same values.
        fast = type(severity) is Severity and type(code) is str and type(rule_name) is str
        prefix = f"{code}\x1f"
        new = cls.__new__
        out: list[Finding] = []
        append = out.append
        for message, path, key in items:
            # "\x1f".join((code, *key)) without building that tuple.
            text = prefix + "\x1f".join(key) if key else code
            digest = _sha256(text.encode()).digest()[:8].hex()
            if not (fast and type(message) is str and type(path) is tuple):
                finding = cls(
                    code=code,
                    rule=rule_name,
                    severity=severity,
                    message=message,
                    path=path,
                    fingerprint=digest,
                )
                where = None if places is None else places.get(finding.path)
                append(finding if where is None else finding.located(*where))
                continue
            where = None if places is None else places.get(path)
            finding = new(cls)
            _set_code(finding, code)
            _set_rule(finding, rule_name)
            _set_severity(finding, severity)
            _set_message(finding, message)
            _set_path(finding, path)
            _set_line(finding, None if where is None else where[0])
            _set_column(finding, None if where is None else where[1])
            _set_fingerprint(finding, digest)
            append(finding)
        return out

    def location(self, file: str) -> Location:
        """Where the finding is, in ``file`` (the document it was found in)."""
        return Location(file, self.path, self.line, self.column)

    @property
    def json_path(self) -> str:
        """The place as JSONPath text, e.g. `$.journeys[2].steps[4].unit`."""
        return format_path(self.path)

    def located(self, line: int, column: int) -> Finding:
        """The same finding with its line and column in the source text."""
        return dataclasses.replace(self, line=line, column=column)

    def at(self, location: Location) -> Finding:
        """The same finding with the line and column of ``location`` (itself when the
        location has none)."""
        if location.line is None or location.column is None:
            return self
        return self.located(location.line, location.column)

    def sort_key(self) -> tuple[int, str, str, str]:
        """Order of findings in every output: severity, code, then place (as JSONPath text,
        so `$.units[10]` comes before `$.units[2]`)."""
        return (_SEVERITY_RANK[self.severity], self.code, self.json_path, self.fingerprint)

    @staticmethod
    def sorted(findings: list[Finding]) -> list[Finding]:
        """``findings`` in the order of :meth:`sort_key`.

        A large organization has 100,000s of findings. Each key is one string: the
        severity rank (one digit) and the code, then the place and the fingerprint, each
        after a NUL (below every other character, so the string order is the order of the
        key tuples); strings compare much faster than tuples. The rare place (or code) with
        a NUL of its own is sorted by the tuples.

        The findings are sorted in groups of one severity and code (the order of the groups
        is the order of their first part, which no other key of another group starts with),
        and the keys of a group whose places share one form (``$.journeys[i].steps[j].unit``)
        are written by one format string.
        """
        parts: list[tuple[str, list[Finding], list[str]]] = []
        for severity, code, members in _groups(findings):
            head = f"{_SEVERITY_RANK[severity]}{code}\0"
            keys = _sort_strings(head, list(map(_PATH, members)), map(_FINGERPRINT, members))
            if keys is None:
                return sorted(findings, key=Finding.sort_key)
            parts.append((head, members, keys))
        parts.sort(key=operator.itemgetter(0))
        out: list[Finding] = []
        for _, members, keys in parts:
            # Indexes, not (key, finding) pairs: equal keys keep their order (a stable sort).
            order = sorted(range(len(keys)), key=keys.__getitem__)
            out += map(members.__getitem__, order)
        return out


def _groups(findings: list[Finding]) -> Iterator[tuple[Severity, str, list[Finding]]]:
    """The findings of each severity and code, in order."""
    codes = list(map(_CODE, findings))
    by_code: dict[str, list[int]] = {}
    for code, run in itertools.groupby(range(len(findings)), codes.__getitem__):
        by_code.setdefault(code, []).extend(run)
    for code, indexes in by_code.items():
        start, stop = indexes[0], indexes[-1] + 1
        if stop - start == len(indexes):  # the usual case: one run
            members = findings[start:stop]
        else:
            members = list(map(findings.__getitem__, indexes))
        severities = list(map(_SEVERITY, members))
        if len(set(severities)) == 1:
            yield severities[0], code, members
            continue
        by_severity: dict[Severity, list[Finding]] = {}
        for finding, severity in zip(members, severities, strict=True):
            by_severity.setdefault(severity, []).append(finding)
        for severity, chosen in by_severity.items():
            yield severity, code, chosen


def _sort_strings(
    head: str, paths: list[JsonPath], fingerprints: Iterable[str]
) -> list[str] | None:
    """The sort strings (``head``: severity rank, code and NUL; place, NUL, fingerprint) of
    findings of one severity and code; None when the code or a place holds a NUL."""
    if "\0" in head[:-1]:
        return None
    form = _common_form(paths)
    if form is not None:
        pattern, indexes = form
        if "\0" in pattern:
            return None
        write = (_braces_doubled(head) + pattern + "\0{}").format
        return list(itertools.starmap(write, zip(*indexes, fingerprints, strict=True)))
    # Several findings often share a place: each place is written once.
    text_of = {path: format_path(path) for path in dict.fromkeys(paths)}
    if "\0" in "".join(text_of.values()):
        return None
    return [f"{head}{text_of[p]}\0{f}" for p, f in zip(paths, fingerprints, strict=True)]


def _common_form(paths: list[JsonPath]) -> tuple[str, list[list[int]]] | None:
    """When all ``paths`` have the same length and the same member names at the same places,
    indexes at the others: their JSONPath text as a format string with ``{}`` for each index
    (``$.journeys[{}].unit``), and the indexes, column by column. None otherwise.

    >>> _common_form([("journeys", 2, "unit"), ("journeys", 10, "unit")])
    ('$.journeys[{}].unit', [[2, 10]])
    """
    lengths = set(map(len, paths))
    if len(lengths) != 1:
        return None
    pattern = "$"
    indexes: list[list[int]] = []
    for place in range(lengths.pop()):
        column = list(map(operator.itemgetter(place), paths))
        kinds = set(map(type, column))
        if kinds == {int}:
            pattern += "[{}]"
            indexes.append(column)
        elif kinds == {str} and len(set(column)) == 1:
            pattern += _braces_doubled(format_path(column[:1])[1:])
        else:
            return None
    return pattern, indexes


def _braces_doubled(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _path_texts(paths: list[JsonPath]) -> list[str]:
    """The JSONPath text of each of ``paths``.

    >>> _path_texts([("units", 10), ("units", 2)]), _path_texts([("goals",), ("a b",)])
    (['$.units[10]', '$.units[2]'], ['$.goals', '$["a b"]'])
    """
    form = _common_form(paths)
    if form is None:  # several findings often share a place: each place is written once
        text_of = {path: format_path(path) for path in dict.fromkeys(paths)}
        return list(map(text_of.__getitem__, paths))
    pattern, indexes = form
    if not indexes:
        return [pattern.format()] * len(paths)
    return list(itertools.starmap(pattern.format, zip(*indexes, strict=True)))


# The dataclass is frozen: fields are set past its __setattr__, by their slots' setters.
_set_code = Finding.__dict__["code"].__set__
_set_rule = Finding.__dict__["rule"].__set__
_set_severity = Finding.__dict__["severity"].__set__
_set_message = Finding.__dict__["message"].__set__
_set_path = Finding.__dict__["path"].__set__
_set_line = Finding.__dict__["line"].__set__
_set_column = Finding.__dict__["column"].__set__
_set_fingerprint = Finding.__dict__["fingerprint"].__set__
_sha256 = hashlib.sha256

_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_PATH = operator.attrgetter("path")
_FINGERPRINT = operator.attrgetter("fingerprint")
_CODE = operator.attrgetter("code")
_SEVERITY = operator.attrgetter("severity")


#: What an analyzer family reports for one finding: its message, its place (JSON path) and
#: what it is about, by ids (the key of its fingerprint).
Item = tuple[str, JsonPath, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Batch:
    """Findings of one rule as reported, not yet made into :class:`Finding` values."""

    rule: Rule
    severity: Severity
    items: list[Item]


class Findings(Sequence[Finding]):
    """All findings of an analysis in report order (:meth:`Finding.sort_key`), made, sorted
    and located when first read.

    A large organization has 100,000s of findings, and a text or Markdown report shows a
    few of each rule (:meth:`first_per_rule`): only those are made, sorted and located
    then. Reading the sequence itself (JSON, SARIF, the policy) makes them all, once; a
    diff makes only those introduced or resolved (:meth:`fingerprints`, :meth:`chosen`).
    ``places`` locates them (None: they get no line). In JSON it is the array of findings.
    """

    __slots__ = ("_all", "_arrival", "_batches", "_places")

    def __init__(self, batches: Iterable[Batch] = (), places: Places | None = None) -> None:
        self._batches = [b for b in batches if b.items]
        self._places = places
        self._all: list[Finding] | None = None if self._batches else []
        #: Once made: the findings in the order reported, which indexes of
        #: :meth:`fingerprints` count in.
        self._arrival: list[Finding] | None = self._all

    @property
    def located_in(self) -> Places | None:
        """The places that locate these findings (None: they get no line)."""
        return self._places

    @staticmethod
    def places(batches: Iterable[Batch], file: str, text: str) -> Places:
        """The places of the findings of ``batches`` in ``text``, the source of ``file``
        (one scan of the text)."""
        return Places.scan(file, text, (path for b in batches for _, path, _ in b.items))

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Findings:
        """Findings already made, in report order."""
        made = cls()
        made._all = made._arrival = list(findings)
        return made

    def _made(self) -> list[Finding]:
        if self._all is None:
            found: list[Finding] = []
            places = None if self._places is None else self._places.positions
            for batch in self._batches:
                found += Finding.many(batch.rule, batch.severity, batch.items, places)
            self._arrival = found
            self._all = Finding.sorted(found)
            self._batches = []
        return self._all

    def _located(self, findings: list[Finding]) -> list[Finding]:
        places = self._places
        if places is None:
            return findings
        return [f.at(places.at(f.path)) for f in findings]

    def __len__(self) -> int:
        if self._all is not None:
            return len(self._all)
        return sum(len(b.items) for b in self._batches)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return self._made()[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return self._made() == other._made()
        if isinstance(other, list):
            return self._made() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Findings: {len(self)}>"

    def fingerprints(self) -> list[str]:
        """The fingerprint of every finding, in the order reported (for findings made as a
        list, :meth:`of`, the list's order), whether or not the sequence is made yet;
        :meth:`chosen` and :meth:`unlocated` take indexes into this list."""
        if self._arrival is not None:
            return list(map(_FINGERPRINT, self._arrival))
        out: list[str] = []
        for batch in self._batches:
            code = batch.rule.code
            prefix = f"{code}\x1f"
            for _, _, key in batch.items:
                text = prefix + "\x1f".join(key) if key else code
                out.append(_sha256(text.encode()).digest()[:8].hex())
        return out

    def chosen(self, indexes: Iterable[int]) -> list[Finding]:
        """The findings at ``indexes`` (of :meth:`fingerprints`), made, located and in report
        order; the others are not made."""
        wanted = sorted(set(indexes))
        if self._arrival is not None:
            return Finding.sorted(list(map(self._arrival.__getitem__, wanted)))
        return self._located(Finding.sorted(self.unlocated(wanted)))

    def unlocated(self, indexes: list[int]) -> list[Finding]:
        """The findings at the ascending ``indexes`` (of :meth:`fingerprints`), made in that
        order, without line and column unless the sequence is made already."""
        if self._arrival is not None:
            return list(map(self._arrival.__getitem__, indexes))
        out: list[Finding] = []
        wanted = iter(indexes)
        index = next(wanted, None)
        start = 0
        for batch in self._batches:
            stop = start + len(batch.items)
            mine: list[Item] = []
            while index is not None and index < stop:
                mine.append(batch.items[index - start])
                index = next(wanted, None)
            if mine:
                out += Finding.many(batch.rule, batch.severity, mine)
            start = stop
        return out

    def counts(self) -> dict[Severity, int]:
        """How many findings of each severity, most severe first."""
        if self._all is not None:
            tally = Counter(map(_SEVERITY, self._all))
        else:
            tally = Counter()
            for batch in self._batches:
                tally[batch.severity] += len(batch.items)
        return {s: tally[s] for s in _SEVERITY_RANK}

    def first_per_rule(self, first: int) -> list[tuple[str, str, int, list[Finding]]]:
        """For each rule, in report order: its code and name, how many findings it has and
        its first ``first`` findings (as the sequence lists them).

        >>> a, b = (Rule(c, c.lower(), Severity.INFO, "s") for c in ("A01", "B01"))
        >>> found = Findings([Batch(b, Severity.INFO, [("m", ("u", 9), ("x",))]),
        ...     Batch(a, Severity.INFO, [("m", ("u", i), (str(i),)) for i in (3, 10, 2)])])
        >>> [(c, n, [f.json_path for f in shown]) for c, _, n, shown in found.first_per_rule(2)]
        [('A01', 3, ['$.u[10]', '$.u[2]']), ('B01', 1, ['$.u[9]'])]
        """
        groups: dict[str, list[Batch]] = {}
        for batch in self._batches:
            groups.setdefault(batch.rule.code, []).append(batch)
        if self._all is not None or any(
            len({b.severity for b in batches}) > 1 for batches in groups.values()
        ):
            return _first_of_made(self._made(), first)
        order = sorted(groups, key=lambda code: (_SEVERITY_RANK[groups[code][0].severity], code))
        shown: list[list[Finding]] = []
        for code in order:
            batches = groups[code]
            items = [item for b in batches for item in b.items]
            shown.append(_first(batches[0].rule, batches[0].severity, items, first))
        located = self._located([f for chosen in shown for f in chosen])
        out = []
        start = 0
        for code, chosen in zip(order, shown, strict=True):
            total = sum(len(b.items) for b in groups[code])
            stop = start + len(chosen)
            out.append((code, groups[code][0].rule.name, total, located[start:stop]))
            start = stop
        return out

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # In JSON, and as a field's value: the array of findings (a list is taken as made).
        items = handler.generate_schema(list[Finding])
        from_list = core_schema.no_info_after_validator_function(cls.of, items)
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_list]
            ),
            # A wrap serializer: the list is serialized with the field's include and exclude.
            serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda found, serialize: serialize(list(found)), schema=items
            ),
        )


def _first(rule: Rule, severity: Severity, items: list[Item], first: int) -> list[Finding]:
    """The first ``first`` findings of ``items`` in report order, without making the others:
    those whose place is not after the ``first``-th place are made and sorted."""
    if len(items) > first:
        texts = _path_texts(list(map(_ITEM_PATH, items)))
        last = heapq.nsmallest(first, texts)[-1] if first else ""
        items = list(itertools.compress(items, map(last.__ge__, texts)))
    return Finding.sorted(Finding.many(rule, severity, items))[:first]


def _first_of_made(
    findings: list[Finding], first: int
) -> list[tuple[str, str, int, list[Finding]]]:
    """:meth:`Findings.first_per_rule` of findings made and in report order."""
    totals = Counter(map(_CODE, findings))
    names: dict[str, str] = {}
    shown: dict[str, list[Finding]] = {}
    # In report order each rule is one run: only its first findings are looked at.
    for code, run in itertools.groupby(findings, _CODE):
        members = iter(run)
        head = next(members)
        names.setdefault(code, head.rule)
        mine = shown.setdefault(code, [])
        if len(mine) < first:
            mine += itertools.islice(itertools.chain((head,), members), first - len(mine))
    return [(code, names[code], totals[code], mine) for code, mine in shown.items()]


_ITEM_PATH = operator.itemgetter(1)


def effective_severity(rule: Rule, setting: RuleSetting | None) -> Severity | None:
    """The severity of ``rule`` under ``setting`` (its default when the setting names none);
    None when the setting switches it off. The one resolution of rule settings, used by the
    analysis, the policy and every output.

    >>> rule = Rule("J01", "uncovered-silo-crossing", Severity.WARNING, "s")
    >>> effective_severity(rule, None), effective_severity(rule, RuleSetting(severity="error"))
    (<Severity.WARNING: 'warning'>, <Severity.ERROR: 'error'>)
    >>> effective_severity(rule, RuleSetting(enabled=False)) is None
    True
    """
    if setting is not None and not setting.enabled:
        return None
    return Severity(setting.severity) if setting and setting.severity else rule.severity
