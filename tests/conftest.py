"""Shared fixtures: paths to samples, seeds and real PDFs; parsed documents cached per session."""
from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
REAL2 = SHARED / "real2"  # 152 more real PDFs; tests/real/fold.txt lists the held-aside fold among them
FOLD = Path(__file__).resolve().parent / "real" / "fold.txt"
SAMPLE_NAMES = ["anshan-zwfwzx-2025", "dashuju-2024", "yongdeng-zwfw-2024", "hanzhong-zwfw-2023", "yangcheng-zwfw-2025"]


def need_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SEEDS}: variant PDFs cannot be built")


def need_real() -> None:
    need_folder(REAL, "real-PDF tests skipped")


def need_real2() -> None:
    need_folder(REAL2, "tests on the second real corpus skipped")


def need_folder(folder: Path, what: str) -> None:
    if not folder.is_dir():
        pytest.skip(f"../shared/{folder.name} not found at {folder}: {what}")


def corpus_file(folder: Path, stem: str) -> Path:
    """<folder>/<stem>.pdf of a shared corpus (skipped where the folder or the file is missing)."""
    need_folder(folder, "real-PDF tests skipped")
    path = folder / f"{stem}.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


def fold_names() -> set[str]:
    """Stems of the held-aside fold of real2 (tests/real/fold.txt)."""
    return {Path(line.strip()).stem for line in FOLD.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def real2_paths(include_fold: bool = False) -> list[Path]:
    """The real2 PDFs, without the held-aside fold unless asked ([] where ../shared/real2 is absent)."""
    if not REAL2.is_dir():
        return []
    fold = set() if include_fold else fold_names()
    return [p for p in sorted(REAL2.glob("*.pdf")) if p.stem not in fold]


def real2_path(stem: str) -> Path:
    """../shared/real2/<stem>.pdf (skipped where the folder or the file is missing)."""
    return corpus_file(REAL2, stem)


@lru_cache(maxsize=1)
def sample_builder():
    """samples/build.py loaded as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("sample_build", SAMPLES / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["sample_build"] = module
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def default_ruleset():
    from budgetaudit.checks import load_rules

    return load_rules()


@lru_cache(maxsize=None)
def parsed(path: str):
    from budgetaudit.ingest.assemble import build_document

    return build_document(Path(path), default_ruleset().catalog)


@lru_cache(maxsize=None)
def findings_of(path: str):
    """Findings of the default rules on a parsed document, once per session."""
    from budgetaudit.run.engine import run_rules

    return run_rules(parsed(path), default_ruleset())[0]


@lru_cache(maxsize=None)
def checked(path: str, lang: str = "zh"):
    from budgetaudit.run.engine import check_document

    return check_document(Path(path), default_ruleset(), lang)


def seed_text(name: str) -> str:
    """Seed text for a sample name, via the generator's mapping."""
    need_seeds()
    builder = sample_builder()
    for seed_file, sample in builder.SAMPLES.items():
        if Path(sample["name"]).stem == name:
            return (SEEDS / seed_file).read_text(encoding="utf-8")
    raise KeyError(name)


def build_variant(tmp_path: Path, name: str, replacements, watermark=None) -> Path:
    """A sample PDF rebuilt from its seed with text replacements (each must occur in the seed)."""
    text = seed_text(name)
    for item in replacements:
        old = item[0]
        assert old in text, f"replacement target {old!r} not in seed of {name}"
    out = tmp_path / f"{name}-variant.pdf"
    sample_builder().build_pdf(text, out, watermark=watermark, replacements=list(replacements))
    return out


@pytest.fixture(scope="session")
def ruleset():
    return default_ruleset()


def sample(name: str) -> Path:
    return SAMPLES / f"{name}.pdf"


def fired(doc_or_path, rule_id: str, ruleset=None) -> list:
    """The findings one rule gives on a document (its Skips left out)."""
    from budgetaudit.checks import run_rule
    from budgetaudit.checks.base import Context

    ruleset = ruleset or default_ruleset()
    doc = parsed(str(doc_or_path)) if isinstance(doc_or_path, (str, Path)) else doc_or_path
    rule = ruleset.rules[rule_id]
    return [f for f in run_rule(Context(doc, ruleset), rule) if hasattr(f, "message")]


def real_path(stem: str) -> Path:
    """../shared/real/<stem>.pdf (skipped where the folder or the file is missing)."""
    return corpus_file(REAL, stem)


def error_keys(path: Path) -> set[tuple[str, str]]:
    """(rule, key) of every error finding on a document, the findings merged into another included."""
    return {(f.rule, str(f.key)) for f in with_merged(checked(str(path)).findings) if f.severity == "error"}


def real_document(stem: str):
    """The parsed real file ../shared/real/<stem>.pdf (skipped where the folder or the file is missing)."""
    return parsed(str(real_path(stem)))


def altered(doc, old: str, new: str):
    """A copy of a parsed document with one sentence's text changed, the way bench/mutate.py
    changes it: the first sentence holding `old` (spaces ignored) gets `new` in its place."""
    import copy

    doc = copy.deepcopy(doc)
    hits = [s for s in doc.sentences if old in s.text.replace(" ", "")]
    assert hits, old
    hits[0].text = hits[0].text.replace(" ", "").replace(old, new)
    return doc


def real_firings(rule_ids, describe) -> dict[str, list[str]]:
    """{real PDF stem: [describe(finding)…]} for the given rules on every readable real PDF."""
    need_real()
    found: dict[str, list[str]] = {}
    for path in sorted(REAL.glob("*.pdf")):
        doc = parsed(str(path))
        if len(doc.textless_pages) == doc.pages:
            continue
        for rule_id in rule_ids:
            for finding in fired(doc, rule_id):
                found.setdefault(path.stem, []).append(describe(finding))
    return found


def run_on_a_terminal(args: list[str], env: dict):
    """Run the CLI with stderr on a pseudo-terminal: (process, bytes written to the terminal)."""
    import os
    import pty
    import subprocess

    master, slave = pty.openpty()
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=300)
    os.close(slave)
    seen = b""
    try:
        while chunk := os.read(master, 65536):
            seen += chunk
    except OSError:
        pass
    os.close(master)
    return proc, seen


