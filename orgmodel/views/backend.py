"""Output formats, the raster backend and the Graphviz backend.

DOT and Mermaid are text that orgmodel writes itself. SVG comes from Graphviz when it is
installed and the view prefers it, otherwise from orgmodel's own layout and SVG writer,
so it works on a machine without Graphviz. PNG and PDF are made from the built-in SVG
(:func:`svg_to`: PNG with resvg, ``resvg-py``, else CairoSVG; PDF with CairoSVG; the
``images`` extra), so every format shows the same picture and none needs Graphviz; with
``--engine graphviz`` they come from Graphviz's own layout instead (Debian's ``graphviz``
package; without it :class:`GraphvizMissing`, whose message names the package).

Graphviz runs through the ``graphviz`` package (it builds the command line and runs the
``dot`` program) with a time limit and its output captured: a stuck layout cannot hang a
CI job, and nothing reaches orgmodel's own standard output.
"""

from __future__ import annotations

import shutil
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
    """Run the Graphviz ``command`` (``("dot",)`` or ``("neato", "-n2")``) on ``source``
    and return ``fmt``.

    Raises :class:`GraphvizMissing` when the program is not installed and
    :class:`GraphvizFailed` when it fails or does not finish within ``timeout`` seconds.
    """
    import graphviz
    from graphviz.backend.dot_command import command as dot_command
    from graphviz.backend.execute import run_check

    program, *options = command
    no_op = next((int(o[2:]) for o in options if o.startswith("-n")), None)
    cmd = dot_command(program, fmt, neato_no_op=no_op)
    shown = f"{' '.join(command)} -T{fmt}"
    try:
        # subprocess.run ends the process when the time is up (the time limit is passed
        # through to it); quiet: Graphviz's warnings stay out of our standard error
        done = run_check(
            cmd,
            input=source.encode("utf-8"),
            capture_output=True,
            quiet=True,
            timeout=timeout,
        )
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing(fmt, program) from None
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(
            f"Graphviz `{' '.join(command)}` did not finish within {timeout:g} s; "
            "use --engine builtin for SVG, or a larger --timeout"
        ) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(
            f"Graphviz `{shown}` failed (exit {exc.returncode})"
            + (f": {' / '.join(detail[:3])}" if detail else "")
        ) from None
    except OSError as exc:
        raise GraphvizFailed(f"cannot run Graphviz `{cmd[0]}`: {exc.strerror or exc}") from None
    if not done.stdout:
        raise GraphvizFailed(f"Graphviz `{shown}` wrote nothing")
    out = done.stdout
    assert isinstance(out, bytes)
    return out
