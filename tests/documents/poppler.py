"""Read rendered PDFs back with Debian's poppler-utils (pdftotext, pdftoppm, pdfinfo, pdfimages)."""

from __future__ import annotations

import shutil
import subprocess


def tool(name: str) -> str:
    """Return the path of a poppler tool, failing (never skipping) when it is missing."""
    path = shutil.which(name)
    assert path, f"{name} is missing: install Debian's poppler-utils (.ci/run does)"
    return path


def run(*args: str) -> str:
    """Run a tool and return what it printed."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Collapse all whitespace, so phrases broken across lines still match."""
    return " ".join(text.split())
