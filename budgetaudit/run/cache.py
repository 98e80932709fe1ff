"""Parsed documents cached by file hash and parser version.

Parsing is the slow step; rules are fast. A cache entry is the pickled
document model, keyed by the SHA-256 of the PDF bytes, the parser version (a
hash of the ingest source files) and the table catalog (tables.yaml decides
table kinds and column keys, so editing it invalidates the entry). Editing
check rules does not: re-checking 500 cached documents takes seconds.

The folder is $BUDGETAUDIT_CACHE, else $XDG_CACHE_HOME/budgetaudit, else
~/.cache/budgetaudit. Entries are written to a temporary file and renamed, so
parallel workers never read half an entry; an unreadable entry is ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from .. import __version__
from ..vocabulary.layout_patterns import LAYOUT_FILE
from ..vocabulary.shipped import default_rules_dir

PARSER_FILES = ("ingest/reader.py", "ingest/assemble.py", "vocabulary/table_catalog.py", "model/document.py", "ingest/sentences.py", "model/quantity.py", "ingest/outline.py", "vocabulary/layout_patterns.py", "model/text.py")


def cache_dir() -> Path:
    if os.environ.get("BUDGETAUDIT_CACHE"):
        return Path(os.environ["BUDGETAUDIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "budgetaudit"


@lru_cache(maxsize=1)
def parser_version() -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent.parent  # budgetaudit/: PARSER_FILES are relative to the package
    for name in PARSER_FILES:
        digest.update((here / name).read_bytes())
    digest.update((default_rules_dir() / LAYOUT_FILE).read_bytes())  # the layout vocabulary ingest reads
    return digest.hexdigest()[:16]


def file_hash(path: Path) -> str:
    stat = path.stat()
    if not S_ISREG(stat.st_mode):
        raise OSError(f"not a regular file: {path}")  # a FIFO would block, /dev/zero never end
    return content_hash(str(path), (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


@lru_cache(maxsize=4096)
def content_hash(path: str, identity: tuple) -> str:
    """SHA-256 of a file, remembered while its inode, size and times stay the same
    (a file replaced by `cp -p` keeps its mtime but gets a new ctime)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def catalog_hash(catalog) -> str:
    return hashlib.sha256(pickle.dumps(catalog, protocol=4)).hexdigest()[:16]


class DocumentCache:
    def __init__(self, folder: Path | None, catalog) -> None:
        self.folder = folder
        self.salt = f"{parser_version()}-{catalog_hash(catalog)}" if folder else ""

    def entry(self, path: Path) -> Path | None:
        if self.folder is None:
            return None
        try:
            return self.folder / f"{file_hash(path)}-{self.salt}.pickle"
        except OSError:
            return None

    def load(self, path: Path):
        entry = self.entry(path)
        if entry is None or not entry.is_file():
            return None
        try:
            with entry.open("rb") as handle:
                return pickle.load(handle)  # noqa: S301 - the user's own cache folder
        except Exception:  # a damaged entry is a miss, never an error
            return None

    def store(self, path: Path, doc) -> None:
        entry = self.entry(path)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=entry.parent)
            with os.fdopen(handle, "wb") as out:
                pickle.dump(doc, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, entry)
        except OSError:
            pass  # a read-only or full cache folder only costs speed
