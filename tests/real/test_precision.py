"""One regression test per class of false alarm found on unseen real documents (issue 12),
each beside a document where the same rule still fires on a real inconsistency.

Every case names the class of layout or wording it guards, never a department: the real
page is only where the class was first seen. tests/real/verdicts.yaml holds the review of
every error finding; these tests say which mechanism keeps each class away.
"""
from __future__ import annotations

import pytest
from conftest import SAMPLES, findings_of, real_path

# (class, file stem, rule, substring of the key, expected: "absent" | a severity)
CASES = [
    # document kind: a notice filed as 部门预算 is not held to the disclosure rules
    ("not a disclosure", "cn-jinan_2026_济南市应急管理局_部门预算", "P-REQ-001", "", "absent"),
    ("not a disclosure", "cn-jinan_2026_济南市应急管理局_部门预算", "R-READ-005", "not-disclosure", "warning"),
    ("not a disclosure: a draft word in a regulation's prose", "cn-mianyang_2026_绵阳市政府办公厅_部门预算", "P-DRAFT-001", "", "absent"),
    ("a 情况说明 without its 报表 (two PDFs)", "cn-beijing_2026_北京市司法局_部门预算", "P-REQ-001", "required-tables-elsewhere", "info"),
    ("a 情况说明 without its 报表 (two PDFs)", "cn-beijing_2026_北京市司法局_部门预算", "P-TOC-001", "toc-absent|", "absent"),
    ("still fires: a disclosure that lacks tables", "dashuju-2024", "P-REQ-001", "required|income_summary", "error"),
    # sentence structure: a rate belongs to the amount of its own clause
    ("rate pinned to the paragraph total", "cn-xian_2026_西安市政务服务和数据管理局_部门预算", "N-RATE-001", "", "absent"),
    ("rate pinned to the clause before", "cn-quanzhou_2026_泉州市人民政府办公室_部门预算", "N-RATE-001", "", "absent"),
    ("stated base: the change amount is the wrong figure", "cn-beijing_2026_北京市司法局_部门预算", "N-RATE-001", "expenditure_total|change|1476.73", "error"),
    ("still fires: a rate no reading gives", "cn-central_2026_国家信访局_部门预算", "N-RATE-001", "1391.68|333.83|31.35", "error"),
    # fund scope and classification system
    ("fund scope: 一般公共预算 section vs all funds", "cn-hangzhou_2026_杭州市公安局_部门预算", "N-CONTRA-001", "", "absent"),
    ("fund scope: 一般公共预算 section vs all funds", "cn-hangzhou_2026_杭州市公安局_部门预算", "N-TIE-001", "", "absent"),
    ("fund scope: 项目支出 of all funds vs 一般公共预算 table", "cn-shenzhen_2026_深圳市民政局_部门预算", "N-TIE-001", "", "absent"),
    ("classification: 301 vs 501", "cn-xian_2026_西安市商务局_部门预算", "N-CONTRA-001", "", "absent"),
    ("level: 三公 小计 vs a 合计 with 会议费/培训费", "cn-xian_2026_西安市政务服务和数据管理局_部门预算", "N-TIE-001", "sangong", "absent"),
    ("still fires: a narrative figure no table gives", "cn-central_2026_国家信访局_部门预算", "N-TIE-001", "fiscal_total|18728.91", "error"),
    ("still fires: one concept, two figures", "yongdeng-zwfw-2024", "N-CONTRA-001", "basic|89.05|137.05", "error"),
    # lists
    ("bracketed sub-items are not parts of their own", "cn-guangzhou_2026_广州市气象局_部门预算", "N-ENUM-001", "", "absent"),
    ("主要包括: parts may fall short", "cn-shenzhen_2026_深圳市卫生健康委员会_部门预算", "N-ENUM-001", "", "absent"),
    ("still fires: parts that do not add up", "yongdeng-zwfw-2024", "N-ENUM-001", "", "error"),
    # rounding
    ("尾差: a share one last digit off", "cn-wuxi_2026_无锡市交通运输局_部门预算", "N-SHARE-001", "", "warning"),
    # empty tables
    ("empty table explained by a bare 为0", "cn-shanghai_2026_上海市财政局_部门预算", "P-EMPTY-001", "", "absent"),
    ("empty table consistent with another table's 0", "cn-shanghai_2026_上海市域外农场管理办公室_单位预算", "P-EMPTY-001", "basic_expenditure_economic", "warning"),
    ("a title alone: empty or unreadable", "anshan-zwfwzx-2025", "P-EMPTY-003", "income_summary", "warning"),
    ("still fires: an empty table nothing explains", "cn-changchun_2026_长春市信访局_部门预算", "P-EMPTY-001", "gov_fund_expenditure", "error"),
    # 目录 and template text
    ("目录 title worded differently from the body", "cn-xian_2026_西安市商务局_部门预算", "P-TOC-001", "", "absent"),
    ("目录 table printed as an unrecognised table", "cn-xian_2026_西安市应急管理局_部门预算", "P-TOC-001", "", "absent"),
    ("still fires: a 目录 table the body lacks", "dashuju-2024", "P-TOC-001", "toc-absent|收入预算总表", "error"),
    ("page footers glued to a 备注: reported once", "cn-xian_2026_西安市应急管理局_部门预算", "P-REM-001", "第3页", "absent"),
    ("still fires: a preparer's 备注 left in", "cn-xian_2026_西安市应急管理局_部门预算", "P-REM-001", "remnant|可选择填写", "error"),
    ("a label before the unit's name on the cover", "cn-xian_2026_西安市应急管理局_部门预算", "P-ID-001", "", "absent"),
    ("still fires: two names of the unit", "anshan-zwfwzx-2025", "P-ID-001", "unit-name|鞍山市政务服务大厅", "error"),
]


def path_of(stem: str):
    sample = SAMPLES / f"{stem}.pdf"
    if sample.exists():
        return sample
    return real_path(stem)


@pytest.mark.parametrize("label, stem, rule, key, expected", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_false_alarm_class(label, stem, rule, key, expected):
    found = [f for f in with_merged(findings_of(str(path_of(stem)))) if f["rule"] == rule and key in f["key"]]
    if expected == "absent":
        assert not [f for f in found if f["severity"] == "error"], f"{label}: {[f['message'] for f in found]}"
    else:
        assert found and {f["severity"] for f in found} == {expected}, f"{label}: {[(f['severity'], f['key']) for f in found]}"


def with_merged(findings) -> list[dict]:
    """Each finding and each finding of the same cause merged into it (merge.py): rule, key, severity, message."""
    return [entry for f in findings for entry in [{"rule": f.rule, "key": f.key, "severity": f.severity, "message": f.message}, *f.merged]]
