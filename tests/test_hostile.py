"""Hostile input, generated here (no binaries committed). Each case gets one
clear line on stderr, its documented exit code, no traceback, and no report
file left behind when the run fails.

Exit codes: 0 no finding at the fail level, 1 findings, 2 input or rule-file
problem (a document that cannot be read, times out or crashes its process),
3 internal error.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, sample
from hostile_inputs import raw_pdf
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen.canvas import Canvas

CLEAN = (0, 1)  # read and checked: findings or not


def run_cli(*args, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command in a fresh process, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETAUDIT_CACHE": str((cwd or Path.cwd()) / ".cache-test"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "budgetaudit", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def assert_one_line(proc: subprocess.CompletedProcess, code: int | tuple, *words: str) -> str:
    codes = code if isinstance(code, tuple) else (code,)
    assert proc.returncode in codes, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    if proc.returncode >= 2:
        assert len(lines) == 1, lines
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)
    return proc.stderr


# ---------- PDFs made here ----------



def heavy_pdf(path: Path, pages: int = 100, segments: int = 3_000) -> Path:
    """Pages ruled with thousands of random lines, each page within the page limits (20,000 lines):
    slow to read, a stand-in for a hanging document."""
    rng = random.Random(3)
    ops = b"".join(b"%d %d m %d %d l S\n" % (rng.randrange(595), rng.randrange(842), rng.randrange(595), rng.randrange(842)) for _ in range(segments))
    path.write_bytes(raw_pdf([ops + b"BT /F1 12 Tf 72 800 Td (heavy) Tj ET"] * pages))
    return path


def text_pdf(path: Path, pages: int = 1, encrypt=None) -> Path:
    canvas = Canvas(str(path), encrypt=encrypt)
    for number in range(pages):
        canvas.drawString(72, 760, f"Department budget 2025, page {number + 1}")
        canvas.drawString(72, 740, "Total 1,234.56 = 1,000.00 + 234.56")
        canvas.showPage()
    canvas.save()
    return path


def ragged_tables_pdf(path: Path) -> Path:
    """Every page a ruled grid whose rows have different cell counts and merged cells."""
    canvas = Canvas(str(path))
    rng = random.Random(11)
    for _ in range(3):
        y = 780
        for _row in range(18):
            cells = rng.randint(1, 7)
            xs = sorted(rng.sample(range(60, 540), cells - 1)) if cells > 1 else []
            edges = [50] + xs + [550]
            canvas.line(50, y, 550, y)
            for x in edges:
                canvas.line(x, y, x, y - 30)
            for left, _right in zip(edges, edges[1:]):
                canvas.drawString(left + 2, y - 20, f"{rng.randint(0, 99999) / 100:,.2f}" if rng.random() < 0.7 else "合计")
            y -= 30
        canvas.line(50, y, 550, y)
        canvas.showPage()
    canvas.save()
    return path


def scanned_pdf(path: Path) -> Path:
    image = path.with_suffix(".png")
    Image.effect_noise((400, 560), 60).convert("L").save(image)
    canvas = Canvas(str(path))
    canvas.drawImage(str(image), 0, 0, 595, 842)
    canvas.showPage()
    canvas.save()
    return path


def no_tounicode_pdf(path: Path) -> Path:
    """Text drawn with a simple font whose encoding maps codes to glyph names no one knows, and no ToUnicode map."""
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/Differences [33 /g1 /g2 /g3 /g4 /g5 /g6 /g7 /g8 /g9 /g10] >> >>")
    lines = b"".join(b"BT /F1 12 Tf 72 %d Td (!\"#$%%&'()*) Tj ET\n" % (800 - 20 * i) for i in range(30))
    path.write_bytes(raw_pdf([lines], font=font))
    return path


# ---------- the cases ----------

def test_random_bytes_named_pdf(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(random.Random(7).randbytes(8192).replace(b"%PDF", b"xxxx"))
    assert_one_line(run_cli("check", path, cwd=tmp_path), 2, "不是 PDF")


def test_truncated_pdf(tmp_path):
    data = sample("dashuju-2024").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert_one_line(run_cli("check", path, "--lang", "en", cwd=tmp_path), 2, "corrupt or truncated")


def test_encrypted_pdf_with_a_password(tmp_path):
    path = text_pdf(tmp_path / "locked.pdf", encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    assert_one_line(run_cli("check", path, "--lang", "en", cwd=tmp_path), 2, "needs a password")


def test_encrypted_pdf_with_an_empty_user_password_is_read(tmp_path):
    path = text_pdf(tmp_path / "open-lock.pdf", encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))
    proc = run_cli("check", path, "-f", "json", cwd=tmp_path)
    assert_one_line(proc, CLEAN)
    assert '"status": "checked"' in proc.stdout


def test_pdf_with_zero_pages(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(raw_pdf([]))
    assert_one_line(run_cli("check", path, cwd=tmp_path), 2, "没有任何页面")


def test_five_hundred_pages(tmp_path):
    path = text_pdf(tmp_path / "long.pdf", pages=500)
    started = time.monotonic()
    proc = run_cli("check", path, "-f", "json", "--no-cache", cwd=tmp_path)
    assert_one_line(proc, CLEAN)
    assert '"pages": 500' in proc.stdout
    assert time.monotonic() - started < 120


def test_ragged_rows_and_merged_cells_everywhere(tmp_path):
    proc = run_cli("check", ragged_tables_pdf(tmp_path / "ragged.pdf"), "-f", "json", cwd=tmp_path)
    assert_one_line(proc, CLEAN)


def test_scanned_image_only_page(tmp_path):
    assert_one_line(run_cli("check", scanned_pdf(tmp_path / "scan.pdf"), cwd=tmp_path), 2, "文字层")


def test_font_without_tounicode(tmp_path):
    proc = run_cli("check", no_tounicode_pdf(tmp_path / "glyphs.pdf"), "-f", "json", cwd=tmp_path)
    assert_one_line(proc, 2, "字体无法解码")  # text that extracts as stray codes is not read as text


def test_directory_without_pdfs(tmp_path):
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert_one_line(run_cli("check", folder, cwd=tmp_path), 2, "没有找到 PDF")


def test_missing_path(tmp_path):
    assert_one_line(run_cli("check", tmp_path / "nowhere.pdf", cwd=tmp_path), 2, "找不到文件")


def test_path_with_spaces_and_chinese(tmp_path):
    folder = tmp_path / "预算 公开 2025"
    folder.mkdir()
    pdf = folder / "部门 预算（草稿）.pdf"
    shutil.copy(sample("yongdeng-zwfw-2024"), pdf)
    report = folder / "报告 输出.xml"
    proc = run_cli("check", pdf, "-f", "junit", "-o", report, cwd=tmp_path)
    assert_one_line(proc, CLEAN)
    assert report.is_file() and "部门 预算（草稿）.pdf" in report.read_text(encoding="utf-8")


def rule_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "X-MINE-001.yaml").write_text(text, encoding="utf-8")
    return folder


def test_rule_file_that_is_not_yaml(tmp_path):
    folder = rule_folder(tmp_path, "id: X-MINE-001\nextends: tie\n  title: [unclosed\n\tbad: : :\n")
    assert_one_line(run_cli("check", sample("yongdeng-zwfw-2024"), "--rules", folder, cwd=tmp_path), 2, "X-MINE-001.yaml:")


def test_rule_file_with_a_yaml_bomb(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    folder = rule_folder(tmp_path, "id: X-MINE-001\n" + bomb)
    started = time.monotonic()
    assert_one_line(run_cli("check", sample("yongdeng-zwfw-2024"), "--rules", folder, cwd=tmp_path), 2, "YAML")
    assert time.monotonic() - started < 30


def division_by_zero_rule(tmp_path: Path) -> Path:
    rule = (Path(ROOT) / "rules/checks/table/T-BAL-004.yaml").read_text(encoding="utf-8")
    return rule_folder(tmp_path, rule.replace("id: T-BAL-004", "id: X-MINE-001") + "\ntolerance: 1/0\n")


def test_rule_with_a_division_by_zero(tmp_path):
    """A tolerance that is not a number (1/0) is refused at load with file:line, exit 2."""
    folder = division_by_zero_rule(tmp_path)
    proc = run_cli("check", sample("anshan-zwfwzx-2025"), "--rules", folder, cwd=tmp_path)
    assert_one_line(proc, 2, "tolerance")
    assert ".yaml:" in proc.stderr


def test_a_slow_document_times_out_and_the_batch_goes_on(tmp_path):
    heavy = heavy_pdf(tmp_path / "heavy.pdf")  # ≈ 0.4 s a page, 40 s here: well past the 6 s limit
    proc = run_cli("check", heavy, sample("yongdeng-zwfw-2024"), "--timeout", "6", "-f", "json", "--no-cache", cwd=tmp_path)
    assert_one_line(proc, 2, "读取超时")
    assert proc.stdout.count('"status": "checked"') == 1 and proc.stdout.count('"status": "unreadable"') == 1


def test_no_partial_report_when_the_run_fails(tmp_path):
    folder = rule_folder(tmp_path, "id: [broken\n")
    report = tmp_path / "report.xml"
    report.write_text("previous report", encoding="utf-8")
    assert_one_line(run_cli("check", sample("yongdeng-zwfw-2024"), "-f", "junit", "-o", report, "--rules", folder, cwd=tmp_path), 2)
    assert report.read_text(encoding="utf-8") == "previous report"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".budgetaudit-")]


def test_report_into_a_missing_folder(tmp_path):
    proc = run_cli("check", sample("yongdeng-zwfw-2024"), "-f", "sarif", "-o", tmp_path / "no" / "such" / "r.sarif", cwd=tmp_path)
    assert_one_line(proc, 2, "无法写入报告")
