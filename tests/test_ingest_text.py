"""Text-level ingest on generated PDFs: fake bold (characters drawn twice) is
read once; spaces next to CJK characters are dropped."""
from pathlib import Path

from conftest import default_ruleset

from budgetaudit.ingest.assemble import build_document


def text_pdf(path: Path, lines, bold=False) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("STSong-Light", 12)
    for index, line in enumerate(lines):
        y = 760 - 20 * index
        page.drawString(72, y, line)
        if bold:  # fake bold: the same text again, shifted by a fraction of a point
            page.drawString(72.3, y, line)
    page.showPage()
    page.save()
    return path


def test_fake_bold_is_read_once(tmp_path):
    doc = build_document(text_pdf(tmp_path / "bold.pdf", ["一、收支预算的总体说明", "收支总预算 930.94 万元。"], bold=True), default_ruleset().catalog)
    texts = [line.text for line in doc.lines]
    assert texts == ["一、收支预算的总体说明", "收支总预算930.94万元。"]
    assert [str(q) for q in doc.sentences[0].figures] == ["930.94万元"]


def test_plain_text_is_not_touched(tmp_path):
    doc = build_document(text_pdf(tmp_path / "plain.pdf", ["2025 年收支总预算 930.94 万元，比上年增加 1.5%。"]), default_ruleset().catalog)
    assert [line.text for line in doc.lines] == ["2025年收支总预算930.94万元，比上年增加1.5%。"]
