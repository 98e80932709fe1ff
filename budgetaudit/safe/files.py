"""Files in and out, bounded: input files are regular files of a limited size
read without blocking (no FIFO, device or symlink to one); reports never
replace an input, a folder or a device, go through a temporary file and a
rename, and a failed write leaves nothing behind."""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import BudgetAuditError, printable


class InputProblem(Exception):
    """Why an input file cannot be read; the caller wraps it in its own error with file and line."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputProblem."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
    except OSError as exc:
        raise InputProblem(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputProblem("不是普通文件（文件夹、管道或设备）/ not a regular file (a folder, pipe or device)")
        if info.st_size > limit:
            raise InputProblem(too_big(limit))
        return read_at_most(fd, limit)
    except OSError as exc:
        raise InputProblem(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def read_at_most(fd: int, limit: int) -> bytes:
    """Read up to `limit` bytes; a file that grew past its size while being read is refused too."""
    chunks, total = [], 0
    while total <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise InputProblem(too_big(limit))
    return b"".join(chunks)


def too_big(limit: int) -> str:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"
    return f"文件过大（上限 {size}）/ file larger than {size}"


def read_text(path: Path, limit: int) -> str:
    try:
        return read_bounded(path, limit).decode("utf-8")
    except UnicodeDecodeError:
        raise InputProblem("不是 UTF-8 文本 / not UTF-8 text") from None


# ---------- output ----------

def output_problem(path, detail: str) -> BudgetAuditError:
    return BudgetAuditError("output", path=printable(path), detail=detail)


def check_output(path: Path | None, inputs) -> None:
    """Refuse, before any work, an output path that is empty, a folder, a device or one of the inputs."""
    if path is None:
        return
    if not str(path).strip():
        raise output_problem(path, "路径为空 / empty path")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise output_problem(path, exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise output_problem(path, "这是一个文件夹 / it is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise output_problem(path, "不是普通文件（设备或管道），不会覆盖 / not a regular file (a device or pipe); it is not replaced")
    for source in inputs:
        if same_file(path, source):
            raise output_problem(path, f"这是输入文件，不会被覆盖 / it is an input file ({printable(source)}) and is never overwritten")


def same_file(a, b) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_atomically(path: Path, text: str, inputs=()) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written report, never an input replaced."""
    check_output(path, inputs)
    path = Path(os.path.realpath(path))
    try:
        handle, temp = tempfile.mkstemp(prefix=".budgetaudit-", dir=path.parent)
    except OSError as exc:
        raise output_problem(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise output_problem(path, exc.strerror or str(exc)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_stdout(text: str) -> None:
    """Write a report to stdout; a closed or broken stdout is an output problem, not a bug."""
    with stdout_guard():
        sys.stdout.write(text)


@contextmanager
def stdout_guard():
    """Around anything that prints the report: a closed or broken stdout becomes one clear error."""
    try:
        if sys.stdout is None or sys.stdout.closed:
            raise OSError("标准输出已关闭 / stdout is closed")
        yield
        sys.stdout.flush()
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError) and not sys.stdout.closed:
            raise  # not an I/O problem: a bug, reported as one
        silence_stdout()
        raise output_problem("<stdout>", getattr(exc, "strerror", None) or str(exc)) from None


def silence_stdout() -> None:
    """After stdout broke, point it at /dev/null so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)  # may itself be fd 1 when stdout was closed at start
        if devnull != 1:
            os.dup2(devnull, 1)
            os.close(devnull)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
