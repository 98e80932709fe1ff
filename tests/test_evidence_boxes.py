"""Evidence on the right cell: every cell of the model carries the box pdfplumber read it
in, a finding's cell locations carry those boxes, and the HTML crop draws exactly them,
not another cell printing the same number on the page."""
from __future__ import annotations

import pytest
from conftest import build_variant, checked, default_ruleset, parsed, sample

from budgetaudit.report import html
from budgetaudit.run.engine import check_document

CHANGE = [("六、社会保障和就业支出\t77.29", "六、社会保障和就业支出\t77.39")]  # one figure changed: balance and tie rules fire


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    return build_variant(tmp_path_factory.mktemp("boxes"), "anshan-zwfwzx-2025", CHANGE)


def model_cell(doc, loc):
    """The model cell a location names (table, row, column and page)."""
    for table in doc.tables:
        if table.label != loc.table:
            continue
        for row in table.rows:
            for cell in row.values.values():
                if row.label == loc.row and cell.column == loc.column and cell.page == loc.page:
                    return cell
    return None


def test_every_table_cell_has_a_box_on_its_page():
    doc = parsed(str(sample("yongdeng-zwfw-2024")))
    cells = [c for t in doc.tables for r in t.rows for c in r.values.values()]
    assert cells and all(c.bbox for c in cells)
    assert all(c.bbox[0] < c.bbox[2] and c.bbox[1] < c.bbox[3] for c in cells)


def test_cell_locations_carry_the_model_cells_boxes(variant):
    doc = parsed(str(variant))
    result = check_document(variant, default_ruleset())
    located = [loc for f in result.findings if f.rule.startswith(("T-", "X-")) for loc in f.locations if loc.column]
    assert located
    for loc in located:
        cell = model_cell(doc, loc)
        if cell is not None:
            assert loc.bbox == cell.bbox


def test_html_crop_boxes_the_named_cells_not_the_same_number_elsewhere(variant):
    doc = parsed(str(variant))
    result = check_document(variant, default_ruleset())
    images = html.PageImages(str(variant))
    try:
        checked_one = 0
        for finding in [f for f in result.findings if f.rule.startswith(("T-", "X-")) and f.severity == "error"]:
            images.drawn.clear()
            html.finding_html(finding, "zh", images, True)
            for page in {loc.page for loc in finding.locations if loc.page}:
                drawn = [box for number, box, how in images.drawn if number == page and how == "cell"]
                named = [model_cell(doc, loc) for loc in finding.locations if loc.page == page and loc.column]
                assert all(c is not None for c in named)
                assert sorted(drawn) == sorted(dict.fromkeys(c.bbox for c in named)), "the boxes drawn are the named cells' boxes"
                assert not [box for number, box, how in images.drawn if number == page and how == "text"]
                checked_one += same_number_elsewhere(images, page, named, drawn)
        assert checked_one, "some named cell prints a number that another cell on its page prints too"
    finally:
        images.close()


def same_number_elsewhere(images, page: int, named, drawn) -> int:
    """How many named cells print a number found elsewhere on the page, whose other places were not boxed."""
    count = 0
    for cell in named:
        if not cell.text.strip():
            continue
        hits = [(m["x0"], m["top"], m["x1"], m["bottom"]) for m in images.plumber.pages[page - 1].search(cell.text.strip(), regex=False)]
        others = [h for h in hits if not inside(h, cell.bbox)]
        if others:
            assert not any(inside(h, box) for h in others for box in drawn), "another cell printing the same number is not boxed"
            count += 1
    return count


def inside(hit, box) -> bool:
    return box[0] - 1 <= hit[0] and hit[2] <= box[2] + 1 and box[1] - 1 <= hit[1] and hit[3] <= box[3] + 1


def test_a_sentence_is_found_by_its_text_and_the_report_says_so():
    result = checked(str(sample("yongdeng-zwfw-2024")))
    finding = next(f for f in result.findings if f.rule.startswith("N-") and f.locations and f.locations[0].text and f.severity == "error")
    images = html.PageImages(str(sample("yongdeng-zwfw-2024")))
    try:
        text = html.finding_html(finding, "zh", images, True)
    finally:
        images.close()
    assert any(how == "text" and number == finding.locations[0].page for number, _, how in images.drawn)
    assert html.TEXT_SEARCH_NOTE["zh"] in text
