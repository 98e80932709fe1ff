"""Folder walks without recursion: any depth, symlink loops visited once,
unreadable folders and non-regular files skipped with a note."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from .errors import printable


def walk(root: Path, suffix: str, note: Callable[[str], None]) -> list[Path]:
    """Files under `root` whose name ends in `suffix` (any case), sorted; folders reached twice are walked once."""
    found, seen, stack = [], set(), [str(root)]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                note(f"跳过已访问的文件夹（符号链接循环）/ skipped a folder already visited (symlink loop): {printable(folder)}")
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            note(f"跳过无法读取的文件夹 / skipped an unreadable folder: {printable(folder)} ({exc.strerror or exc})")
            continue
        stack += [e.path for e in reversed(entries) if is_dir(e)]
        found += [Path(e.path) for e in entries if e.name.lower().endswith(suffix) and not is_dir(e)]
    return sorted(found)


def is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; loops are caught by the (device, inode) set
    except OSError:
        return False


def regular_only(paths: list[Path], note: Callable[[str], None]) -> list[Path]:
    kept = []
    for path in paths:
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            regular = False
        if regular:
            kept.append(path)
        else:
            note(f"跳过非普通文件 / skipped, not a regular file: {printable(path)}")
    return kept


def find_pdfs(root: Path, note: Callable[[str], None]) -> list[Path]:
    return regular_only(walk(root, ".pdf", note), note)


def yaml_files(root: Path) -> list[Path]:
    """Rule files: non-regular ones are kept so that loading them says why they cannot be used."""
    return walk(root, ".yaml", lambda text: None)
