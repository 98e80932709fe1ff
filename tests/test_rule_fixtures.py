"""Rule fixtures: beside every rule file rules/checks/<family>/<ID>.yaml, a file
rules/checks/<family>/fixtures/<ID>.yaml names documents where the rule fires and
documents where it stays silent (README, "Rules are YAML", Fixtures). Every rule must
have both; each case runs through the real pipeline (the PDF parsed with pdfplumber,
every default rule run) and the rule's findings are compared with the case."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import FIXTURE_DOCUMENT_KEYS, ROOT, default_ruleset, fixture_cases, fixture_findings, rule_run

from budgetaudit.checks import load_rules
from budgetaudit.safe.errors import RuleFileError
from budgetaudit.safe.yamlfile import Mapping, load_yaml

CASE_KEYS = {"why", "replace", "watermark", "key", "page", "severity", *FIXTURE_DOCUMENT_KEYS}
CHECKS = ROOT / "rules" / "checks"


def fixture_path(rule) -> Path:
    return rule.path.parent / "fixtures" / f"{rule.id}.yaml"


def all_rules() -> dict:
    ruleset = default_ruleset()
    return {**ruleset.rules, **ruleset.disabled}


def cases_of(data, verdict: str) -> list:
    cases = data.get(verdict) if isinstance(data, dict) else None
    return cases if isinstance(cases, list) else []


# --- the guard -------------------------------------------------------------------


def test_every_rule_has_a_firing_and_a_silent_fixture():
    lacking = []
    for rule_id, rule in sorted(all_rules().items()):
        path = fixture_path(rule)
        data = load_yaml(path) if path.is_file() else None
        missing = [verdict for verdict in ("fires", "silent") if not cases_of(data, verdict)]
        if missing:
            lacking.append(f"{rule_id} (no {' and no '.join(missing)} case in {path.relative_to(ROOT)})")
    assert not lacking, "rules without a firing and a silent fixture case: " + "; ".join(lacking)


def test_every_fixture_file_belongs_to_a_rule_beside_it():
    expected = {fixture_path(rule) for rule in all_rules().values() if str(rule.path).startswith(str(CHECKS))}
    orphans = [str(p.relative_to(ROOT)) for p in sorted(CHECKS.glob("*/fixtures/*")) if p not in expected]
    assert not orphans, f"fixture files of no rule in the folder above them: {orphans}"


def test_the_rule_loader_ignores_fixture_files(tmp_path):
    assert all("fixtures" not in rule.path.parts for rule in all_rules().values())
    folder = tmp_path / "my-rules"
    (folder / "fixtures").mkdir(parents=True)
    (folder / "MY-001.yaml").write_text((CHECKS / "table" / "T-COL-001.yaml").read_text(encoding="utf-8").replace("T-COL-001", "MY-001"), encoding="utf-8")
    (folder / "fixtures" / "MY-001.yaml").write_text("fires:\n- sample: anshan-zwfwzx-2025\nsilent: []\n", encoding="utf-8")
    assert "MY-001" in load_rules([folder]).rules  # a user's fixtures beside their rules are not read as rules


def case_problems(rule_id: str, verdict: str, index: int, case) -> list[str]:
    where = f"{rule_id} {verdict}[{index}]"
    if not isinstance(case, Mapping):
        return [f"{where}: a case is a mapping"]
    problems = [f"{where}: unknown key `{k}` (allowed: {', '.join(sorted(CASE_KEYS))})" for k in case if k not in CASE_KEYS]
    sources = [k for k in FIXTURE_DOCUMENT_KEYS if k in case]
    if len(sources) != 1:
        problems.append(f"{where}: name exactly one document ({', '.join(FIXTURE_DOCUMENT_KEYS)}), not {sources}")
    if "replace" in case and ("sample" not in case or not valid_edits(case["replace"])):
        problems.append(f"{where}: `replace:` edits a `sample:` seed, a list of [old, new] or [old, new, count]")
    if "test" in case:
        problems += [f"{where}: {p}" for p in node_problems(str(case["test"]), rule_id)]
        problems += [f"{where}: a `test:` case has no other key but `why`" for k in case if k not in ("test", "why")]
    return problems


def valid_edits(edits) -> bool:
    return isinstance(edits, list) and bool(edits) and all(
        isinstance(e, list) and len(e) in (2, 3) and all(isinstance(s, str) for s in e[:2]) and (len(e) == 2 or isinstance(e[2], int))
        for e in edits)


def node_problems(node: str, rule_id: str) -> list[str]:
    """A `test:` case names a test that exists (tests/<file>.py::<function>) and checks the rule."""
    file, _, name = node.partition("::")
    path = ROOT / file
    if not name or not path.is_file():
        return [f"`test: {node}` names no test file (tests/<file>.py::<test function>)"]
    source = path.read_text(encoding="utf-8")
    found = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name]
    if not found:
        return [f"`test: {node}`: {file} has no function {name}"]
    return [] if rule_id in (ast.get_source_segment(source, found[0]) or "") else [f"`test: {node}` does not name {rule_id}"]


def test_fixture_files_are_well_formed():
    problems = []
    for rule in all_rules().values():
        path = fixture_path(rule)
        if not path.is_file():
            continue
        try:
            data = load_yaml(path)
        except RuleFileError as exc:
            problems.append(str(exc))
            continue
        if not isinstance(data, Mapping) or set(data) - {"fires", "silent"}:
            problems.append(f"{rule.id}: a fixture file holds `fires:` and `silent:` lists only")
            continue
        for verdict in ("fires", "silent"):
            problems += [p for i, case in enumerate(cases_of(data, verdict)) for p in case_problems(rule.id, verdict, i, case)]
    assert not problems, "\n".join(problems)


# --- every case on the real pipeline ------------------------------------------------

CASES = [c for c in fixture_cases() if isinstance(c[3], dict) and "test" not in c[3]]


def case_id(case) -> str:
    rule_id, verdict, index, spec = case
    source = next((str(spec[k]) for k in ("sample", "real") if k in spec), "inline")
    return f"{rule_id}-{verdict}-{index}-{source[:24]}{'-edited' if spec.get('replace') else ''}"


@pytest.mark.parametrize("rule_id, verdict, index, case", CASES, ids=[case_id(c) for c in CASES])
def test_fixture_case(rule_id, verdict, index, case, fixture_documents):
    path = fixture_documents.path(case)
    found = fixture_findings(rule_id, case, path)
    if verdict == "fires":
        findings, skipped = rule_run(str(path))
        others = [(f.key, [loc.page for loc in f.locations]) for f in findings if f.rule == rule_id]
        reasons = [s.reason for s in skipped if s.rule == rule_id]
        assert found, f"{rule_id} did not fire as the case says ({case.get('why', '')}); its findings: {others}; skipped: {reasons}"
        assert all(f.locations or f.key == "coverage" for f in found), "a finding names where it is"
    else:
        assert not found, f"{rule_id} fired ({case.get('why', '')}): {[(f.key, f.message) for f in found]}"


VARIANT_FIRES = [(rule_id, index, case) for rule_id, verdict, index, case in CASES if verdict == "fires" and case.get("replace")]


@pytest.mark.parametrize("rule_id, index, case", VARIANT_FIRES, ids=[f"{r}-{i}" for r, i, _ in VARIANT_FIRES])
def test_a_variant_fires_because_of_its_edits(rule_id, index, case, fixture_documents):
    """The published sample gives no finding the variant's case would accept: the edits make it fire."""
    published = {k: v for k, v in case.items() if k != "replace"}
    assert not fixture_findings(rule_id, published, fixture_documents.path(published)), \
        f"{rule_id} already fires so on the published {case['sample']}: give the case a `key:` the edit alone produces"
