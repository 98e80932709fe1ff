"""Fixes are classes, never files: nothing the package runs or ships (budgetaudit/, rules/) names a
file or a place of the real corpus. The names come from ../shared/real/INDEX.tsv: the file stems and
the city (or district) each department belongs to. Provenance and review evidence that must name
them live under tests/real/ (verdicts.yaml, classification_sources.tsv, CLASSIFICATION_REVIEW.md)."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import REAL, ROOT, need_real

PLACE = re.compile(r"^(.{2,3}?)(?:市|区)")  # 北京市应急管理局 → 北京, 普陀区… → 普陀
NATIONAL = {"国家"}  # the central departments' prefix names no place


def corpus_names() -> set[str]:
    need_real()
    names = set()
    for line in (REAL / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t")
        names.add(Path(fields[0]).stem.removeprefix("SCANNED_"))
        names.add(fields[0].split("_")[0].removeprefix("SCANNED_"))  # cn-beijing
        match = PLACE.match(fields[2]) if len(fields) > 2 else None
        if match and match.group(1) not in NATIONAL:
            names.add(match.group(1))
    return {n for n in names if len(n) >= 2}


def shipped_files() -> list[Path]:
    return [p for folder in ("budgetaudit", "rules") for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".md", ".tsv", ".csv"}]


def test_the_corpus_names_are_read():
    names = corpus_names()
    assert {"北京", "cn-beijing"} <= names and len(names) > 40


def test_no_shipped_file_names_the_real_corpus():
    names = sorted(corpus_names(), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, names)))
    found = [f"{p.relative_to(ROOT)}:{n}: {m.group(0)}" for p in shipped_files()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1) if (m := pattern.search(line))]
    assert not found, "a fix names a file or place of the real corpus:\n" + "\n".join(found[:40])
