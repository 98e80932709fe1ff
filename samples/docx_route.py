"""Second producer route for the layout benchmark: the same seed content written
as a .docx (python-docx) and converted to PDF by LibreOffice headless.

The reference samples are drawn by reportlab in samples/build.py, which places
every glyph itself. A bureau's PDF usually comes out of a word processor: text
flows, tables break where the word processor breaks them, header rows repeat,
fonts are substituted. This route reads the seed with build.py's own parser
(cover, 目录, headings, paragraphs, tables with their header spans and notes),
so the content is the same and only the producer differs.

Needs python-docx (`pip install python-docx`) and `soffice` on PATH; both are
benchmark-only and not needed to run budgetaudit or its tests.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

WATERMARK_RULES = {"P-DRAFT-001", "R-READ-003"}  # what a watermark drawn as outlines hides from any text reader

HEADING_SIZES = {"part": 17, "doc_title": 17, "title": 17, "chapter": 13.5, "section1": 13, "section2": 12.5}
CENTERED = {"part", "doc_title", "title", "chapter"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> tuple[bool, str]:
    """Whether the route can run here, and why not."""
    try:
        import docx  # noqa: F401
    except ImportError:
        return False, "python-docx is not installed (pip install python-docx)"
    if soffice_path() is None:
        return False, "no soffice/libreoffice on this machine"
    return True, ""


def build_pdf_via_docx(builder, seed_text: str, out_pdf: Path, watermark: str | None = None) -> Path:
    """Write the seed as a .docx beside out_pdf and convert it with LibreOffice."""
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    docx_path = out_pdf.with_suffix(".docx")
    write_docx(builder, builder.parse_seed(seed_text, watermark), docx_path, watermark)
    convert(docx_path, out_pdf)
    return out_pdf


def convert(docx_path: Path, out_pdf: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="budgetaudit-lo-") as profile:
        subprocess.run([soffice_path(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_pdf.parent), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    produced = docx_path.with_suffix(".pdf")
    if produced != out_pdf:
        produced.replace(out_pdf)


def write_docx(builder, doc, path: Path, watermark: str | None) -> None:
    """The watermark is not written: LibreOffice draws a Word watermark as vector outlines (no
    text), which no text reader sees, so the route compares findings without the watermark's rules."""
    from docx import Document
    from docx.shared import Pt

    out = Document()
    style = out.styles["Normal"]
    style.font.size = Pt(11.5)
    set_east_asian_font(style.element, "AR PL UMing CN")
    add_page_number(out.sections[0].footer)
    for line in doc.cover:
        centered(out, line, 22)
    out.add_page_break()
    if doc.toc_title:
        centered(out, doc.toc_title, 20)
        for cells in doc.toc:
            label, page = cells[0].strip(), cells[-1].strip() if len(cells) > 1 else ""
            out.add_paragraph(f"{label}\t{page}" if page else label)
        out.add_page_break()
    landscape = False
    for item in doc.body:
        if isinstance(item, builder.TableGroup):
            landscape = add_table_group(builder, out, item, landscape)
        elif isinstance(item, builder.Heading):
            landscape = add_heading(out, item, landscape)
        else:
            landscape = portrait_again(out, landscape)
            add_paragraph(out, item)
    out.save(path)


def new_page(out, landscape: bool) -> None:
    """A new page; a new section where the orientation changes (wide tables print landscape)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    current = out.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        out.add_page_break()
        return
    section = out.add_section(WD_SECTION.NEW_PAGE)
    width, height = current.page_width, current.page_height
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (max(width, height), min(width, height)) if landscape else (min(width, height), max(width, height))


def portrait_again(out, landscape: bool) -> bool:
    if landscape:
        new_page(out, False)
    return False


def add_page_number(footer) -> None:
    """A centred PAGE field, as word processors number pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)


def set_east_asian_font(element, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def centered(out, text: str, size: float, bold: bool = True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = out.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    return para


def add_heading(out, heading, landscape: bool) -> bool:
    from docx.shared import Pt

    if heading.level in ("part", "doc_title"):
        new_page(out, False)
        landscape = False
    else:
        landscape = portrait_again(out, landscape)
    if heading.level in CENTERED:
        para = centered(out, heading.text, HEADING_SIZES[heading.level])
    else:
        para = out.add_paragraph()
        run = para.add_run(heading.text)
        run.bold, run.font.size = True, Pt(HEADING_SIZES[heading.level])
    para.paragraph_format.keep_with_next = True
    return landscape


def add_paragraph(out, para) -> None:
    from docx.shared import Pt

    p = out.add_paragraph()
    if para.indent:
        p.paragraph_format.first_line_indent = Pt(23)
    for text, bold in para.segments:
        p.add_run(text).bold = bold


def add_table_group(builder, out, group, landscape: bool) -> bool:
    """Titles, grid and notes; a titled table starts a page, as the reference layout does."""
    from docx.shared import Pt

    grid = builder.table_cells(group.rows, group.continues) if group.rows else None
    wide = bool(grid) and builder.choose_landscape(grid[0], grid[2], builder.register_fonts())
    if group.titles or wide != landscape:
        new_page(out, wide)
    for title in group.titles:
        text = builder.strip_line_marker(title).strip().replace("\t", "    ")
        if text:
            para = out.add_paragraph(text) if builder.UNIT.match(text) else centered(out, text, 12, bold=False)
            para.paragraph_format.keep_with_next = True
    if grid:
        rows, n_header, cells = grid
        add_grid(out, rows, n_header, cells, Pt(8 if len(rows[0]) < 12 else 7.5))
    for note in group.notes:
        run = out.add_paragraph().add_run(builder.strip_line_marker(note).rstrip())
        run.font.size = Pt(9.5)
    return wide


def add_grid(out, rows, n_header: int, cells, size) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    table = out.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r in range(n_header):  # header rows repeat on every page, as word processors print them
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    for cell in cells:
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        para = target.paragraphs[0]
        para.alignment = align.get(cell.align, WD_ALIGN_PARAGRAPH.LEFT)
        run = para.add_run(cell.text)
        run.bold, run.font.size = cell.bold, size
