"""Stream an NPPES CSV in large blocks and hand over only the lines worth parsing.

The monthly file is about 10 GB, and only a few percent of its 9.8 million
rows list a specialty reconsult keeps. Parsing every row with the ``csv``
module would take many minutes, so the scanner works on 16 MB blocks of raw
bytes:

1. An Aho-Corasick automaton (``ahocorasick-rs``, SIMD-accelerated) finds
   every occurrence of a kept taxonomy code in the block; only the lines that
   hold one are yielded for parsing. A code elsewhere in a line only costs a
   parse: the row reader checks the taxonomy columns themselves.
2. Every value in the file is quoted and CMS replaces quotes inside values
   (research ``providers_records.md`` s.1.4), so a well-formed row has exactly
   ``2 x columns`` quote characters. Counting quotes over the whole block (C
   speed) shows whether every line in it has the right number of columns;
   only a block whose count is off is checked line by line (quotes and
   ``","`` separators), and its broken lines are reported with their line
   numbers. (Two broken lines in one block whose errors exactly cancel out
   would pass the block check; if either holds a kept code, the row reader
   still catches it.)

Memory stays constant: one block, one partial line carried to the next.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import ahocorasick_rs

from reconsult.i18n import gettext as _

__all__ = [
    "CHUNK_BYTES",
    "HeaderError",
    "LineNumber",
    "LineProblem",
    "NppesScanner",
    "read_header",
]

CHUNK_BYTES = 16 * 1024 * 1024
BAD_TEXT = "not valid UTF-8: the characters that could not be read were replaced"
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_ASCII = bytes(range(128))
PROBLEM_LIMIT = 1000  # problems kept with their line numbers; all are counted


class HeaderError(ValueError):
    """The first line is not an NPPES header (wrong file, or cut off)."""


@dataclass(frozen=True)
class LineProblem:
    """A line that could not be read, with its 1-based line number (line 1 is the header)."""

    line: int
    reason: str


@dataclass
class ScanCounts:
    """What the scan has seen so far."""

    lines: int = 0  # data lines, header not counted
    bytes_done: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    problem_count: int = 0

    def add_problem(self, line: int, reason: str) -> None:
        """Count a broken line; keep the first PROBLEM_LIMIT with their numbers."""
        self.problem_count += 1
        if len(self.problems) < PROBLEM_LIMIT:
            self.problems.append(LineProblem(line, reason))


def read_header(stream: BinaryIO) -> list[str]:
    """Read and parse the header line; raise HeaderError if it is not a CSV header line."""
    raw = stream.readline(1_000_000)
    if not raw.endswith(b"\n"):
        raise HeaderError(_("the file is empty, or its first line is not a header line"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HeaderError(_("the first line is not text")) from exc
    return next(csv.reader([text]))


def line_problem(line: bytes, columns: int) -> str | None:
    """Say what is wrong with one raw line (without its newline), or None if it is well-formed."""
    if not line.strip():
        return "empty line"
    quotes = line.count(b'"')
    separators = line.count(b'","')
    if not (line.startswith(b'"') and line.endswith(b'"')) or quotes % 2:
        return "a value is not closed by a quote (line cut off or broken)"
    if separators != columns - 1 or quotes != 2 * columns:
        found = separators + 1
        return f"{found} columns instead of {columns}"
    return None


class LineNumber:
    """A line's number, worked out only when asked (most lines never need one)."""

    __slots__ = ("_block", "_first_line", "_line_start", "_region_start")

    def __init__(self, block: bytes, region_start: int, line_start: int, first_line: int) -> None:
        self._block = block
        self._region_start = region_start
        self._line_start = line_start
        self._first_line = first_line

    def __call__(self) -> int:
        """The 1-based line number in the file (line 1 is the header)."""
        return self._first_line + self._block.count(b"\n", self._region_start, self._line_start)


