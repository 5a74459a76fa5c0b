"""What a journal note must hold: some words of the person's own, and not too many.

The rule and its words live here, below every caller, so the command line,
the web pages and the Python API refuse the same notes in the same words. A
note of spaces only was once kept as an empty note and answered as if it said
something (issue 14); such notes may still be stored, so readers of a case
(the FHIR export) must still cope with an empty note.
"""

from __future__ import annotations

from typing import Final

from reconsult.errors import CaseFileError
from reconsult.i18n import N_
from reconsult.i18n import gettext as _

__all__ = ["NOTE_MAX", "NOTE_REQUIRED", "note_text"]

NOTE_MAX: Final = 10_000
# The words of the web journal form's error ("What do you notice today?"), in English:
# say _(NOTE_REQUIRED).
NOTE_REQUIRED: Final = N_("Write what you notice, in your own words.")


def note_text(text: str) -> str:
    """Return a note as it will be kept (trimmed, NULs dropped), or raise CaseFileError."""
    kept = text.replace("\x00", "").strip()
    if not kept:
        raise CaseFileError(_(NOTE_REQUIRED))
    if len(kept) > NOTE_MAX:
        raise CaseFileError(
            _("Your note must be %(most)s characters or fewer (it is %(length)s).")
            % {"most": f"{NOTE_MAX:,}", "length": f"{len(kept):,}"}
        )
    return kept