# --- rule fixtures (rules/checks/<family>/fixtures/<ID>.yaml; README "Rules are YAML", Fixtures) ---

FIXTURE_DOCUMENT_KEYS = ("sample", "real", "text", "test")  # exactly one per case: the document it names


@lru_cache(maxsize=None)
def rule_run(path: str):
    """(findings, skipped) of the default rules on a parsed document, once per session."""
    from budgetaudit.run.engine import run_rules

    return run_rules(parsed(path), default_ruleset())


class FixtureDocuments:
    """The PDF each fixture case names: a published sample as shipped, a sample rebuilt from its
    seed with the case's `replace:` edits, an inline seed `text:`, or a real file. Each document
    is built once per session, so the cases naming it share one parse."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.built: dict[str, Path] = {}

    def path(self, case) -> Path:
        if "real" in case:
            return real_path(str(case["real"]))
        if "sample" in case and not case.get("replace"):
            return sample(str(case["sample"]))
        key = repr((case.get("sample"), case.get("text"), case.get("replace"), case.get("watermark")))
        if key not in self.built:
            self.built[key] = self.build(case, self.folder / f"doc{len(self.built)}")
        return self.built[key]

    def build(self, case, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        watermark = case.get("watermark")
        if "text" in case:
            return sample_builder().build_pdf(str(case["text"]), folder / "inline.pdf", watermark=watermark)
        edits = [tuple(item) for item in case["replace"]]
        return build_variant(folder, str(case["sample"]), edits, watermark=watermark)


@pytest.fixture(scope="session")
def fixture_documents(tmp_path_factory):
    return FixtureDocuments(tmp_path_factory.mktemp("rule-fixtures"))


def fixture_cases(rule_ids=None):
    """[(rule id, "fires" | "silent", index, case)] from the fixture file beside each rule."""
    from budgetaudit.safe.yamlfile import load_yaml

    cases = []
    for rule_id, rule in sorted(default_ruleset().rules.items()):
        path = rule.path.parent / "fixtures" / f"{rule_id}.yaml"
        if (rule_ids and rule_id not in rule_ids) or not path.is_file():
            continue
        data = load_yaml(path)
        for verdict in ("fires", "silent"):
            for index, case in enumerate((data or {}).get(verdict) or []):
                cases.append((rule_id, verdict, index, case))
    return cases


def fixture_findings(rule_id: str, case, path: Path) -> list:
    """The rule's findings on the document that match the case's `key:`, `page:` and `severity:`."""
    return [f for f in with_merged(rule_run(str(path))[0]) if f.rule == rule_id
            and ("key" not in case or f.key == str(case["key"]))
            and ("severity" not in case or f.severity == case["severity"])
            and ("page" not in case or any(loc.page == case["page"] for loc in f.locations))]


def with_merged(findings: list) -> list:
    """The findings and, for a finding that absorbed others of the same cause (merge.py), each
    absorbed one too (with the merged finding's figures and locations, the same cause's): a rule
    fired even where its finding was folded into another's."""
    from types import SimpleNamespace

    out = list(findings)
    for f in findings:
        out += [SimpleNamespace(**{**vars(f), "rule": m.get("rule"), "key": m.get("key"), "severity": m.get("severity"),
                                   "message": m.get("message"), "merged": []}) for m in f.merged]
    return out


def fixture_case(rule_id: str, verdict: str, index: int = 0):
    """One case of a rule's fixture file, for a test that checks more of its findings
    (build it with the session's `fixture_documents`, so the PDF is built once)."""
    (case,) = [c for r, v, i, c in fixture_cases({rule_id}) if v == verdict and i == index]
    return case
