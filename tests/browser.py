"""Headless Chromium for the tests that drive the HTML report in a real browser.

The browser is Debian's ``chromium`` package, driven by Playwright for Python through
``executable_path`` (Playwright's own browser downloads are not used). When it is missing,
the session installs it with ``apt-get`` if running as root (``./dev browser`` does the same
by hand; ``ORGMODEL_NO_APT=1`` prevents it); otherwise the tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium executable: ``$ORGMODEL_CHROMIUM`` or the first on PATH."""
    given = os.environ.get("ORGMODEL_CHROMIUM")
    if given:
        return given if os.path.exists(given) else None
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def install_chromium() -> str:
    """Try to install Debian's chromium package; an empty string when it worked, else why
    not."""
    if os.environ.get("ORGMODEL_NO_APT"):
        return "ORGMODEL_NO_APT is set"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not running as root, so apt-get cannot install it"
    if shutil.which("apt-get") is None:
        return "apt-get is not available"
    for args in (
        ["apt-get", "install", "-y", "-q", "chromium"],
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "chromium"],
    ):
        try:
            done = subprocess.run(
                args,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{' '.join(args)} failed: {exc}"
        if args[1] == "install" and done.returncode == 0:
            return ""
    return f"apt-get install chromium failed: {done.stderr.strip()[-300:]}"
