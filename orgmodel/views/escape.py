"""Escaping text from the document for DOT, Mermaid and SVG.

Names come from designers and may hold anything JSON can: quotes, angle brackets,
ampersands, backslashes, newlines, control characters, emoji, right-to-left text,
even lone surrogates. Every string that reaches a diagram passes through one of
these functions, so no name can break the syntax of the output.

>>> dot_quote('Say "hi" \\\\ <now>')
'"Say \\\\"hi\\\\" \\\\\\\\ <now>"'
>>> mermaid_text('R&D <"#1">')
'R#38;D #60;#34;#35;1#34;#62;'
>>> xml_text('a < b & c')
'a &lt; b &amp; c'
"""

from __future__ import annotations

import re

__all__ = [
    "clean",
    "dot_html",
    "dot_quote",
    "mermaid_text",
    "xml_attr",
    "xml_text",
]

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, U+FFFE/U+FFFF) and lone
# surrogates, which cannot be encoded as UTF-8.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without characters that no output format can carry; CR LF and CR become LF,
    tabs become spaces, and each forbidden character becomes U+FFFD."""
    if text.isascii() and text.isprintable():
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _FORBIDDEN.sub("\ufffd", text)


def dot_quote(text: str) -> str:
    """A DOT quoted string holding ``text`` literally; newlines become centered line breaks."""
    body = clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML_RE = re.compile("[&<>\"']")


def dot_html(text: str) -> str:
    """``text`` for the inside of a Graphviz HTML-like label; newlines become ``<BR/>``."""
    body = _HTML_RE.sub(lambda m: _HTML[m.group()], clean(text))
    # Graphviz's HTML lexer treats "]]>" and "--" like XML does; entities keep them literal.
    body = body.replace("]]>", "]]&gt;").replace("--", "-&#45;")
    return body.replace("\n", "<BR/>")


_MERMAID_RE = re.compile('["#&<>`\\\\|;{}\\[\\]()]')


def mermaid_text(text: str) -> str:
    """``text`` for the inside of a double-quoted Mermaid label.

    Characters with a meaning to Mermaid's parser or to its HTML labels become Mermaid entity
    codes (``#34;`` for a double quote); newlines become ``<br>``.
    """
    body = _MERMAID_RE.sub(lambda m: f"#{ord(m.group())};", clean(text))
    return body.replace("\n", "<br>")


def xml_text(text: str) -> str:
    """``text`` as XML character data."""
    text = clean(text)
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def xml_attr(text: str) -> str:
    """``text`` for a double-quoted XML attribute value (newlines kept as character
    references so that they survive attribute-value normalization)."""
    return xml_text(text).replace('"', "&quot;").replace("\n", "&#10;")
