"""Analysis configuration from a TOML file (``orgmodel.toml`` or ``[tool.orgmodel]`` in
``pyproject.toml``): thresholds and per-rule settings that override the document's."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.model import RuleSetting, Thresholds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["AnalysisConfig", "load_config", "merge_thresholds"]


class AnalysisConfig(BaseModel):
    """The analysis part of a config file."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    thresholds: Thresholds | None = None
    """Threshold overrides; unset ones keep the document's value."""
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    """Per rule code: severity override or `enabled = false`."""


def load_config(path: str | Path) -> AnalysisConfig:
    """Read a config file; raise :class:`DocumentInvalid` with located problems."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentInvalid([Diagnostic(str(path), None, None, None, "io",
                                          f"cannot read config: {exc.strerror or exc}")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocumentInvalid([Diagnostic(str(path), None, None, None, "toml",
                                          f"invalid TOML: {exc}")]) from None
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("orgmodel", {})
    try:
        return AnalysisConfig.model_validate(raw)
    except ValidationError as exc:
        raise DocumentInvalid([
            Diagnostic(str(path), None, None, tuple(e["loc"]), "shape",
                       e["msg"][:1].lower() + e["msg"][1:])
            for e in exc.errors(include_url=False)
        ]) from None


def merge_thresholds(base: Thresholds, override: Thresholds | None) -> Thresholds:
    """``base`` with the fields that ``override`` sets explicitly."""
    if override is None:
        return base
    return base.model_copy(update={k: getattr(override, k) for k in override.model_fields_set})
