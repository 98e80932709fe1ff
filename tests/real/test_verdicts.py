"""Every error-level finding on the real corpus and the samples has a reviewed verdict
(tests/real/verdicts.yaml), and none reviewed FALSE comes back.

An error blocks a publication, so each one was checked against the PDF page. A new
error finding fails here until somebody reviews it and records TRUE or FALSE with
evidence; a finding reviewed FALSE (a misreading) fails here if it reappears.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REAL, SAMPLE_NAMES, SAMPLES, findings_of, need_real, parsed

VERDICTS = Path(__file__).parent / "verdicts.yaml"


def load_verdicts() -> dict[tuple[str, str, str], dict]:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or []
    return {(e["file"], e["rule"], str(e["key"])): e for e in entries}


def verdict_of(entry: dict) -> str:
    return "TRUE" if entry["verdict"] is True or str(entry["verdict"]).upper() == "TRUE" else "FALSE"


def document_paths() -> list[Path]:
    real = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    return [SAMPLES / f"{name}.pdf" for name in SAMPLE_NAMES] + real


def error_findings(path: Path) -> list:
    doc = parsed(str(path))
    if len(doc.textless_pages) == doc.pages:
        return []
    return [f for f in findings_of(str(path)) if f.severity == "error"]


def test_verdict_file_is_well_formed():
    for key, entry in load_verdicts().items():
        assert verdict_of(entry) in ("TRUE", "FALSE") and str(entry["verdict"]).upper() in ("TRUE", "FALSE"), key
        assert entry.get("evidence"), f"{key}: a verdict needs evidence"
        if verdict_of(entry) == "FALSE":
            assert entry.get("class"), f"{key}: a FALSE verdict names its class of misreading"


def reviewed_errors(findings) -> list[tuple[str, str, str]]:
    """(rule, key, message) of each error finding and of the error findings merged into it (merge.py):
    a merged finding matches its primary's verdict, and no FALSE one may hide inside it."""
    return [item for f in findings for item in [(f.rule, f.key, f.message)]
            + [(m["rule"], m["key"], m["message"]) for m in f.merged if m["severity"] == "error"]]


@pytest.mark.parametrize("path", document_paths(), ids=lambda p: p.stem)
def test_error_findings_are_reviewed_and_true(path):
    if path.parent == REAL:
        need_real()
    verdicts = load_verdicts()
    unreviewed, false = [], []
    for rule, key, message in reviewed_errors(error_findings(path)):
        entry = verdicts.get((path.stem, rule, key))
        if entry is None:
            unreviewed.append(f"{rule} {key}: {message[:120]}")
        elif verdict_of(entry) == "FALSE":
            false.append(f"{rule} {key}: reviewed FALSE ({entry.get('class')}): {entry['evidence'][:120]}")
    assert not false, "findings reviewed FALSE came back:\n" + "\n".join(false)
    assert not unreviewed, "error findings without a verdict (review against the page, add to verdicts.yaml):\n" + "\n".join(unreviewed)
