"""Publication gate on the real published disclosures (../shared/real): every
error-level P-* finding is pinned here and was checked against the PDF
(tests/real/REVIEW.md). A change that adds or loses one fails loudly.
Skips when ../shared/real is absent."""
from __future__ import annotations

from functools import lru_cache

import pytest
from conftest import REAL, default_ruleset, need_real, parsed

from budgetaudit.run.engine import run_rules

# file stem → error-level P-* findings (rule key), each a real problem in the published file
REAL_ERRORS = {
    "cn-beijing_2026_北京市应急管理局_部门预算情况说明": set(),
    "cn-beijing_2026_北京市重大项目建设指挥部办公室_部门预算报表": set(),
    "cn-central_2024_国家信访局_部门决算": set(),
    "cn-central_2026_国家信访局_部门预算": set(),
    "cn-changchun_2026_长春市信访局_部门预算": {  # its 目录 section 「三、部门预算基本情况」 without a body heading is a warning now
        "P-EMPTY-001 empty-unexplained|gov_fund_expenditure|本年政府性基金预算支出表（预算表8）",
        "P-EMPTY-001 empty-unexplained|state_capital_expenditure|国有资本经营预算支出明细表（预算表10）",
    },
    "cn-changsha_2026_长沙市信访局_部门预算": set(),
    "cn-chongqing_2026_重庆市气象局_部门预算": {"P-ID-002 year|text|2025年“三公”经费预算"},
    "cn-fuzhou_2026_福州市公安局文职人员管理中心_单位预算": set(),
    "cn-guangzhou_2026_广州市信访局_部门预算": set(),
    "cn-hangzhou_2026_杭州市气象局_部门预算": set(),
    "cn-shanghai_2026_上海市域外农场管理办公室_单位预算": set(),  # its empty 基本支出 table agrees with the other tables' 0: a warning
    "cn-shenzhen_2026_深圳市人民政府口岸办公室_部门预算": set(),
    "cn-suzhou_2026_苏州市审计局_部门预算": set(),
    "cn-yantai_2026_烟台市大数据局_部门预算": set(),
    "sh-putuo_fuban_2025_bumen-yusuan": set(),
}


@lru_cache(maxsize=None)
def gate_of(name: str):
    return [f for f in run_rules(parsed(str(REAL / f"{name}.pdf")), default_ruleset())[0] if f.rule.startswith("P-")]


def real(name: str) -> None:
    need_real()
    if not (REAL / f"{name}.pdf").exists():
        pytest.skip(f"{name}.pdf not found in {REAL}")


@pytest.mark.parametrize("name", sorted(REAL_ERRORS))
def test_gate_errors_on_real_files_are_the_reviewed_ones(name):
    real(name)
    errors = {f"{f.rule} {f.key}" for f in gate_of(name) if f.severity == "error"}
    assert errors == REAL_ERRORS[name], "P-* errors changed: review against the PDF (tests/real/REVIEW.md)"


def test_tables_published_as_separate_attachment_are_info_not_errors():
    """北京 情况说明: the 目录 lists 14 tables; the body says they are 附件 (a separate file)."""
    name = "cn-beijing_2026_北京市应急管理局_部门预算情况说明"
    real(name)
    toc = [f for f in gate_of(name) if f.rule in ("P-TOC-001", "P-REQ-001")]
    assert sorted((f.rule, f.severity) for f in toc) == [("P-REQ-001", "info"), ("P-TOC-001", "info")]
    assert all(f.locations[0].page == 10 for f in toc)


def test_tables_only_file_reports_missing_narrative_once():
    name = "cn-beijing_2026_北京市重大项目建设指挥部办公室_部门预算报表"
    real(name)
    sections = [f for f in gate_of(name) if f.rule == "P-REQ-002"]
    assert [(f.severity, f.key) for f in sections] == [("info", "sections|no-narrative")]


def test_final_accounts_use_their_own_profile():
    name = "cn-central_2024_国家信访局_部门决算"
    real(name)
    assert not [f for f in gate_of(name) if f.rule == "P-REQ-001"]


def test_unit_name_suffix_and_heading_variants_are_not_findings():
    """长春市信访局（本级） on the cover vs 长春市信访局 in the tables; （预算表N） titles; 福州's doubled titles."""
    for name in ("cn-changchun_2026_长春市信访局_部门预算", "cn-fuzhou_2026_福州市公安局文职人员管理中心_单位预算"):
        real(name)
        rules = {f.rule for f in gate_of(name)}
        assert "P-ID-001" not in rules and "P-TOC-002" not in rules and "P-TOC-003" not in rules
