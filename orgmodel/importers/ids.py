"""Ids for imported entities, derived from the source's ids and names (never row order)."""

from __future__ import annotations

import hashlib
import re

__all__ = ["digest", "is_valid_id", "make_id", "slug"]

_VALID = re.compile(r"^[^\x00-\x20\x7f/#]{1,200}$")
_NOT_SLUG = re.compile(r"[^0-9a-z]+")


def is_valid_id(text: str) -> bool:
    """True when ``text`` can be an orgmodel id as it is."""
    return bool(_VALID.match(text))


def slug(name: str) -> str:
    """``Customer Service (EMEA)`` -> ``customer-service-emea``; empty for no letters."""
    return _NOT_SLUG.sub("-", name.casefold()).strip("-")[:120]


def digest(text: str) -> str:
    """A short, stable hash of ``text``."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def make_id(source: str) -> str:
    """``source`` itself when it is a valid id, else its slug with a short hash of the
    original (so that two source ids never meet in one)."""
    if is_valid_id(source):
        return source
    base = slug(source) or "x"
    return f"{base}-{digest(source)}"
