"""Output files are written whole or not at all, in the bytes of their text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from orgmodel import fileio


def test_long_text_is_written_in_pieces_that_join_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileio, "_CHUNK", 7)
    text = "Ölförderung 🛢️ → " * 5 + "end\n"
    target = tmp_path / "report.txt"
    fileio.write_atomic(target, text)
    assert target.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_the_file_gets_the_mode_a_plain_open_would_give(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        fileio.write_atomic(tmp_path / "report.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "report.txt").stat().st_mode) == 0o640


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    fileio.write_atomic(target, b"\x89PNG\r\n")
    assert target.read_bytes() == b"\x89PNG\r\n"


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", fail)
    with pytest.raises(OSError):
        fileio.write_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
    assert target.read_text(encoding="utf-8") == "old"
