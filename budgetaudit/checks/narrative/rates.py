"""Narrative check kinds on derived figures: a rate of change (rate) and a
share (share), each recomputed from the amounts the sentence states."""
from __future__ import annotations

from decimal import Decimal

from ...ingest.facts import Fact
from ...model.findings import Finding
from ...model.quantity import format_decimal
from ..base import CheckKind, Context, fmt
from .shared import HUNDRED, concept_name, loc, narrative_of, plain, quote, rate_bounds, validator, whole_of_share

# --- rate: rate = change ÷ last year, last year = this year ∓ change -----------

def run_rate(ctx: Context, rule):
    for fact in narrative_of(ctx).facts:
        if fact.role != "rate" or fact.change is None or fact.subject is None or fact.change.implied:
            continue
        finding = rate_finding(ctx, rule, fact)
        if finding:
            yield finding


def rate_finding(ctx: Context, rule, rate: Fact) -> Finding | None:
    """An error only when no reading fits: the rate is tried against every amount its
    sentence states before the change (the item's own amount in 「1.X 3,013.00万元，较上年增加
    609.33万元，增长25.35%」, not the paragraph's total before 其中), and against a stated base."""
    change, amount = rate.change, rate.subject
    if change.value.value == 0:
        return None if rate.value.value == 0 else rate_message(ctx, rule, rate, amount.value.in_unit(change.value.unit), None)
    if any(rate_fits(rate, candidate) for candidate in subject_readings(ctx, rate)):
        return None
    base = stated_base(ctx, rate)
    if base is not None and rate_fits_base(rate, amount, base):
        return change_mismatch(ctx, rule, rate, base)
    sign = change.direction or rate.direction or 1
    last = amount.value.in_unit(change.value.unit) - sign * change.value.value
    return rate_message(ctx, rule, rate, last, change.value.value / last * HUNDRED if last > 0 else None)


def subject_readings(ctx: Context, rate: Fact) -> list[Fact]:
    """The linked amount first, then every other money amount of the change's sentence that
    precedes it, nearest first: each is a plausible 'this year' of the rate."""
    passage = narrative_of(ctx).passage_of.get(id(rate))
    others = [] if passage is None else [f for f in passage.facts if f.role == "amount" and f.is_money and not f.base
                                          and f.sentence is rate.change.sentence and f.start < rate.change.start]
    return [rate.subject] + [f for f in reversed(others) if f is not rate.subject]


def rate_fits(rate: Fact, amount: Fact) -> bool:
    change = rate.change
    sign = change.direction or rate.direction or 1
    this = amount.value.in_unit(change.value.unit)
    if this - sign * change.value.value <= 0:
        return False
    low, high = rate_bounds(this, amount.value.tolerance_in(change.value.unit), change.value.value, change.value.half_ulp, sign)
    return rate.value.value + rate.value.half_ulp >= low and rate.value.value - rate.value.half_ulp <= high


def stated_base(ctx: Context, rate: Fact) -> Fact | None:
    """The comparison base the change's sentence states (比2025年年初预算数28479.84万元)."""
    passage = narrative_of(ctx).passage_of.get(id(rate))
    bases = [] if passage is None else [f for f in passage.facts if f.role == "amount" and f.base and f.is_money
                                         and f.sentence is rate.change.sentence and f.start < rate.change.start]
    return bases[-1] if bases else None


def rate_fits_base(rate: Fact, amount: Fact, base: Fact) -> bool:
    """The rate is (this year − base) ÷ base, within the rounding of the printed figures."""
    unit = rate.change.value.unit
    this, last = amount.value.in_unit(unit), base.value.in_unit(unit)
    if last <= 0:
        return False
    slack = amount.value.tolerance_in(unit) + base.value.tolerance_in(unit)
    corners = [(this + a - last - b) / (last + b) * HUNDRED for a in (-slack, slack) for b in (-base.value.tolerance_in(unit), base.value.tolerance_in(unit))]
    stated = abs(rate.value.value)
    return stated + rate.value.half_ulp >= min(abs(c) for c in corners) and stated - rate.value.half_ulp <= max(abs(c) for c in corners)


def change_mismatch(ctx: Context, rule, rate: Fact, base: Fact) -> Finding | None:
    """The rate fits this year and the stated base; the stated change does not: the change is the wrong figure."""
    change, amount, unit = rate.change, rate.subject, rate.change.value.unit
    expected = abs(amount.value.in_unit(unit) - base.value.in_unit(unit))
    tolerance = amount.value.tolerance_in(unit) + base.value.tolerance_in(unit) + change.value.half_ulp
    if abs(expected - change.value.value) <= tolerance:
        return None
    places = max(change.value.places, 2)
    zh = (f"{rule.title('zh')}：{quote(rate)}本年 {amount.value} 与上年 {base.value} 相差 {fmt(expected, unit)}，文中增减额为 {change.value}"
          f"（增减率 {rate.value} 与两年金额相符，错的是增减额）")
    en = (f"{rule.title('en')}: {quote(rate, 'en')} this year {amount.value} and the base {base.value} differ by {fmt(expected, unit)}; the text states a change of "
          f"{change.value} (the rate {rate.value} fits the two amounts: the change is the wrong figure)")
    return Finding(rule.id, rule.severity, en if ctx.lang == "en" else zh, fmt(expected, unit), str(change.value),
                   fmt(change.value.value - expected, unit), [loc(rate)],
                   key=f"{amount.concept or format_decimal(amount.value.value)}|change|{format_decimal(change.value.value)}|{plain(expected, places)}")



