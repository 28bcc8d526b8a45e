"""Text from a document made safe for line-oriented reports, terminals and Markdown.

Names come from designers and may hold newlines, carriage returns, ANSI escape sequences
and other control characters, or lone surrogates. Written raw, they would add lines to a
line-oriented report, recolour or rewrite the terminal, or (in Markdown) become HTML.

>>> one_line("Sales\\nnorth")
'Sales\\\\nnorth'
>>> terminal("\\x1b[31mred\\x1b[0m")
'\\\\x1b[31mred\\\\x1b[0m'
>>> markdown_inline("x<script>")
'x&lt;script&gt;'
>>> markdown_code("a`b")
'``a`b``'
"""

from __future__ import annotations

import re

__all__ = ["markdown_code", "markdown_inline", "one_line", "terminal"]

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, and the line and
# paragraph separators and bidirectional overrides that reorder or break a terminal line.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKING = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` with every control character but newline and tab written as an escape
    (``\\x1b``, ``\\ud800``): nothing in it acts on a terminal."""
    if text.isascii() and text.isprintable():
        return text
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` on one line: newlines, carriage returns, tabs and every other control
    character written as escapes (``\\n``, ``\\r``, ``\\x1b``)."""
    if text.isascii() and text.isprintable():
        return text
    return _LINE_BREAKING.sub(_escape, text.replace("\r\n", "\n"))


_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_RE = re.compile("[&<>]")


def markdown_inline(text: str) -> str:
    """``text`` for Markdown on one line: ``&``, ``<`` and ``>`` as entities (no raw HTML),
    control characters as escapes."""
    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group()], one_line(text))


_BACKTICKS = re.compile("`+")


def markdown_code(text: str, *, in_table: bool = False) -> str:
    """``text`` as a Markdown code span that nothing in it can leave (CommonMark 6.1).

    The fence is one backtick longer than the longest run of backticks in ``text``, and
    spaces pad the content when it starts or ends with a backtick (or starts and ends with a
    space, which a parser would strip). Control characters are escapes, as in
    :func:`one_line`, so the span stays on its line. ``in_table``: ``|`` as ``\\|``, which a
    GitHub-flavoured table cell turns back into ``|`` (also inside a code span).

    >>> markdown_code("``")
    '``` `` ```'
    >>> markdown_code("a|b", in_table=True)
    '`a\\\\|b`'
    """
    text = one_line(text)
    if in_table:
        text = text.replace("|", "\\|")
    if not text:
        return "` `"
    fence = "`" * (1 + max((len(run) for run in _BACKTICKS.findall(text)), default=0))
    pad = (
        text[0] == "`"
        or text[-1] == "`"
        or (text[0] == " " and text[-1] == " " and bool(text.strip(" ")))
    )
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"
