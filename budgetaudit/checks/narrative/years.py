"""Check kind `year_reference`: the years a narrative sentence writes, against the
document's own year (the cover's) and kind (预算 or 决算).

Every `(19|20)\\d\\d年` of a body sentence is read for its role:
- a date, a period or a cited document (截至2025年12月31日, 2026—2030年, 《…2024年…》,
  2025年底, 2025年结转, 2025年执行数): not a budget year, never reported;
- a comparison base (比2025年, 较2025年年初预算, 与2025年预算持平): the year before the
  document's; a base in the document's own year or later is the year before written
  wrong (a 2026 budget 「比2026年预算增加」);
- a subject (2026年部门预算收入…, 2026年“三公”经费预算…): the words after it name this
  budget (phrases.yaml `year_budget_words`, a unit's name may stand between); in a
  sentence whose subjects never name the document's year, another subject year is the
  budget year written wrong (with one, the other is a base: 2026年预算数…，2025年预算数…);
- a label of 上年/本年 (上年（2024年）): 上年 is the document's year − 1, 本年 its year.

`problem: asset_date` reads the date of the assets held (截至2025年12月31日，本部门共有车辆…):
a 预算 states them at (a month-end of) the year before, or of the first half of its own
year (published in the spring: 截至2026年1月31日); a 决算 at the end of its year.

Vocabulary lives in phrases.yaml (year_*, asset_*). Warnings: a person reads the page.
"""
from __future__ import annotations

import re

from ...ingest.facts import cover_year, is_final_accounts
from ...model.document import Sentence
from ...model.findings import Finding, Skip, sentence_location
from ...model.text import squash
from ...ruleset.loading import require
from ...safe.errors import RuleFileError
from ...vocabulary.layout_patterns import YEAR  # 2026年, group 1 the year (rules/layout.yaml `year`)
from ..base import CheckKind, Context, say
from ..common import phrase, year_role

LEADER = re.compile(r"…{2}|\.{4}|·{4}|．{3}")  # a 目录 entry with dot leaders
LABEL = re.compile(r"(上年度?|本年度?|当年)[（(]((?:19|20)\d{2})年度?[)）]|((?:19|20)\d{2})年度?[（(](上年度?|本年度?)[)）]")


def body_sentences(ctx: Context):
    """(sentence, squashed text) of the body, its headings and its 目录 entries (their titles):
    not the cover page. A heading that states figures is a sentence already."""
    cover = min((ln.page for ln in ctx.doc.lines), default=1)
    texts = {(s.page, s.text) for s in ctx.doc.sentences}
    headings = [Sentence(s.page, s.title, s.title) for s in ctx.doc.sections if (s.page, s.title) not in texts]
    for sentence in sorted(headings + list(ctx.doc.sentences), key=lambda s: s.page):
        if sentence.page == cover:
            continue
        for text in LEADER.split(squash(sentence.text)):  # 目录 entries read one by one, without their leaders
            if text:
                yield sentence, text


def run_year_reference(ctx: Context, rule):
    year = cover_year(ctx.doc)
    if year is None:
        yield Skip(rule.id, "封面没有年度 / no year on the cover", "not_applicable")
        return
    final = is_final_accounts(ctx.doc)
    check = asset_dates if rule.get("problem") == "asset_date" else budget_years
    seen = set()
    for sentence, text in body_sentences(ctx):
        for finding in check(ctx, rule, sentence, text, year, final):
            if finding.key not in seen:
                seen.add(finding.key)
                yield finding


