"""The `reading` check kind: problems met while reading the PDF, reported as
findings so a gate never passes what it could not read."""
from __future__ import annotations

from ...ingest.doctype import OPENING_PAGES, is_disclosure, signature_list
from ...model.findings import Finding, Location
from ...vocabulary.table_catalog import UNKNOWN
from ..base import CheckKind, Context, say
from ..common import validate_problem

PROBLEMS = ("textless_pages", "unknown_table", "watermark", "merged_table", "no_unit", "not_disclosure", "stray_rows")


validate_reading = validate_problem(PROBLEMS)



def run_reading(ctx: Context, rule):
    doc, problem = ctx.doc, rule.get("problem")
    title = rule.title(ctx.lang)
    if problem == "textless_pages" and doc.textless_pages:
        pages = ", ".join(map(str, doc.textless_pages))
        yield Finding(rule.id, rule.severity, say(ctx, f"{title}：第 {pages} 页没有可读的文字层（扫描页或字体无法解码），未能检查", f"{title}: pages {pages} have no readable text layer (scanned, or fonts that cannot be decoded) and were not checked"),
                      locations=[Location(p) for p in doc.textless_pages], key="textless")
    if problem == "not_disclosure" and not is_disclosure(doc, signature_list(ctx.ruleset.phrases or {})):
        yield Finding(rule.id, rule.severity, say(ctx, f"{title}：本文件前 {OPENING_PAGES} 页没有“部门预算”“预算公开”“决算”等字样，也没有可识别的预算表格，未按预算公开的要求核对；请确认是否上传了正确的文件",
                                                  f"{title}: the first {OPENING_PAGES} pages never say this is a budget disclosure and no budget table is recognised; it was not held to the disclosure requirements: check that the right file was submitted"),
                      expected=say(ctx, "预算/决算公开文件", "a budget disclosure"), actual=say(ctx, "其他文件", "another kind of document"),
                      locations=[Location(1)], key="not-disclosure")
    if problem == "watermark" and doc.watermarks:
        text = "、".join(doc.watermarks)
        yield Finding(rule.id, rule.severity, say(ctx, f"{title}：已过滤水印「{text}」", f"{title}: watermark filtered: {text}"),
                      actual=text, locations=[Location(p) for p in doc.watermark_pages[:3]], key="watermark")
    if problem == "stray_rows":
        for page, text in getattr(doc, "stray_rows", []):  # getattr: a model cached before stray rows were kept
            yield Finding(rule.id, rule.severity, say(ctx, f"{title}：第{page}页一行表格数字「{text}」未能并入任何表格，未做核对",
                                                      f"{title}: a table row of figures on page {page} ({text}) joined no table and was not checked"),
                          actual=text, locations=[Location(page, text=text)], key=f"stray|{text}")
    for table in doc.tables:
        location = Location(table.pages[0], table.label)
        if problem == "unknown_table" and table.kind == UNKNOWN:
            yield Finding(rule.id, rule.severity, say(ctx, f"{title}：{table.label or '无标题表格'}（第{table.pages[0]}页）未能识别，未做核对", f"{title}: table {table.label or '(untitled)'} on page {table.pages[0]} was not recognised"),
                          locations=[location], key=f"unknown|{table.title}")
        if problem == "merged_table" and table.merged_from > 1:
            yield Finding(rule.id, rule.severity, say(ctx, f"{title}：{table.label} 跨 {len(table.pages)} 页，已合并", f"{title}: {table.label} spans {len(table.pages)} pages, merged"),
                          locations=[location], key=f"merged|{table.kind}|{table.title}")
        if problem == "no_unit" and not table.unit and table.kind != UNKNOWN and not table.is_empty:
            yield Finding(rule.id, rule.severity, say(ctx, f"{title}：{table.label} 未标明金额单位", f"{title}: {table.label} states no unit"),
                          locations=[location], key=f"nounit|{table.kind}|{table.title}")


READING_KINDS = {"reading": CheckKind("reading", "读取问题：无文字层页面、未识别表格、水印、跨页合并", validate_reading, run_reading)}
