"""Limits on hostile input, in one place, each raisable with an environment
variable BUDGETAUDIT_LIMIT_<NAME> (0 = no limit where that makes sense).

Work that reads a PDF (check, cached re-check, inspect, HTML page crops) runs
in a child process under the per-document time limit and an address-space
limit (RLIMIT_AS), so a document can exhaust neither the machine nor the run.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
import warnings

from .errors import BudgetAuditError

DEFAULTS = {
    "MEMORY_MB": 1024,           # address space of a process that reads a PDF
    "TIMEOUT": 300,              # seconds per document when neither --timeout nor budgetaudit.yaml says
    "RULE_FILE_KB": 256,         # a rule, data, profile or config file
    "BASELINE_MB": 64,           # a baseline file
    "YAML_DEPTH": 32,            # nesting of lists and mappings in a YAML file
    "NUMBER_DIGITS": 30,         # digits of a number in a YAML file
    "STREAM_MB": 64,             # one decompressed PDF stream
    "PAGE_CHARS": 100_000,       # characters on one page
    "PAGE_LINES": 20_000,        # ruling lines and rectangles on one page
    "PAGE_SIDE": 14_400,         # points (200 inches, the PDF maximum) per page side
    "CROP_PIXELS": 4_000_000,    # pixels of one HTML page crop
}


def limit(name: str) -> int:
    """A limit, from BUDGETAUDIT_LIMIT_<NAME> when set to a whole number ≥ 0, else its default."""
    raw = os.environ.get(f"BUDGETAUDIT_LIMIT_{name}", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else DEFAULTS[name]


def apply_memory_limit() -> None:
    """Cap this process's address space (in a child process only: the cap cannot be raised again)."""
    megabytes = limit("MEMORY_MB")
    if not megabytes:
        return
    try:
        import resource

        cap = megabytes * 2**20
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # no RLIMIT_AS here (Windows, macOS): the time limit still holds


DEBUG = {"on": False}


def quiet_third_party(debug: bool) -> None:
    """pdfminer and friends log and warn on stderr; keep that for --debug."""
    DEBUG["on"] = debug
    if debug:
        return
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    logging.getLogger("pdfplumber").setLevel(logging.CRITICAL)
    logging.getLogger("PIL").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore")


def quiet_child() -> None:
    """In a child process: the address-space limit, and stderr closed unless --debug (a process
    that runs out of memory may print a fatal error; the parent reports it in one line)."""
    apply_memory_limit()
    if DEBUG["on"]:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


# ---------- running a step in a limited child process ----------

def _child(conn, func, args) -> None:
    quiet_child()
    try:
        message = ("ok", func(*args))
    except BudgetAuditError as exc:
        message = ("input", (exc.key, exc.fields))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a bug
        message = ("bug", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


class ChildBug(Exception):
    """A bug in the child process; str() is the type and message, .trace the traceback."""

    def __init__(self, text: str) -> None:
        head, _, self.trace = text.partition("\n")
        super().__init__(head)


def process_context():
    """fork where the platform has it (fast, shares the parsed rules), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_limited(func, *args, timeout: float, path) -> object:
    """func(*args) in a child process under the time and memory limits; input problems come back as BudgetAuditError."""
    context = process_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args), daemon=True)
    process.start()
    sender.close()
    try:
        status, value = receive(receiver, process, timeout, path)
    finally:
        receiver.close()
        process.kill()
        process.join()
    return unpack(status, value, path)


def receive(receiver, process, timeout: float, path):
    deadline = time.monotonic() + timeout if timeout else None
    while not receiver.poll(0.2):
        if not process.is_alive() and not receiver.poll(0):
            process.join()
            raise BudgetAuditError("crashed", path=path, code=process.exitcode)
        if deadline is not None and time.monotonic() > deadline:
            raise BudgetAuditError("timeout", path=path, seconds=timeout)
    try:
        return receiver.recv()
    except (EOFError, OSError):
        process.join(timeout=5)
        raise BudgetAuditError("crashed", path=path, code=process.exitcode) from None


def unpack(status: str, value, path):
    if status == "ok":
        return value
    if status == "input":
        key, fields = value
        raise BudgetAuditError(key, **fields)
    if status == "memory":
        raise BudgetAuditError("memory", path=path, limit=limit("MEMORY_MB"))
    raise ChildBug(value)
