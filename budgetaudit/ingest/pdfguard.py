"""Bounds on a PDF while pdfminer parses it: decompressed stream size, page
size, characters and ruling lines per page. A RecursionError or a pdfminer
failure while reading a page is a damaged PDF (exit 2), never a crash."""
from __future__ import annotations

import os
import stat
import zlib
from contextlib import contextmanager
from pathlib import Path

import pdfminer.pdftypes
import pdfplumber.page

from ..safe.errors import BudgetAuditError
from ..safe.limits import limit

THIRD_PARTY = (f"{os.sep}pdfminer{os.sep}", f"{os.sep}pdfplumber{os.sep}")


class StreamTooLarge(Exception):
    """A stream inflates past STREAM_MB."""


class PageProblem(Exception):
    def __init__(self, key: str, **fields) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


def stream_limit() -> int:
    return limit("STREAM_MB") * 2**20


class BoundedZlib:
    """pdfminer's `zlib`, with decompress() stopping at the stream limit instead of filling memory."""

    error = zlib.error

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        cap = stream_limit()
        inflater = zlib.decompressobj(*args[1:2])
        out = inflater.decompress(data, cap + 1) if cap else inflater.decompress(data)
        if cap and len(out) > cap:
            raise StreamTooLarge()
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out


def decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream with a bad checksum: all that inflates before the damage,
    in linear time and bounded (pdfminer's own feeds one byte at a time into a growing bytes)."""
    inflater, parts, size, cap = zlib.decompressobj(), [], 0, stream_limit() or 1 << 62
    for start in range(0, len(data), 4096):
        saved = inflater.copy()
        try:
            parts.append(inflater.decompress(data[start:start + 4096], cap + 1 - size))
        except zlib.error:
            parts += byte_by_byte(saved, data[start:start + 4096])
            break
        size += len(parts[-1])
        if size > cap or inflater.unconsumed_tail:
            raise StreamTooLarge()
    return b"".join(parts)


def byte_by_byte(inflater, chunk: bytes) -> list[bytes]:
    parts = []
    for index in range(len(chunk)):
        try:
            parts.append(inflater.decompress(chunk[index:index + 1]))
        except zlib.error:
            break
    return parts


pdfminer.pdftypes.zlib = BoundedZlib()
pdfminer.pdftypes.decompress_corrupted = decompress_corrupted


def counted(method, what: str, key: str):
    """A device method that stops the page once it has drawn more than the limit of `what`:
    a page of a million characters is refused before it fills memory, not after."""
    def wrapper(self, *args, **kwargs):
        try:
            state = self._budgetaudit_counts  # one device per page: [count, limit] of each
        except AttributeError:
            state = self._budgetaudit_counts = {name: [0, limit(name)] for name in ("PAGE_CHARS", "PAGE_LINES")}
        entry = state[what]
        entry[0] += 1
        if entry[1] and entry[0] > entry[1]:
            raise PageProblem(key, count=f"{entry[1]}+", limit=entry[1])
        return method(self, *args, **kwargs)
    return wrapper


_DEVICE = pdfplumber.page.PDFPageAggregatorWithMarkedContent
_DEVICE.render_char = counted(_DEVICE.render_char, "PAGE_CHARS", "page_chars")
_DEVICE.paint_path = counted(_DEVICE.paint_path, "PAGE_LINES", "page_lines")


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def check_page(page, number: int) -> None:
    """Refuse a page too large, or with too many characters or ruling lines, before tables are searched."""
    side = limit("PAGE_SIDE")
    if side and (page.width > side or page.height > side):
        raise PageProblem("page_size", width=round(float(page.width)), height=round(float(page.height)), limit=side)
    lines = len(page.lines) + len(page.rects) + len(page.curves)
    if limit("PAGE_LINES") and lines > limit("PAGE_LINES"):
        raise PageProblem("page_lines", count=lines, limit=limit("PAGE_LINES"))
    if limit("PAGE_CHARS") and len(page.chars) > limit("PAGE_CHARS"):
        raise PageProblem("page_chars", count=len(page.chars), limit=limit("PAGE_CHARS"))


@contextmanager
def page_errors(path: Path, number: int):
    """Limits and damage met while reading page `number` become one clear input error naming the page."""
    try:
        yield
    except PageProblem as exc:
        raise BudgetAuditError(exc.key, path=path, page=number, **exc.fields) from None
    except RecursionError:
        raise BudgetAuditError("damaged", path=path, detail=f"第 {number} 页嵌套过深 / page {number}: nested too deeply") from None
    except (BudgetAuditError, MemoryError):
        raise
    except Exception as exc:
        problem = caused_by(exc, PageProblem)
        if problem:
            raise BudgetAuditError(problem.key, path=path, page=number, **problem.fields) from None
        if caused_by(exc, StreamTooLarge):
            raise BudgetAuditError("stream_size", path=path, page=number, limit=limit("STREAM_MB")) from None
        if caused_by(exc, RecursionError):
            raise BudgetAuditError("damaged", path=path, detail=f"第 {number} 页嵌套过深 / page {number}: nested too deeply") from None
        if not raised_in_parser(exc):
            raise
        raise BudgetAuditError("damaged", path=path, detail=f"第 {number} 页 / page {number}: {type(exc).__name__}") from None


def caused_by(exc: BaseException, kind: type):
    """`exc`, or the exception it was raised from (pdfplumber wraps pdfminer's), when it is a `kind`; else None."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def raised_in_parser(exc: BaseException) -> bool:
    """True when the innermost frame of the traceback is pdfminer's or pdfplumber's code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and any(part in tb.tb_frame.f_code.co_filename for part in THIRD_PARTY)
