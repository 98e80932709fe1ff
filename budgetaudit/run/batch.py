"""Checking many documents: one process per document, N at a time, each
with a time limit. A document that crashes its process or runs past the limit
becomes an `unreadable` result and the batch goes on. A document already in
the parse cache is checked in a process too: only the rules run, but a rule's
pattern must not hang the run, so the same time and memory limits hold."""
from __future__ import annotations

import sys
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable

from ..ingest.assemble import build_document
from ..ruleset.loading import RuleSet
from ..safe.errors import BudgetAuditError
from ..safe.limits import limit, process_context, quiet_child
from .cache import DocumentCache
from .engine import Result, check_parsed

DEFAULT_TIMEOUT = limit("TIMEOUT")  # seconds per document; 0 = no limit


def check_one(path: Path, ruleset: RuleSet, lang: str, cache: DocumentCache, doc=None, on_page=None) -> Result:
    """Parse (or take from the cache, or use `doc` already loaded from it) and check one PDF, timing both steps."""
    started = time.perf_counter()
    doc = doc if doc is not None else cache.load(path)
    cached = doc is not None
    if doc is None:
        try:
            doc = build_document(path, ruleset.catalog, on_page)
        except BudgetAuditError as exc:
            return Result(str(path), status="unreadable", error=exc.message(lang), error_key=exc.key)
        cache.store(path, doc)
    parsed = time.perf_counter()
    result = check_parsed(path, doc, ruleset, lang)
    result.stats.update(cached=cached, read_seconds=round(parsed - started, 3), rules_seconds=round(time.perf_counter() - parsed, 3))
    return result


def failed(path: Path, key: str, lang: str, **fields) -> Result:
    error = BudgetAuditError(key, path=path, **fields)
    return Result(str(path), status="unreadable", error=error.message(lang), error_key=key)


def guarded_check(path: Path, ruleset: RuleSet, lang: str, cache: DocumentCache, doc=None, on_page=None) -> Result:
    """check_one, with a bug in ingest or a rule turned into an unreadable result."""
    try:
        return check_one(path, ruleset, lang, cache, doc, on_page)
    except MemoryError:
        return failed(path, "memory", lang, limit=limit("MEMORY_MB"))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        result = failed(path, "internal", lang, detail=f"{type(exc).__name__}: {exc}")
        result.stats["traceback"] = traceback.format_exc()
        return result


def _worker(conn, path: Path, ruleset: RuleSet, lang: str, cache: DocumentCache, pages: bool = False) -> None:
    """Check one document in its own process; with `pages`, send ("page", n) after each page read, then the result."""
    quiet_child()
    on_page = (lambda number: conn.send(("page", number))) if pages else None
    conn.send(guarded_check(path, ruleset, lang, cache, on_page=on_page))
    conn.close()


def run_batch(paths: list[Path], ruleset: RuleSet, lang: str = "zh", jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
              cache: DocumentCache | None = None, done: Callable[[Result], None] | None = None,
              on_page: Callable[[int], None] | None = None) -> list[Result]:
    """Check every path; results come back in the order of `paths`. `on_page(n)` follows the pages read."""
    cache = cache or DocumentCache(None, None)
    done = done or (lambda result: None)
    if jobs <= 1 and not timeout and not limit("MEMORY_MB"):
        results = []
        for path in paths:
            results.append(guarded_check(path, ruleset, lang, cache, on_page=on_page))
            done(results[-1])
        return results
    return Scheduler(ruleset, lang, max(1, jobs), timeout, cache, done, on_page).run(paths)


class Scheduler:
    """Runs each document in its own process, at most `jobs` at once."""

    def __init__(self, ruleset, lang, jobs, timeout, cache, done, on_page=None) -> None:
        self.ruleset, self.lang, self.jobs, self.timeout, self.cache, self.done = ruleset, lang, jobs, timeout, cache, done
        self.on_page = on_page
        self.context = process_context()
        self.running: dict = {}  # connection -> (index, path, process, started)

    def run(self, paths: list[Path]) -> list[Result]:
        results: list[Result | None] = [None] * len(paths)
        queue = list(enumerate(paths))
        try:
            while queue or self.running:
                while queue and len(self.running) < self.jobs:
                    self.start(*queue.pop(0))  # parsing (or the rules on a cached model) under the time and memory limits
                for conn in wait(list(self.running), timeout=0.2):
                    self.collect(conn, results)
                self.expire(results)
        finally:
            for conn, (_, _, process, _) in list(self.running.items()):
                process.kill()
                conn.close()
        return results  # type: ignore[return-value]

    def start(self, index: int, path: Path) -> None:
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_worker, args=(sender, path, self.ruleset, self.lang, self.cache, self.on_page is not None), daemon=True)
        process.start()
        sender.close()
        self.running[receiver] = (index, path, process, time.monotonic())

    def finish(self, conn, results, result: Result) -> None:
        index, _, process, _ = self.running.pop(conn)
        conn.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
        results[index] = result
        self.done(result)

    def collect(self, conn, results) -> None:
        index, path, process, _ = self.running[conn]
        try:
            result = conn.recv()
        except (EOFError, OSError):
            process.join(timeout=5)
            result = failed(path, "crashed", self.lang, code=process.exitcode)
        if isinstance(result, tuple):  # ("page", n): a page was read, the result comes later
            self.on_page(result[1])
            return
        self.finish(conn, results, result)

    def expire(self, results) -> None:
        if not self.timeout:
            return
        now = time.monotonic()
        for conn, (_index, path, process, started) in list(self.running.items()):
            if now - started > self.timeout:
                process.kill()
                self.finish(conn, results, failed(path, "timeout", self.lang, seconds=self.timeout))


def print_tracebacks(results: list[Result]) -> None:
    for result in results:
        if result.stats.get("traceback"):
            sys.stderr.write(f"--- {result.path}\n{result.stats['traceback']}")
