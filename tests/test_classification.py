"""The 政府收支分类科目 data (rules/classification/), its loader, its coverage of the real
documents' (code, name) pairs, and the C-CODE rules that use it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REAL, SAMPLE_NAMES, default_ruleset, fired, fixture_case, need_real, parsed, real_firings, rule_run, sample

from budgetaudit.ruleset.loading import default_rules_dir
from budgetaudit.safe.errors import RuleFileError
from budgetaudit.vocabulary.classification_codes import FILES, FOLDER, LEVELS, classification_of, load_classification, narrative_codes, normalize, printed_pairs

DATA = default_rules_dir() / FOLDER


@pytest.fixture(scope="module")
def data():
    return load_classification([default_rules_dir()])


# --- the data ----------------------------------------------------------------

def test_data_ships_inside_the_rule_folder(data):
    assert {p.name for p in DATA.glob("*.yaml")} == {name for name, _, _ in FILES.values()}
    assert classification_of(default_ruleset()).get("201").name == "一般公共服务支出"  # found from the loaded rule set
    assert len(data.entries) > 400


@pytest.mark.parametrize("system", sorted(FILES))
def test_codes_unique_levels_right_parents_present(data, system):
    filename, lengths, firsts = FILES[system]
    text = (DATA / filename).read_text(encoding="utf-8")
    written = re.findall(r'^\s+"(\d+)":', text, flags=re.M)
    assert len(written) == len(set(written)), [c for c in written if written.count(c) > 1]  # a duplicate key would silently win
    entries = [e for e in data.entries.values() if e.system == system]
    assert len(entries) == len(written)
    for entry in entries:
        assert len(entry.code) in lengths and entry.code[0] in firsts and entry.level in LEVELS.values()
        assert entry.name.strip() and normalize(entry.name), entry.code
        assert entry.source.startswith(("corpus: ", "domain knowledge: ")), entry.code
        if entry.parent:
            assert entry.parent in data.entries, f"{entry.code} {entry.name}: parent {entry.parent} missing"
        for former in entry.former:
            assert 2000 <= int(former["until"]) <= 2026 and normalize(former["name"]) != normalize(entry.name)
            if entry.since:
                assert int(former["until"]) < entry.since


def test_the_2019_renames(data):
    assert data.get("210").name == "卫生健康支出" and data.get("210").former[0]["name"] == "医疗卫生与计划生育支出"
    assert data.get("207").name == "文化旅游体育与传媒支出"
    assert data.get("20805").former[0] == {"name": "行政事业单位离退休", "until": 2018}
    assert data.get("30217").name == "公务接待费" and data.get("50101").name == "工资奖金津补贴"


@pytest.mark.parametrize("text, line, words", [
    ('codes:\n  "2011": {name: 错, source: x}\n', 2, "2011"),  # 4 digits: no level
    ('codes:\n  "301": {name: 工资福利支出, source: x}\n', 2, "301"),  # an economic code in the function file
    ('codes:\n  "201": {source: x}\n', 2, "name"),
    ('codes:\n  "201": {name: 一般公共服务支出, sorce: x}\n', 2, "sorce"),
])
def test_a_bad_entry_names_file_and_line(tmp_path, text, line, words):
    folder = tmp_path / "r" / FOLDER
    folder.mkdir(parents=True)
    (folder / "function.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_classification([tmp_path / "r"])
    assert info.value.path.endswith("function.yaml") and info.value.line == line and words in info.value.message()


def test_a_later_rule_folder_extends_the_data(tmp_path):
    folder = tmp_path / "mine" / FOLDER
    folder.mkdir(parents=True)
    (folder / "function.yaml").write_text('codes:\n  "2019901": {name: 测试科目, source: "corpus: x p.1"}\n', encoding="utf-8")
    merged = load_classification([default_rules_dir(), tmp_path / "mine"])
    assert merged.get("2019901").name == "测试科目" and merged.get("210").name == "卫生健康支出"


def test_names_compare_as_printed():
    assert normalize(" 其中：政府办公厅（室）及相关机构事务 ") == "政府办公厅(室)及相关机构事务"
    assert normalize("（一）卫生健康支出（类）") == "卫生健康支出"


def test_narrative_codes_join_the_levels():
    found = narrative_codes("（1）公共安全支出（204类）司法（06款）行政运行（01项）123.00万元")
    assert [(c, lvl) for c, lvl, _, _ in found] == [("204", "类"), ("20406", "款"), ("2040601", "项")]
    assert narrative_codes("（1）事业运行（2010350）136.87 万元")[0][:2] == ("2010350", "项")
    assert [c for c, *_ in narrative_codes("一般公共服务支出（类）信访事务（款）行政运行（项）")] == ["", "", ""]


# --- the corpus --------------------------------------------------------------

# Every printed pair whose name is not the data's, reviewed (REVIEW.md): (code, printed name) → verdict.
REVIEWED = {
    ("2010399", "其他政府办公厅及相关机构事务支出"): "document variant: （室） left out (汉中 2023)",
    ("2080505", "机关事业单位基本养老保险"): "document variant: abbreviated (汉中 2023)",
    ("2080505", "机关事业单位养老保险缴费支出"): "document variant: 基本 left out (永登 2024)",
    ("2080506", "机关事业单位职业年金"): "document variant: abbreviated (汉中 2023)",
    ("30108", "机关事业单位基本养老保险"): "document variant: abbreviated (汉中 2023)",
    ("30112", "其他社会保险缴费"): "document variant: 保险 for 保障 (汉中 2023)",
    ("30299", "其他商品服务支出"): "document variant: 和 left out (汉中 2023)",
    ("303", "对个人和家庭补助"): "document variant: 的 left out (烟台 2026, four documents)",
    ("30399", "其他对个人和家庭的补助支出"): "document variant: 支出 added (鞍山 2024, 2025)",
    ("31002", "资本性支出"): "document defect: 31002 printed with the name of its 类 310 (汉中 2023; C-CODE-001)",
}


def corpus_pairs():
    from pathlib import Path as _P

    paths = sorted(REAL.glob("*.pdf")) + [sample(n) for n in SAMPLE_NAMES]
    for path in paths:
        doc = parsed(str(path))
        for table in doc.tables:
            for pair in printed_pairs(table):
                yield _P(path).name, pair


def test_corpus_pairs_known_and_every_disagreement_reviewed(data):
    need_real()
    pairs, known, agree, differ = 0, 0, 0, set()
    for _, pair in corpus_pairs():
        pairs += 1
        entry = data.get(pair.code)
        if entry is None:
            continue
        known += 1
        if normalize(pair.name) in entry.names():
            agree += 1
        else:
            differ.add((pair.code, normalize(pair.name)))
    assert pairs > 3000
    assert known / pairs >= 0.99 and agree / pairs >= 0.98, (pairs, known, agree)
    assert differ == {(c, normalize(n)) for c, n in REVIEWED}, "review the new disagreement (bench/classification.py) and add it to REVIEWED and REVIEW.md"


# --- the rules ---------------------------------------------------------------


# Where each C-CODE rule fires and stays silent is in rules/checks/classification/fixtures/
# (tests/test_rule_fixtures.py); these check the figures of the fixture cases' findings.

def case_findings(fixture_documents, rule_id: str, verdict: str = "fires", index: int = 0) -> list:
    path = fixture_documents.path(fixture_case(rule_id, verdict, index))
    return [f for f in rule_run(str(path))[0] if f.rule == rule_id]


def test_other_name_found_in_hanzhong_and_silent_once_corrected(fixture_documents):
    found = fired(sample("hanzhong-zwfw-2023"), "C-CODE-001")
    assert [(f.expected, f.actual, f.locations[0].page) for f in found] == [("31002 办公设备购置", "31002 资本性支出", 15)]
    assert not case_findings(fixture_documents, "C-CODE-001", "silent")  # 31002 printed with its own name


def test_other_name_fires_on_a_shifted_name(fixture_documents):
    found = case_findings(fixture_documents, "C-CODE-001")
    assert [(f.expected, f.actual, f.difference) for f in found] == [("30201 办公费", "30201 印刷费", "印刷费 = 30202")]
    assert found[0].severity == "warning" and found[0].locations[0].page


def test_outdated_name_fires_on_an_old_class_name(fixture_documents):
    found = case_findings(fixture_documents, "C-CODE-002")
    assert len(found) == 1 and found[0].expected == "210 卫生健康支出" and found[0].actual == "210 医疗卫生与计划生育支出"
    assert "2018" in found[0].message and "2025" in found[0].message and len(found[0].locations) >= 2


def test_narrative_name_fires_on_a_code_with_a_sibling_name(fixture_documents):
    found = case_findings(fixture_documents, "C-CODE-003")
    assert [(f.expected, f.actual) for f in found] == [("2010350 事业运行", "2010350 行政运行")]


def test_outdated_name_in_the_narrative():
    """国家信访局 2024 决算 p.22 (名词解释): 社会保障和就业（类）行政事业单位离退休（款）… while its
    tables print 20805 行政事业单位养老支出, the name since 2019. 上海信访 p.6 says 行政事业单位离退休
    人员经费, a general phrase with no （款）: silent."""
    need_real()
    found = fired(REAL / "cn-central_2024_国家信访局_部门决算.pdf", "C-CODE-004")
    assert [(f.expected, f.actual, f.locations[0].page) for f in found] == [("20805 行政事业单位养老支出", "行政事业单位离退休", 22)]
    assert not fired(REAL / "cn-shanghai_2026_上海市信访局_部门预算.pdf", "C-CODE-004")


def test_outdated_name_in_a_narrative_variant(fixture_documents):
    found = case_findings(fixture_documents, "C-CODE-004")
    assert [(f.expected, f.actual) for f in found] == [("210 卫生健康支出", "医疗卫生与计划生育支出")]


# Every C-CODE finding on ../shared/real, reviewed against the page.
REAL_FINDINGS = {"cn-central_2024_国家信访局_部门决算": ["C-CODE-004 narrative_outdated|20805|行政事业单位离退休"],
                 # a 2019 budget whose 款 printed with 2 digits (「05 行政事业单位离退休」 under 208) is read since stop 19:
                 # the pre-2019 name in a 2019 document, reviewed TRUE against 表5
                 "cn-xian_2026_西安市应急管理局_部门预算": ["C-CODE-002 outdated_name|20805|行政事业单位离退休"]}


def test_every_real_finding_reviewed():
    found = real_firings(("C-CODE-001", "C-CODE-002", "C-CODE-003", "C-CODE-004"), lambda f: f"{f.rule} {f.key}")
    assert found == REAL_FINDINGS


def test_benchmark_prints_coverage():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "bench" / "classification.py"), str(root / "samples")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    known = re.search(r"pairs whose code is known: (\d+) / (\d+)", result.stdout)
    assert known and int(known.group(2)) > 200 and int(known.group(1)) == int(known.group(2))
    assert "differs | 31002 | 资本性支出 | 办公设备购置 | hanzhong-zwfw-2023.pdf | 15" in result.stdout


def test_every_corpus_source_has_its_file_and_page():
    """An entry seen in the corpus has the file and page that print it in tests/real/classification_sources.tsv
    (the shipped data names no file of the corpus)."""
    rows = (Path(__file__).resolve().parent / "real" / "classification_sources.tsv").read_text(encoding="utf-8").splitlines()[1:]
    listed = {(system, code) for system, code, _file, _page in (r.split("\t") for r in rows)}
    data = classification_of(default_ruleset())
    from_corpus = {(e.system, e.code) for e in data.entries.values() if e.source.startswith("corpus: ")}
    assert from_corpus and from_corpus <= listed, sorted(from_corpus - listed)[:10]
