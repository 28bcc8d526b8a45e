"""The product speaks in its own words: no references to source articles its users never saw,
and the ideas the rules refer to are explained in docs/concepts.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from orgmodel.rulesref import rule_families, rules_markdown

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS = ROOT / "docs" / "concepts.md"
#: What users see: the package (rule texts, docstrings, messages), docs and examples.
SCANNED = ("orgmodel", "docs", "examples", "README.md")
#: A reference to numbered source articles ("seed 000", "seeds 002-004"), in any case.
SEED_REF = re.compile(r"seeds?\s*0\d", re.IGNORECASE)
#: A link into concepts.md with an anchor, relative from docs/ or from elsewhere.
CONCEPT_LINK = re.compile(r"\]\((?:\.\./docs/|docs/)?concepts\.md#([^)\s]+)\)")
DEFICITS = (
    "reduced to customer management",
    "operational focus",
    "no customer value method",
    "segments unused",
    "satisfaction mistaken for loyalty",
    "leadership and culture neglected",
    "aspects optimized in isolation",
)


def text_files() -> Iterator[tuple[Path, str]]:
    """Every text file under the scanned places, with its content."""
    for name in SCANNED:
        top = ROOT / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            data = path.read_bytes()
            if b"\0" in data:
                continue
            try:
                yield path, data.decode("utf-8")
            except UnicodeDecodeError:
                continue


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def concept_anchors() -> set[str]:
    text = CONCEPTS.read_text(encoding="utf-8")
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.MULTILINE)}


def test_scan_sees_the_package_docs_and_examples() -> None:
    seen = {path.relative_to(ROOT).parts[0] for path, _ in text_files()}
    assert seen == set(SCANNED)


def test_no_reference_to_source_articles() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for path, text in text_files()
        for m in SEED_REF.finditer(text)
    ]
    assert not found, "explain the idea in docs/concepts.md instead:\n" + "\n".join(found)


@pytest.mark.parametrize("text", ["see Seed 002", "(seed 000)", "seeds 002-004", "SEED 004"])
def test_the_pattern_catches_references(text: str) -> None:
    assert SEED_REF.search(text)


def test_concepts_page_exists_and_names_every_deficit() -> None:
    assert CONCEPTS.is_file(), "docs/concepts.md is missing"
    anchors = concept_anchors()
    missing = [d for d in DEFICITS if slug(d) not in anchors]
    assert not missing, f"no heading for the deficit(s) {missing} in docs/concepts.md"


def test_rules_reference_links_to_concepts() -> None:
    rules_doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "](concepts.md)" in rules_doc
    assert "](concepts.md)" in rules_markdown()


def test_every_link_into_concepts_has_a_target() -> None:
    anchors = concept_anchors()
    links = [
        (str(path.relative_to(ROOT)), m.group(1))
        for path, text in text_files()
        if path.suffix in (".md", ".py")
        for m in CONCEPT_LINK.finditer(text)
    ]
    assert links, "nothing links into docs/concepts.md"
    broken = [f"{where}: #{anchor}" for where, anchor in links if anchor not in anchors]
    assert not broken, "links to missing sections of docs/concepts.md:\n" + "\n".join(broken)


def test_rules_that_name_a_deficit_link_to_it() -> None:
    for _, rules in rule_families():
        for rule in rules:
            doc = (rule.doc or "").lower()
            for deficit in DEFICITS:
                if deficit in doc:
                    assert f"concepts.md#{slug(deficit)}" in doc, (rule.code, deficit)
