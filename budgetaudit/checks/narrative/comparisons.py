"""Check kinds on the words that compare two stated amounts.

- `comparison_word`: a sentence states this year's amount and the year before's (by year,
  上年/本年, or as the base after 比/较) and a comparison word after them — 增加/增长 (up),
  减少/下降 (down), 持平/一致 (same), or 决算数大于/小于/等于预算数: the word must agree with
  the two figures (「2026年预算数为7.61万元，2025年预算数为9.23万元，和2025年相比预算增加」 is
  a decrease).
- `completion_rate`: a 决算 sentence states a budget (年初预算/全年预算/预算数), the outturn
  (决算/执行数) and 完成…预算的 r%: r = 决算 ÷ 预算, within the rounding of the printed figures;
  a 决算数大于/小于预算数 that follows must agree with the two figures.

The document's year is the cover's; amounts are read from the sentence text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...ingest.facts import cover_year
from ...model.findings import Finding, sentence_location
from ...model.quantity import NUM, Quantity, format_decimal, parse_quantity
from ...model.text import squash
from ...ruleset.loading import require
from ...vocabulary.layout_patterns import YEAR  # 2026年, group 1 the year (rules/layout.yaml `year`)
from ..base import CheckKind, Context, say
from ..common import compiled, phrases

AMOUNT = re.compile(rf"(?<![\d.,])({NUM})(万元|亿元|元)(?!以上|以下|以内)")
CLAUSE = re.compile(r"[，,；;：:。]")
BASE_WORD = re.compile(r"(比|较|相较|同比|与|和|同)")
UP = ("增加", "增长", "上升", "提高", "增", "大于", "高于", "多于", "超过")
DOWN = ("减少", "下降", "降低", "减低", "压减", "减", "小于", "低于", "少于")
SAME = ("持平", "一致", "相同", "无增减", "无变化", "没有变化", "等于")
WORD = re.compile(r"(持平|一致|相同|无增减变化|无增减|无变化|没有变化|大于|小于|等于|高于|低于|多于|少于|超过|增加|增长|上升|提高|减少|下降|降低|减低|压减)")
HUNDRED = Decimal(100)


@dataclass
class Stated:
    quantity: Quantity
    start: int
    end: int
    year: int  # the year its clause names (0: none)
    base: bool  # written after 比/较: the base of a comparison


def amounts_with_years(text: str, year: int, figure_of_year: re.Pattern, other_figure: re.Pattern) -> list[Stated]:
    """Every amount of the sentence with the year its own clause names: `figure_of_year` marks a
    clause stating a year's figure, `other_figure` one stating a part of it (rules/phrases.yaml)."""
    found, cut = [], 0
    for match in AMOUNT.finditer(text):
        head = text[cut:match.start()]
        cut_at = max((m.end() for m in CLAUSE.finditer(head)), default=0)
        clause = head[cut_at:]
        years = YEAR.findall(clause)
        named = int(years[-1]) if years else (year - 1 if "上年" in clause else year if re.search(r"本年|今年", clause) else 0)
        base = bool(re.match(r"^(比|较|相较|同比)", clause))
        if other_figure.search(clause) or WORD.search(clause) or not (base or figure_of_year.search(clause)):
            named = 0  # the change (比上年减少48.12万元), a part (上年结转200万元), or no year's figure
        quantity = parse_quantity(match.group(1) + match.group(2))
        if quantity is not None:
            found.append(Stated(quantity, match.start(), match.end(), named, base))
        cut = match.end()
    return found


def direction_of(word: str) -> int:
    if word.startswith(SAME):
        return 0
    return 1 if word.startswith(UP) else -1


def run_comparison_word(ctx: Context, rule):
    year = cover_year(ctx.doc)
    if year is None:
        return
    figure_of_year, other_figure = compiled(str(phrases(ctx)["comparison_figure_words"])), compiled(str(phrases(ctx)["comparison_part_words"]))
    for sentence in ctx.doc.sentences:
        text = squash(sentence.text)
        if not WORD.search(text):
            continue
        stated = amounts_with_years(text, year, figure_of_year, other_figure)
        this = next((s for s in stated if s.year == year and not s.base), None)
        base = next((s for s in stated if s.year == year - 1 and s is not this), None)
        if this is None or base is None:
            continue
        word = word_after(text, max(this.end, base.end))
        finding = word_finding(ctx, rule, sentence, text, this.quantity, base.quantity, word, "year") if word else None
        if finding:
            yield finding


def word_after(text: str, position: int) -> str:
    """The first comparison word after both amounts, in the same clause chain (no 。 or ；),
    unless another amount stands between (the word then compares that one)."""
    tail = re.split(r"[。；;]", text[position:], maxsplit=1)[0]
    word = WORD.search(tail)
    if word is None or AMOUNT.search(tail[:word.start()]):
        return ""
    return word.group(1)