class NppesScanner:
    """Yield the data lines of an NPPES CSV that may hold a kept code, counting broken lines.

    ``codes`` None yields every well-formed line (for weekly files, where a
    provider who dropped a kept specialty must be found too).
    """

    def __init__(
        self,
        stream: BinaryIO,
        columns: int,
        codes: Iterable[str] | None,
        *,
        on_block: Callable[[ScanCounts], None] | None = None,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self._stream = stream
        self._columns = columns
        patterns = sorted({code.encode("ascii") for code in codes}) if codes is not None else None
        self._matcher = ahocorasick_rs.BytesAhoCorasick(patterns) if patterns else None
        self._every_line = codes is None
        self._on_block = on_block
        self._chunk_bytes = chunk_bytes
        self.counts = ScanCounts()

    def lines(self) -> Iterator[tuple[LineNumber, bytes]]:
        """Yield ``(line number, raw line)`` for each candidate line, in file order.

        The line number is a :class:`LineNumber`: call it to get the number.

        Blocks are scanned in place; only the one line that straddles two
        blocks is copied, so a 16 MB block costs no 16 MB copy.
        """
        carry = b""
        while True:
            data = self._stream.read(self._chunk_bytes)
            self.counts.bytes_done += len(data)
            if not data:
                if carry:
                    yield from self._region(carry, 0, len(carry), unterminated=True)
                break
            first = data.find(b"\n")
            if first == -1:  # a line longer than a block: keep reading
                carry += data
                continue
            start = 0
            if carry:
                seam = carry + data[: first + 1]
                yield from self._region(seam, 0, len(seam), unterminated=False)
                start = first + 1
            last = data.rfind(b"\n") + 1
            if last > start:
                yield from self._region(data, start, last, unterminated=False)
            carry = data[last:]
            if self._on_block:
                self._on_block(self.counts)
        if self._on_block:
            self._on_block(self.counts)

    def _region(
        self, block: bytes, start: int, end: int, *, unterminated: bool
    ) -> Iterator[tuple[LineNumber, bytes]]:
        """Check the whole lines in ``block[start:end]`` and yield their candidate lines."""
        first_line = 2 + self.counts.lines  # line 1 is the header
        total = block.count(b"\n", start, end) + (1 if unterminated else 0)
        self.counts.lines += total
        broken: set[int] = set()
        if block.count(b'"', start, end) != 2 * self._columns * total:
            broken = self._report_broken(block[start:end], first_line)
        if not block.isascii() and not _utf8_ok(block):
            self._report_bad_text(block, start, end, first_line, broken)
        starts = (
            _line_starts(block, start, end)
            if self._every_line
            else self._candidate_starts(block, start, end)
        )
        for line_start in starts:
            stop = block.find(b"\n", line_start, end)
            raw = block[line_start : stop if stop != -1 else end]
            if not raw:
                continue
            number = LineNumber(block, start, line_start, first_line)
            if broken and number() in broken:
                continue
            yield number, raw

    def _candidate_starts(self, block: bytes, start: int, end: int) -> Iterator[int]:
        """Start offsets of the lines holding a kept code, each once, in order."""
        assert self._matcher is not None
        last = -1
        window = memoryview(block)[start:end]
        for _pattern, match_start, _match_end in self._matcher.find_matches_as_indexes(window):
            line_start = block.rfind(b"\n", start, start + match_start) + 1 or start
            if line_start != last:
                last = line_start
                yield line_start

    def _report_bad_text(
        self, block: bytes, start: int, end: int, first_line: int, broken: set[int]
    ) -> None:
        """Report lines in the region that are not valid UTF-8 (they are still read, repaired)."""
        last = -1
        for match in _NON_ASCII.finditer(block, start, end):
            line_start = block.rfind(b"\n", start, match.start()) + 1 or start
            if line_start == last:
                continue
            last = line_start
            stop = block.find(b"\n", line_start, end)
            try:
                block[line_start : stop if stop != -1 else end].decode("utf-8")
            except UnicodeDecodeError:
                line = first_line + block.count(b"\n", start, line_start)
                if line not in broken:
                    self.counts.add_problem(line, BAD_TEXT)

    def _report_broken(self, lines: bytes, first_line: int) -> set[int]:
        """Check a suspect region line by line; report and return the broken line numbers."""
        broken: set[int] = set()
        if lines.endswith(b"\n"):
            lines = lines[:-1]
        for offset, raw in enumerate(lines.split(b"\n")):
            reason = line_problem(raw, self._columns)
            if reason:
                self.counts.add_problem(first_line + offset, reason)
                broken.add(first_line + offset)
        return broken


def _utf8_ok(block: bytes) -> bool:
    """Whether the non-ASCII bytes of a block are valid UTF-8, at C speed.

    A UTF-8 character is a run of non-ASCII bytes, so dropping every ASCII
    byte keeps valid text valid; a stray byte (Latin-1, say) then almost
    always leaves an invalid sequence. Only then is the block read line by
    line to find the line numbers.
    """
    try:
        block.translate(None, _ASCII).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line_starts(block: bytes, start: int, end: int) -> Iterator[int]:
    """Start offset of every line in ``block[start:end]``."""
    while start < end:
        yield start
        stop = block.find(b"\n", start, end)
        if stop == -1:
            break
        start = stop + 1
