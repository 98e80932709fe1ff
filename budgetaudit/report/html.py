"""One self-contained HTML file: a summary table, then every finding with a
crop of its page (rendered by pypdfium2) where the cells the finding names are
boxed (red) from the boxes the model read them in, never by searching for their
number, and a sentence, which has no box, is found by searching its text (blue,
and the report says so). Images are embedded as data URIs; the file loads
nothing from outside."""
from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from .. import __version__
from ..safe.errors import printable
from .base import Options, Reporter
from .summary import coverage_lines, is_incomplete, merged_note, status_text, value_line, waived_count, where, words, worst_first

SCALE = 1.5  # 108 dpi: figures stay legible
MAX_CROPS = 60  # per document: keeps the file small on a document with hundreds of findings
MARGIN = 36  # points of context above and below the highlighted area
MAX_PAGES_PER_FINDING = 3  # a merged finding may span a table page, a 目录 page and a sentence page
TEXT_SEARCH_NOTE = {"zh": "红框为所涉单元格；蓝框为按文字查找定位的说明语句",
                    "en": "red: the cells involved; blue: the sentence, located by searching its text"}

STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1100px}
table.summary{border-collapse:collapse;margin:12px 0}table.summary td,table.summary th{border:1px solid #ccc;padding:4px 8px}
.error{color:#b00020}.warning{color:#b36b00}.info{color:#0b63a8}.waived{opacity:.6}
.finding{border:1px solid #ddd;border-radius:6px;padding:10px 14px;margin:12px 0}
.finding img{max-width:100%;border:1px solid #999;margin-top:8px;display:block}
.badge{font-weight:bold;margin-right:8px}.where{color:#555}.values{font-weight:bold}.tol{color:#666;font-size:90%}
h2{border-bottom:2px solid #444;padding-bottom:4px;margin-top:36px}
"""


def esc(text) -> str:
    return html.escape(str(text or ""))


def search_terms(location) -> list[str]:
    """A pattern to find a sentence location by: the start of its text, any spacing or line break between
    its characters (a cell location is drawn from its box, never searched)."""
    start = "".join((location.text or "").split())[:16]
    return [r"\s*".join(re.escape(ch) for ch in start)] if start else []


class PageImages:
    """Renders and highlights pages of one PDF. A cell is boxed where the model read it
    (Location.bbox); only a sentence, which has no box, is found by searching its text
    with pdfplumber. `drawn` records every box drawn: (page, box, "cell" or "text")."""

    def __init__(self, path: str) -> None:
        import pdfplumber
        import pypdfium2

        self.pdfium = pypdfium2.PdfDocument(path)
        self.plumber = pdfplumber.open(path)
        self.drawn: list[tuple[int, tuple, str]] = []

    def close(self) -> None:
        self.plumber.close()
        self.pdfium.close()

    def search(self, number: int, terms: list[str]) -> list[tuple]:
        if not terms:
            return []
        page = self.plumber.pages[number - 1]
        found = []
        for term in terms:
            try:
                matches = page.search(term, regex=True, case=True)
            except Exception:  # noqa: BLE001 - a search failure only costs the highlight
                matches = []
            found += [(m["x0"], m["top"], m["x1"], m["bottom"]) for m in matches[:1]]
        page.close()
        return found

    def marks(self, number: int, locations) -> list[tuple[tuple, str]]:
        """(box, how) for the locations on one page: each cell's own box; a sentence's found text."""
        here = [loc for loc in locations if loc.page == number]
        cells = [(tuple(loc.bbox), "cell") for loc in here if loc.bbox]
        terms = [t for loc in here if not loc.bbox for t in search_terms(loc)]
        return list(dict.fromkeys(cells + [(box, "text") for box in self.search(number, terms)]))

    def crop(self, number: int, locations) -> str:
        """A data URI of the page band around the highlighted boxes (the whole page if none is found)."""
        from PIL import Image, ImageDraw

        if not 1 <= number <= len(self.pdfium):
            return ""
        marks = self.marks(number, locations)
        page = self.pdfium[number - 1]
        scale = crop_scale(*page.get_size())
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for (x0, top, x1, bottom), how in marks:
            outline = (220, 0, 0, 255) if how == "cell" else (11, 99, 168, 255)
            draw.rectangle([x0 * scale - 2, top * scale - 2, x1 * scale + 2, bottom * scale + 2], fill=(255, 215, 0, 90), outline=outline, width=2)
            self.drawn.append((number, (x0, top, x1, bottom), how))
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        if marks:
            top = max(0, (min(b[1] for b, _ in marks) - MARGIN) * scale)
            bottom = min(image.height, (max(b[3] for b, _ in marks) + MARGIN) * scale)
            image = image.crop((0, int(top), image.width, int(bottom)))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
        return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def crop_scale(width: float, height: float) -> float:
    """SCALE, or less on a page so large that the image would pass CROP_PIXELS."""
    from ..safe.limits import limit

    area = max(1.0, float(width) * float(height))
    return min(SCALE, (limit("CROP_PIXELS") / area) ** 0.5)


def finding_html(finding, lang: str, images: PageImages | None, with_crop: bool) -> str:
    w = words(lang)
    parts = [f'<div class="finding {finding.severity}{" waived" if finding.waived else ""}">',
             f'<span class="badge {finding.severity}">{esc(w[finding.severity])} · {esc(finding.rule)}</span>{esc(finding.message)}',
             f'<div class="where">{esc(where(finding, lang))}</div>']
    if value_line(finding, lang):
        parts.append(f'<div class="values">{esc(value_line(finding, lang))}</div>')
    if finding.tolerance:
        parts.append(f'<div class="tol">{esc(finding.tolerance)}</div>')
    if finding.waived:
        parts.append(f'<div class="tol">waived: {esc(finding.waived)}</div>')
    if finding.merged:
        parts.append(f'<div class="tol">{esc(merged_note(finding, lang))}</div>')
    pages = list(dict.fromkeys(loc.page for loc in finding.locations if loc.page))
    if images and with_crop and pages:
        for number in pages[:MAX_PAGES_PER_FINDING]:
            uri = images.crop(number, finding.locations)
            if uri:
                label = f"第{number}页" if lang != "en" else f"page {number}"
                parts.append(f'<img alt="{esc(label)}" title="{esc(label)}" src="{uri}">')
        if any(loc.text and not loc.bbox for loc in finding.locations):
            parts.append(f'<div class="tol">{esc(TEXT_SEARCH_NOTE["en" if lang == "en" else "zh"])}</div>')
    parts.append("</div>")
    return "\n".join(parts)


def document_html(result, lang: str) -> str:
    w = words(lang)
    parts = [f"<h2 id=\"{esc(printable(Path(result.path).name))}\">{esc(printable(result.path))}</h2>",
             f"<p>{result.pages} {esc(w['pages'])} · {esc(status_text(result, lang))}</p>"]
    lines = coverage_lines(result, lang)
    if is_incomplete(result):
        parts.append(f'<p class="warning"><b>{esc(lines.pop(0))}</b></p>')
    if result.status == "checked" and not result.findings:
        parts.append(f"<p>{esc(w['none'])}</p>")
    parts += [f'<p class="coverage">{esc(line)}</p>' for line in lines]
    images = None
    if result.findings and result.status == "checked":
        try:
            images = PageImages(result.path)
        except Exception:  # noqa: BLE001 - findings are still listed without crops
            images = None
    try:
        for index, finding in enumerate(result.findings):
            parts.append(finding_html(finding, lang, images, index < MAX_CROPS))
    finally:
        if images:
            images.close()
    return "\n".join(parts)


def summary_html(results, lang: str) -> str:
    w = words(lang)
    rows = [f"<tr><th>{esc(w['document'])}</th><th>{esc(w['pages'])}</th><th>{esc(w['error'])}</th><th>{esc(w['warning'])}</th>"
            f"<th>{esc(w['info'])}</th><th>{esc(w['waived'])}</th><th>{esc(w['status'])}</th></tr>"]
    for r in worst_first(results):
        rows.append(f'<tr><td><a href="#{esc(printable(Path(r.path).name))}">{esc(printable(r.path))}</a></td><td>{r.pages}</td><td class="error">{r.count("error")}</td>'
                    f'<td class="warning">{r.count("warning")}</td><td class="info">{r.count("info")}</td><td>{waived_count(r)}</td>'
                    f"<td>{esc(status_text(r, lang))}</td></tr>")
    return '<table class="summary">' + "\n".join(rows) + "</table>"


def render(results, ruleset=None, lang: str = "zh") -> str:
    title = "budgetaudit 检查报告" if lang != "en" else "budgetaudit report"
    body = [f"<h1>{esc(title)}</h1>", f"<p>budgetaudit {__version__}</p>", summary_html(results, lang)]
    body += [document_html(r, lang) for r in worst_first(results)]
    return (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def report(results, options: Options) -> str:
    """Page crops are rendered from the PDFs: under the same time and memory limits as reading them."""
    from ..safe.limits import run_limited

    seconds = options.timeout * max(1, len(results)) if options.timeout else 0
    return run_limited(render, results, options.ruleset, options.lang, timeout=seconds, path="HTML")


FORMAT = Reporter("html", "单个 HTML 文件，附页面截图 / one HTML file with page crops", report)