def rate_message(ctx: Context, rule, rate: Fact, last: Decimal, expected: Decimal | None) -> Finding:
    change, amount, unit = rate.change, rate.subject, rate.change.value.unit
    name = concept_name(ctx, amount.concept) if amount.concept else ""
    on_this = change.value.value / amount.value.in_unit(unit) * HUNDRED if amount.value.value else None
    this_base = on_this is not None and abs(on_this - rate.value.value) <= rate.value.half_ulp
    places = max(rate.value.places, 2)
    if expected is None:
        expected_text = "无法计算" if ctx.lang != "en" else "undefined"
        reason = ("growth from a zero base" if ctx.lang == "en" else "上年数为 0，增减率无意义") if change.value.value else (
            "no change, so the rate is 0" if ctx.lang == "en" else "增减额为 0，增减率应为 0%")
        if not change.value.value:
            expected_text = "0%"
    else:
        expected_text = f"{plain(expected, places)}%"
        reason = ""
    sign = "+" if (change.direction or rate.direction) < 0 else "−"
    if ctx.lang == "en":
        text = (f"{rule.title('en')}: {quote(rate, 'en')} {name + ' ' if name else ''}{amount.value}, change {change.value}: last year = {amount.value} {sign} {change.value} = "
                f"{fmt(last, unit)}, so the rate is {expected_text}, not {rate.value}" + (f" ({reason})" if reason else "")
                + (f"; {rate.value} is the change divided by this year's amount (wrong base)" if this_base else ""))
    else:
        text = (f"{rule.title('zh')}：{quote(rate)}{'「' + name + '」' if name else ''}{amount.value}，增减额 {change.value}：上年数 = {amount.value} {sign} {change.value} = "
                f"{fmt(last, unit)}，增减率应为 {expected_text}，文中为 {rate.value}" + (f"（{reason}）" if reason else "")
                + (f"；文中的 {rate.value} 是用本年数作分母算出的（基数错误）" if this_base else ""))
    difference = f"{plain(rate.value.value - expected, places)}%" if expected is not None else ""
    return Finding(rule.id, rule.severity, text, expected_text, str(rate.value), difference, [loc(rate)],
                   key=f"{amount.concept or format_decimal(amount.value.value)}|{format_decimal(change.value.value)}|{format_decimal(rate.value.value)}")


# --- share: 占X% = part ÷ whole ------------------------------------------------

def run_share(ctx: Context, rule):
    narrative = narrative_of(ctx)
    for fact in narrative.facts:
        if fact.role != "share" or fact.subject is None:
            continue
        whole = whole_of_share(ctx, narrative, fact)
        if whole is None or whole.value.value == 0:
            continue
        finding = share_finding(ctx, rule, fact, whole)
        if finding:
            yield finding



def share_finding(ctx: Context, rule, share: Fact, whole: Fact) -> Finding | None:
    part = share.subject
    unit = whole.value.unit
    p, w = part.value.in_unit(unit), whole.value.value
    pt, wt = part.value.tolerance_in(unit), whole.value.half_ulp
    low, high = (p - pt) / (w + wt) * HUNDRED, (p + pt) / (w - wt) * HUNDRED if w > wt else Decimal("Infinity")
    stated = share.value.value
    if stated + share.value.half_ulp >= low and stated - share.value.half_ulp <= high:
        return None
    expected = p / w * HUNDRED
    places = max(share.value.places, 2)
    part_name = concept_name(ctx, part.concept) if part.concept else str(part.value)
    whole_name = concept_name(ctx, whole.concept) if whole.concept else str(whole.value)
    # One unit of the last digit beyond the rounding: shares nudged so that they add to
    # 100% (尾差调整) are a habit, not a certain error — a person decides.
    last_digit = share.value.half_ulp * 2
    nudged = stated + share.value.half_ulp + last_digit >= low and stated - share.value.half_ulp - last_digit <= high
    severity = "warning" if nudged and rule.severity == "error" else rule.severity
    if ctx.lang == "en":
        text = (f"{rule.title('en')}: {quote(share, 'en')} {part_name} {part.value} ÷ {whole_name} {whole.value} = {plain(expected, places)}%, the text says {share.value}"
                + ("; one unit of the last digit: possibly adjusted so that the shares add to 100%" if nudged else ""))
    else:
        text = (f"{rule.title('zh')}：{quote(share)}「{part_name}」{part.value} ÷「{whole_name}」{whole.value} = {plain(expected, places)}%，文中为 {share.value}"
                + ("；只差末位 1 个单位，可能是为使各项占比合计 100% 所作的尾差调整，请人工确认" if nudged else ""))
    return Finding(rule.id, severity, text, f"{plain(expected, places)}%", str(share.value), f"{plain(stated - expected, places)}%",
                   [loc(share), loc(whole)], key=f"{part.concept or format_decimal(part.value.value)}|{format_decimal(stated)}")



NARRATIVE_RATE_KINDS = {
    "rate": CheckKind("rate", "增减率 = 增减额 ÷ 上年数（上年数 = 本年数 ∓ 增减额）", validator(set()), run_rate),
    "share": CheckKind("share", "占比 = 部分 ÷ 总数", validator(set()), run_share),
}
