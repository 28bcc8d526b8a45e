"""The application layer: typed requests in, typed results or every located problem out."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from orgmodel import app
from orgmodel.app import AnalyzeRequest, CheckRequest, DiffRequest, LoadRequest
from orgmodel.compare.policy import Verdict
from orgmodel.diagnostics import DocumentInvalid

TELECOM = ROOT / "examples" / "telecom"


def test_load_reads_documents_and_finds_no_config_in_the_checkout() -> None:
    loaded = app.load(LoadRequest((str(TELECOM / "current.json"),)))
    assert [s.document.name for s in loaded.sources] == ["Telco Nord, current organization"]
    assert loaded.config.config is None and loaded.config.file is None


def test_load_reports_every_problem_of_every_input_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "orgmodel": "1",
                "name": "n",
                "units": [{"id": "a", "name": "A"}],
                "settings": {"rules": {"J99": {"enabled": False}}},
            }
        ),
        encoding="utf-8",
    )
    config = tmp_path / "policy.toml"
    config.write_text("[rules.S001]\nenabled = false\n", encoding="utf-8")
    with pytest.raises(DocumentInvalid) as info:
        app.load(
            LoadRequest(
                (str(broken), str(tmp_path / "missing.json")), str(config), journeys=("nope",)
            )
        )
    messages = [str(d) for d in info.value.diagnostics]
    assert any("missing.json" in m and "file not found" in m for m in messages)
    assert any("$.settings.rules.J99" in m and "unknown rule code 'J99'" in m for m in messages)
    assert any("$.rules.S001" in m and "did you mean 'S01'" in m for m in messages)
    assert any("--journey: unknown journey 'nope'" in m for m in messages)


def test_stdin_once_and_named() -> None:
    text = (TELECOM / "current.json").read_bytes()
    loaded = app.load(LoadRequest(("-",), stdin=io.BytesIO(text)))
    assert loaded.sources[0].name == "<stdin>"
    with pytest.raises(DocumentInvalid, match="only once"):
        app.load(LoadRequest(("-", "-"), stdin=io.BytesIO(text)))


def test_the_text_of_a_file_too_large_to_locate_in_is_let_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its findings get no line and column, so nothing needs its text; a command that edits
    the file asks to keep it."""
    path = str(TELECOM / "current.json")
    size = (TELECOM / "current.json").stat().st_size
    text = (TELECOM / "current.json").read_text(encoding="utf-8")
    assert app.load(LoadRequest((path,))).sources[0].text == text
    monkeypatch.setattr(app, "LOCATE_LIMIT", size - 1)
    assert app.load(LoadRequest((path,))).sources[0].text is None
    assert app.load(LoadRequest((path,), keep_text=True)).sources[0].text == text
    report = app.analyze(AnalyzeRequest(app.load(LoadRequest((path,))).sources[0]))
    assert report.findings and all(f.line is None for f in report.findings)


def test_invalid_utf8_on_stdin_is_located_with_its_own_advice() -> None:
    data = b'{"orgmodel": "1", "name": "M\xfcller", "units": []}'
    with pytest.raises(DocumentInvalid) as info:
        app.load(LoadRequest(("-",), stdin=io.BytesIO(data)))
    [d] = info.value.diagnostics
    assert (d.file, d.line, d.column, d.code) == ("<stdin>", 1, 29, "io")
    assert d.message == "not UTF-8 text (byte 28); give UTF-8 on standard input"


def test_analyze_diff_and_check_from_loaded_documents() -> None:
    loaded = app.load(LoadRequest((str(TELECOM / "tidy.json"), str(TELECOM / "current.json"))))
    tidy, current = loaded.sources
    report = app.analyze(AnalyzeRequest(current))
    assert report.document.units == 45
    diff = app.diff(DiffRequest(current, tidy))
    assert {j.journey for j in diff.journeys} >= {"usage-question", "invoice-question"}
    result = app.check(CheckRequest(tidy, current, today=date(2030, 1, 1)))
    assert result.verdict is Verdict.FAIL
    assert {c.journey for c in result.blocking} == {"usage-question", "invoice-question"}
    assert app.check(CheckRequest(current, current)).verdict is Verdict.PASS
