"""Every error-level finding on the real corpus and the samples has a reviewed verdict
(tests/real/verdicts.yaml), and none reviewed FALSE comes back.

An error blocks a publication, so each one was checked against the PDF page. A new
error finding fails here until somebody reviews it and records TRUE or FALSE with
evidence; a finding reviewed FALSE (a misreading) fails here if it reappears.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import REAL, REAL2, SAMPLE_NAMES, SAMPLES, findings_of, need_real, need_real2, parsed, real2_paths

VERDICTS = Path(__file__).parent / "verdicts.yaml"
# Misreadings reviewed FALSE that the build still reports, each left open with its class and reason
# (tests/real/open_false.yaml). Only these may be reported; every other FALSE finding fails here.
OPEN_FALSE = Path(__file__).parent / "open_false.yaml"
# The fold of real2 joins the verdict test once its first look at the end has been frozen and reviewed.
FOLD_MEASURED = (Path(__file__).parent / "firstlook" / "real2-fold-end.json").exists()


def load_verdicts() -> dict[tuple[str, str, str], dict]:
    entries = yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) or []
    return {(e["file"], e["rule"], str(e["key"])): e for e in entries}


def open_false() -> set[tuple[str, str, str]]:
    entries = yaml.safe_load(OPEN_FALSE.read_text(encoding="utf-8")) or [] if OPEN_FALSE.exists() else []
    return {(e["file"], e["rule"], str(e["key"])) for e in entries}


def test_open_misreadings_are_reviewed_false_and_say_why():
    """Each open misreading is a FALSE verdict, with the reason it is still reported."""
    verdicts = load_verdicts()
    for entry in yaml.safe_load(OPEN_FALSE.read_text(encoding="utf-8")) or []:
        key = (entry["file"], entry["rule"], str(entry["key"]))
        assert key in verdicts and verdict_of(verdicts[key]) == "FALSE", key
        assert entry.get("why"), f"{key}: say why it is still open"


def verdict_of(entry: dict) -> str:
    return "TRUE" if entry["verdict"] is True or str(entry["verdict"]).upper() == "TRUE" else "FALSE"


def document_paths() -> list[Path]:
    real = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    return [SAMPLES / f"{name}.pdf" for name in SAMPLE_NAMES] + real + real2_paths(include_fold=FOLD_MEASURED)


def test_real2_is_swept_or_skipped_with_a_message():
    """The corpus sweep covers ../shared/real2 where it is present (and says so where it is not)."""
    need_real2()
    assert any(p.parent == REAL2 for p in document_paths())


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


CORPUS_CASES = [pytest.param(p, marks=pytest.mark.corpus) if p.parent != SAMPLES else p for p in document_paths()]


@pytest.mark.parametrize("path", CORPUS_CASES, ids=lambda p: p.stem)
def test_error_findings_are_reviewed_and_true(path):
    if path.parent == REAL:
        need_real()
    if path.parent == REAL2:
        need_real2()
    verdicts, still_open = load_verdicts(), open_false()
    unreviewed, false = [], []
    for rule, key, message in reviewed_errors(error_findings(path)):
        entry = verdicts.get((path.stem, rule, key))
        if entry is None:
            unreviewed.append(f"{rule} {key}: {message[:120]}")
        elif verdict_of(entry) == "FALSE" and (path.stem, rule, key) not in still_open:
            false.append(f"{rule} {key}: reviewed FALSE ({entry.get('class')}): {entry['evidence'][:120]}")
    assert not false, "findings reviewed FALSE came back:\n" + "\n".join(false)
    assert not unreviewed, "error findings without a verdict (review against the page, add to verdicts.yaml):\n" + "\n".join(unreviewed)


FIGURE = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+|\d{3,}")
PAGE = re.compile(r"(?<![A-Za-z])p\.?\s?(\d{1,3})(?:\s*[-–]\s*p?(\d{1,3}))?")


def named_pages(evidence: str) -> set[int]:
    pages = set()
    for first, last in PAGE.findall(evidence):
        pages.update(range(int(first), int(last or first) + 1))
    return pages


def printed_forms(figure: str) -> set[str]:
    """A figure as it may be printed: with or without thousands separators, in 万元 or in 元."""
    plain = figure.replace(",", "")
    forms = {plain}
    if "." in plain:
        whole, decimals = plain.split(".")
        forms.add(str(int(whole) * 10000 + int((decimals + "0000")[:4])))  # 万元 → 元
    return forms


def page_text(path: Path, pages: set[int]) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "".join((pdf.pages[n - 1].extract_text() or "") for n in sorted(pages) if 0 < n <= len(pdf.pages)).replace(",", "").replace(" ", "")


def true_real2_verdicts() -> list[dict]:
    return [e for e in load_verdicts().values() if e.get("corpus") == "real2" and verdict_of(e) == "TRUE"]


@pytest.mark.corpus
@pytest.mark.parametrize("entry", true_real2_verdicts(), ids=lambda e: f"{e['file'][:24]}-{e['rule']}-{str(e['key'])[:30]}")
def test_true_verdict_figures_are_on_the_named_page(entry):
    """A TRUE verdict on real2 names its page(s) in `evidence`, and at least one figure it quotes in `figures`
    or `evidence` is printed there (as printed, without separators, or 万元 as 元)."""
    need_real2()
    path = REAL2 / f"{entry['file']}.pdf"
    pages = named_pages(entry["evidence"])
    assert pages, f"the evidence names no page: {entry['evidence'][:120]}"
    text = page_text(path, pages)
    if entry["rule"] == "R-READ-001":  # a page without a text layer (named in `figures`): nothing is printed there as text
        pages = named_pages(entry["figures"]) or pages
        assert not page_text(path, pages).strip(), f"p{sorted(pages)} has a text layer"
        return
    figures = FIGURE.findall(f"{entry['figures']} {entry['evidence']}")
    found = [f for f in figures if any(form in text for form in printed_forms(f))]
    assert found or not figures, f"none of {figures[:8]} is printed on p{sorted(pages)}"
