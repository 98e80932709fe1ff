"""Reading problems are findings: pages without text, unrecognised tables,
watermarks, tables joined across pages. And the JSON contract of `check`."""
import json
import subprocess
import sys

from conftest import checked, default_ruleset, fixture_case, rule_run, sample

from budgetaudit.run.engine import check_document


def rules_fired(result, rule):
    return [f for f in result.findings if f.rule == rule]


def pdf_with_blank_page(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 760, "一、收支预算的总体说明：收支总预算 100.00 万元。")
    page.showPage()
    page.rect(72, 72, 400, 600, fill=1)  # a page with only a picture: no text layer
    page.showPage()
    page.save()
    return path


def test_textless_page_is_named(tmp_path):
    result = check_document(pdf_with_blank_page(tmp_path / "scan.pdf"), default_ruleset())
    fired = rules_fired(result, "R-READ-001")
    assert fired and fired[0].locations[0].page == 2 and fired[0].severity == "error"
    assert not rules_fired(checked(str(sample("dashuju-2024"))), "R-READ-001")


def test_unrecognised_table_is_named(fixture_documents):
    """Its fixture case (rules/checks/reading/fixtures/R-READ-002.yaml) retitles a table 某某明细情况表."""
    path = fixture_documents.path(fixture_case("R-READ-002", "fires", 0))
    assert any("某某明细情况表" in f.message for f in rule_run(str(path))[0] if f.rule == "R-READ-002")


def test_joined_table_reported():
    fired = rules_fired(checked(str(sample("dashuju-2024"))), "R-READ-004")
    assert any("支出预算总表" in f.message for f in fired)
    assert not [f for f in rules_fired(checked(str(sample("yongdeng-zwfw-2024"))), "R-READ-004") if "支出" in f.message and "表三" in f.message]


def run_check(*args):
    return subprocess.run([sys.executable, "-m", "budgetaudit", "check", *args], capture_output=True, text=True, timeout=300)


def test_json_contract_and_exit_code(fixture_documents):
    variant = fixture_documents.path(fixture_case("T-BAL-003", "fires", 0))  # 本年收入合计 930.94 → 903.94
    result = run_check(str(variant), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["tool"] == "budgetaudit" and data["version"]
    document = data["documents"][0]
    assert document["status"] == "checked" and document["pages"] > 0 and document["error"] is None
    finding = next(f for f in document["findings"] if f["rule"] == "T-BAL-003")
    assert finding["severity"] == "error"
    assert finding["expected"] == "930.94万元" and finding["actual"] == "903.94万元" and finding["difference"] == "-27.00万元"
    assert {"page", "table", "row", "column", "text"} <= set(finding["locations"][0])
    assert all({"rule", "reason"} == set(s) for s in document["skipped"])
    assert data["summary"]["documents"] == 1 and data["summary"]["error"] >= 1


def test_unreadable_input_exit_2_without_traceback(tmp_path):
    bogus = tmp_path / "随机 文件.pdf"
    bogus.write_bytes(b"this is not a pdf at all")
    result = run_check(str(bogus))
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    assert "PDF" in result.stdout + result.stderr


def pdf_with_single_row_page(path, columns_on_next_page: int):
    """A 支出总表 whose last row is printed alone on the next page (the class of a table's last row
    pushed over the break), with the same columns as the table or with a different number of them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    header = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    body = [["", "合计", "361.22", "361.22", ""], ["221", "住房保障支出", "361.22", "361.22", ""],
            ["22102", "住房改革支出", "361.22", "361.22", ""], ["2210201", "住房公积金", "114.07", "114.07", ""],
            ["2210202", "提租补贴", "117.13", "117.13", ""]]
    last = ["2210203", "购房补贴", "130.02", "130.02", ""][:columns_on_next_page]
    page = canvas.Canvas(str(path), pagesize=A4)

    def grid(rows, top, widths):
        x0, height = 60, 22
        for r, row in enumerate(rows):
            x = x0
            for width, text in zip(widths, row):
                page.rect(x, top - (r + 1) * height, width, height)
                page.drawString(x + 3, top - (r + 1) * height + 7, text)
                x += width

    page.setFont("STSong-Light", 10)
    page.drawString(250, 800, "公开03表 支出总表")
    page.drawString(60, 780, "单位：万元")
    grid([header] + body, 770, [80, 140, 80, 80, 80])
    page.showPage()
    page.setFont("STSong-Light", 10)
    grid([last], 800, [80, 140, 80, 80, 80][:columns_on_next_page])
    page.showPage()
    page.save()
    return path


def test_single_row_page_joins_its_table_or_is_reported(tmp_path):
    """A page holding one ruled row with the table's columns continues that table: the row joins it
    (22102 = Σ 项 holds, no R-READ-006). A one-row grid that continues nothing is reported (R-READ-006)."""
    from budgetaudit.ingest.assemble import build_document

    joined = pdf_with_single_row_page(tmp_path / "joined.pdf", 5)
    doc = build_document(joined, default_ruleset().catalog)
    assert [r.code for r in doc.tables[0].rows][-1] == "2210203" and doc.tables[0].pages == [1, 2] and not doc.stray_rows
    result = check_document(joined, default_ruleset())
    assert not rules_fired(result, "R-READ-006") and not rules_fired(result, "T-HIER-001")

    stray = pdf_with_single_row_page(tmp_path / "stray.pdf", 4)
    result = check_document(stray, default_ruleset())
    fired = rules_fired(result, "R-READ-006")
    assert len(fired) == 1 and fired[0].locations[0].page == 2 and "130.02" in fired[0].message