def budget_years(ctx: Context, rule, sentence, text: str, year: int, final: bool):
    mentions = [(m, year_role(ctx, text, m, year)) for m in YEAR.finditer(text)]
    own_year_written = any(int(m.group(1)) == year and role == "subject" for m, role in mentions)
    own_year_written = own_year_written or bool(phrase(ctx, "year_review_words").search(text))  # a past year's execution reviewed
    for index, (match, role) in enumerate(mentions):
        found = int(match.group(1))
        if role == "base" and found >= year:
            yield finding(ctx, rule, sentence, text, match, year, year - 1, "base")
        elif role == "base" and compared_with_itself(text, mentions[:index], match):
            yield finding(ctx, rule, sentence, text, match, year, found - 1, "itself")
        elif role == "subject" and found != year and not own_year_written:
            yield finding(ctx, rule, sentence, text, match, year, year, "subject")
    for match in LABEL.finditer(text):
        label = match.group(1) or match.group(4)
        found = int(match.group(2) or match.group(3))
        expected = year - 1 if label.startswith("上年") else year
        if found != expected:
            yield finding(ctx, rule, sentence, text, match, year, expected, "label")


def compared_with_itself(text: str, before: list, base: re.Match) -> bool:
    """2024年预算收入比2024年减少: the clause's subject year is its own base. The subject may
    be a year read as a base itself (原因是2025年预算收入比2025年减少): the later base says it is not."""
    subject = next((m for m, role in reversed(before) if role in ("subject", "base")), None)
    return subject is not None and subject.group(1) == base.group(1) and not re.search(r"[，,；;。]", text[subject.end():base.start()])


def asset_dates(ctx: Context, rule, sentence, text: str, year: int, final: bool):
    if not phrase(ctx, "asset_sentence").search(text):
        return
    for match in phrase(ctx, "asset_date").finditer(text):
        found = int(match.group(3))
        expected = year if final else year - 1
        if found != expected and not (not final and found == year and early_in_year(match.group(4))):
            yield finding(ctx, rule, sentence, text, match, year, expected, "asset", final)


def early_in_year(when: str) -> bool:
    """A budget published in the spring may state its assets at a month-end of its own
    year (截至2026年1月31日): up to June, not the year's end."""
    month = re.match(r"(\d{1,2})月", when or "")
    return bool(month) and int(month.group(1)) <= 6


MEANING = {
    "base": ("比较的基数应为上年（{expected}年），文中写作 {found} 年", "the base of a comparison is the year before ({expected}); the text says {found}"),
    "subject": ("本年预算应为 {year} 年，文中写作 {found} 年", "this budget's year is {year}; the text says {found}"),
    "itself": ("比较的基数不能是同一年（{found} 年与 {found} 年相比），应为上年", "a year is compared with itself ({found}); the base is the year before"),
    "label": ("上年应为 {year_before} 年、本年应为 {year} 年，文中写作 {found} 年", "上年 is {year_before} and 本年 {year}; the text says {found}"),
    "asset": ("{kind}的资产状况应截至 {expected} 年，文中为 {found} 年", "a {kind_en} states its assets at {expected}; the text says {found}"),
}


def finding(ctx: Context, rule, sentence, text: str, match: re.Match, year: int, expected: int, problem: str, final: bool = False) -> Finding:
    found = int(YEAR.search(match.group(0)).group(1))
    zh, en = MEANING[problem]
    fields = {"expected": expected, "found": found, "year": year, "year_before": year - 1,
              "kind": "决算" if final else "预算", "kind_en": "final account" if final else "budget"}
    around = text[max(0, match.start() - 12): match.end() + 16]
    return Finding(rule.id, rule.severity,
                   say(ctx, f"{rule.title('zh')}：第{sentence.page}页「{around}」：封面为 {year} 年，{zh.format(**fields)}",
                       f"{rule.title('en')}: p.{sentence.page} 「{around}」: the cover says {year}; {en.format(**fields)}"),
                   expected=str(expected), actual=str(found), locations=[sentence_location(sentence)],
                   key=f"year|{problem}|{found}|{around}")


def validate(rule, ruleset) -> None:
    require(rule, {"problem"}, set())
    if rule.get("problem") not in (None, "budget_year", "asset_date"):
        raise RuleFileError(str(rule.path), rule.line("problem"), "`problem` 应为 budget_year / asset_date")


YEAR_KINDS = {
    "year_reference": CheckKind("year_reference", "叙述中的年度与封面年度一致：本年预算、比较基数（上年）、资产截止日期", validate, run_year_reference),
}