def word_finding(ctx: Context, rule, sentence, text: str, this: Quantity, base: Quantity, word: str, what: str) -> Finding | None:
    unit = this.unit
    difference = this.in_unit(unit) - base.in_unit(unit)
    slack = this.tolerance_in(unit) + base.tolerance_in(unit)
    said = direction_of(word)
    actual = 0 if abs(difference) <= slack else (1 if difference > 0 else -1)
    if said == actual or (actual == 0 and said != 0):
        return None  # equal within rounding: any word may stand
    names = {1: ("增加", "up"), -1: ("减少", "down"), 0: ("持平", "the same")}
    first, second = ("本年", "上年") if what == "year" else ("决算数", "预算数")
    first_en, second_en = ("this year", "the year before") if what == "year" else ("the outturn", "the budget")
    around = text[:80]
    return Finding(rule.id, rule.severity,
                   say(ctx, f"{rule.title('zh')}：第{sentence.page}页「{around}」：{first} {this}，{second} {base}，应为{names[actual][0]}，文中写「{word}」",
                       f"{rule.title('en')}: p.{sentence.page} 「{around}」: {first_en} {this}, {second_en} {base}: {names[actual][1]}, the text says 「{word}」"),
                   expected=names[actual][0], actual=word, difference=f"{format_decimal(difference)}{unit}",
                   locations=[sentence_location(sentence)],
                   key=f"compare|{format_decimal(this.value)}|{format_decimal(base.value)}|{word}")


# --- completion_rate ------------------------------------------------------------

_BUDGET = rf"(?P<label>年初预算|全年预算|调整预算|预算)数?(?:为|是)?(?P<a>{NUM})(?P<au>万元|元)"
_OUTTURN = rf"(?:决算|执行数|执行|实际支出|支出决算)数?(?:为|是)?(?P<b>{NUM})(?P<bu>万元|元)"
COMPLETION = re.compile(_BUDGET + r"[，,]?[^。；;%]{0,24}?" + _OUTTURN + r"[，,]?[^。；;\d%]{0,10}?完成(?P<which>年初预算|全年预算|调整预算|预算)?(?:数)?的?(?P<r>" + NUM + r")%")
VERDICT = re.compile(r"^[^。；;]{0,12}?决算数?(?P<word>大于|小于|等于|高于|低于|与[^，。；;]{0,6}?持平)(?:年初|全年)?预算数?")


def run_completion_rate(ctx: Context, rule):
    sentences = list(ctx.doc.sentences)
    for index, sentence in enumerate(sentences):
        text = squash(sentence.text)
        matches = list(COMPLETION.finditer(text))
        for match in matches:
            budget = parse_quantity(match.group("a") + match.group("au"))
            outturn = parse_quantity(match.group("b") + match.group("bu"))
            rate = parse_quantity(match.group("r") + "%")
            if None in (budget, outturn, rate):
                continue
            finding = rate_finding(ctx, rule, sentence, text, match, budget, outturn, rate)
            if finding:
                yield finding
            following = text[match.end():]
            last = match is matches[-1]  # only the sentence's last rate is followed by the next sentence
            if not VERDICT.match(following) and last and index + 1 < len(sentences) and sentences[index + 1].section == sentence.section:
                following = squash(sentences[index + 1].text)
            verdict = VERDICT.match(following)
            if verdict:
                word = verdict.group("word")
                finding = word_finding(ctx, rule, sentence, text, outturn, budget, "持平" if "持平" in word else word, "final")
                if finding:
                    yield finding


def rate_finding(ctx: Context, rule, sentence, text: str, match, budget: Quantity, outturn: Quantity, rate: Quantity) -> Finding | None:
    unit = "万元" if "万元" in (budget.unit, outturn.unit) else budget.unit
    a, ha = budget.in_unit(unit), budget.tolerance_in(unit)
    b, hb = outturn.in_unit(unit), outturn.tolerance_in(unit)
    if a - ha <= 0:
        return None  # a zero budget has no completion rate
    low, high = (b - hb) / (a + ha) * HUNDRED, (b + hb) / (a - ha) * HUNDRED
    if rate.value + rate.half_ulp >= low and rate.value - rate.half_ulp <= high:
        return None
    expected = b / a * HUNDRED
    places = max(rate.places, 2)
    shown = format_decimal(expected.quantize(Decimal(1).scaleb(-places)))
    around = text[max(0, match.start() - 6): match.end()]
    return Finding(rule.id, rule.severity,
                   say(ctx, f"{rule.title('zh')}：第{sentence.page}页「{around}」：{budget.__str__()} 的预算、{outturn} 的决算，完成率应为 {shown}%，文中为 {rate}",
                       f"{rule.title('en')}: p.{sentence.page} 「{around}」: budget {budget}, outturn {outturn}: the completion rate is {shown}%, the text says {rate}"),
                   expected=f"{shown}%", actual=str(rate), difference=f"{format_decimal((rate.value - expected).quantize(Decimal(1).scaleb(-places)))}%",
                   locations=[sentence_location(sentence)],
                   key=f"completion|{format_decimal(budget.value)}|{format_decimal(outturn.value)}|{format_decimal(rate.value)}")


def no_keys(rule, ruleset) -> None:
    require(rule, set(), set())


COMPARISON_KINDS = {
    "comparison_word": CheckKind("comparison_word", "增加/减少/持平等比较用语与所比较的两个金额一致", no_keys, run_comparison_word),
    "completion_rate": CheckKind("completion_rate", "决算完成率 = 决算数 ÷ 预算数；决算数大于/小于预算数与两个金额一致", no_keys, run_completion_rate),
}
