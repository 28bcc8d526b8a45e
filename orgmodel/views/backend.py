"""Output formats, the raster backend and the Graphviz backend.

DOT and Mermaid are text that orgmodel writes itself. SVG comes from Graphviz when it is
installed and the view prefers it, otherwise from orgmodel's own layout and SVG writer,
so it works on a machine without Graphviz. PNG and PDF are made from the built-in SVG
(:func:`svg_to`: PNG with resvg, ``resvg-py``, else CairoSVG; PDF with CairoSVG; the
``images`` extra), so every format shows the same picture and none needs Graphviz; with
``--engine graphviz`` they come from Graphviz's own layout instead (Debian's ``graphviz``
package; without it :class:`GraphvizMissing`, whose message names the package).

Graphviz runs as a child process with a time limit, its output captured: a stuck layout
cannot hang a CI job, and nothing reaches orgmodel's own standard output.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

__all__ = [
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "SUFFIXES",
    "GraphvizFailed",
    "GraphvizMissing",
    "RenderError",
    "format_for",
    "graphviz_available",
    "run_graphviz",
    "svg_to",
]

#: Every output format: text formats first.
FORMATS: tuple[str, ...] = ("dot", "mmd", "svg", "png", "pdf")
#: Formats written without Graphviz or an image library.
BUILTIN_FORMATS: tuple[str, ...] = ("dot", "mmd", "svg")
#: Formats made from the built-in SVG by an image library.
IMAGE_FORMATS: tuple[str, ...] = ("png", "pdf")
#: File suffixes and their formats.
SUFFIXES: dict[str, str] = {
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mmd",
    ".mermaid": "mmd",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
}
#: Seconds a Graphviz layout may take.
DEFAULT_TIMEOUT = 60.0

INSTALL_HINT = (
    "install Graphviz: Debian's `graphviz` package (apt-get install graphviz), "
    "`brew install graphviz` on macOS"
)


class RenderError(Exception):
    """A view could not be written in the requested format; the message says why."""


class GraphvizMissing(RenderError):
    """Graphviz is needed for the format but not installed."""

    def __init__(self, fmt: str, program: str = "dot") -> None:
        super().__init__(
            f"{fmt.upper()} output needs Graphviz's `{program}` program, which was not found "
            f"on PATH; {INSTALL_HINT}. Without it orgmodel draws its own layout "
            f"(--engine builtin: {', '.join(FORMATS)})."
        )


class ImagesMissing(RenderError):
    """No library to turn SVG into PNG or PDF is installed."""

    def __init__(self, fmt: str, detail: str = "") -> None:
        need = "resvg-py or cairosvg" if fmt == "png" else "cairosvg (and the cairo library)"
        super().__init__(
            f"{fmt.upper()} output from the built-in SVG needs {need}: "
            "pip install 'orgmodel[images]'"
            + (f" ({detail})" if detail else "")
            + f"; or use Graphviz (--engine graphviz); {', '.join(BUILTIN_FORMATS)} need "
            "nothing else"
        )


def svg_to(svg: str, fmt: str) -> bytes:
    """The built-in SVG as PNG (resvg, else CairoSVG) or PDF (CairoSVG)."""
    if fmt == "png":
        try:
            import resvg_py
        except ImportError:
            pass
        else:
            return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff"))
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: the cairo library is missing
        raise ImagesMissing(fmt, "" if isinstance(exc, ImportError) else str(exc)) from None
    convert = cairosvg.svg2png if fmt == "png" else cairosvg.svg2pdf
    out = convert(bytestring=svg.encode("utf-8"))
    assert isinstance(out, bytes)
    return out


class GraphvizFailed(RenderError):
    """Graphviz ran but failed or took too long."""


def format_for(path: str | Path) -> str | None:
    """The format that the suffix of ``path`` stands for, or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def graphviz_available(program: str = "dot") -> bool:
    """True when the Graphviz program is on PATH."""
    return shutil.which(program) is not None


def run_graphviz(
    source: str, command: tuple[str, ...], fmt: str, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Run the Graphviz ``command`` (e.g. ``("dot",)``) on ``source`` and return ``fmt``.

    Raises :class:`GraphvizMissing` when the program is not installed and
    :class:`GraphvizFailed` when it fails or does not finish within ``timeout`` seconds.
    """
    program, *options = command
    exe = shutil.which(program)
    if exe is None:
        raise GraphvizMissing(fmt, program)
    try:
        process = subprocess.Popen(
            [exe, *options, f"-T{fmt}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise GraphvizFailed(f"cannot run Graphviz `{exe}`: {exc.strerror or exc}") from None
    try:
        out, err = process.communicate(source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise GraphvizFailed(
            f"Graphviz `{' '.join(command)}` did not finish within {timeout:g} s; "
            "use --engine builtin for SVG, or a larger --timeout"
        ) from None
    except BaseException:
        _kill(process)
        raise
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(
            f"Graphviz `{' '.join(command)} -T{fmt}` failed (exit {done.returncode})"
            + (f": {' / '.join(detail[:3])}" if detail else "")
        )
    return done.stdout


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End the Graphviz process and anything it started, and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        process.kill()
    process.communicate()
