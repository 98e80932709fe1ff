"""Required tables and explanations, by publication profile (rules/profiles/*.yaml)."""
from __future__ import annotations

from ...model.findings import Finding, Location, Skip
from ...safe.yamlfile import Mapping
from ..base import CheckKind, Context, say
from ..common import (
    chosen_profile,
    compiled,
    narrative_items,
    norm,
    outline,
    phrases,
    present_kinds,
    printed_by_meaning,
    printed_titles,
    profile_name,
    similar,
    tables_elsewhere_finding,
    tables_published_elsewhere,
    unrecognised_titles,
    validate_none,
    varying_words,
)


def numbered_like(ctx: Context, entry) -> bool:
    """A heading with the entry's number and (nearly) its title counts even if recognised as another kind."""
    title = norm(str(entry.get("title") or ""))
    return bool(title) and any(h.number == entry.get("number") and similar(norm(h.title), title) >= 0.8 for h in outline(ctx).tables)


def run_required_tables(ctx: Context, rule):
    profile, how = chosen_profile(ctx)
    if profile is None:
        yield Skip(rule.id, "没有可用的公开模板 / no profile", "not_applicable")
        return
    present, unknown = present_kinds(ctx), unrecognised_titles(ctx)
    catalog, pname = ctx.ruleset.catalog, profile_name(ctx, profile)
    elsewhere = tables_published_elsewhere(ctx)
    if elsewhere:
        titles = [str(e.get("title") or catalog.zh(e["kind"])) for e in profile.get("tables", [])]
        yield tables_elsewhere_finding(ctx, rule, elsewhere, titles, "required-tables-elsewhere")
        return
    printed = printed_titles(ctx)
    for entry in profile.get("tables", []):
        kind = entry["kind"]
        if kind in present or numbered_like(ctx, entry) or any(k in present for k in entry.get("or", []) or []):
            continue
        if entry.get("title") and printed_by_meaning(str(entry["title"]), printed, varying_words(ctx)):
            continue  # its title is printed (the table itself not recognised: R-READ-002 says so)
        name = str(entry.get("title") or catalog.zh(kind))
        number = f"表{entry['number']} " if entry.get("number") else ""
        if unknown:
            listed = "、".join(unknown[:3])
            yield Finding(rule.id, "warning", say(ctx, f"未识别到{number}{name}（{pname}要求公开）；文档中有未能识别的表格（{listed}），可能就是它，请人工核对",
                                                  f"{number}{catalog.kinds[kind].en} (required by {pname}) not recognised; unrecognised tables ({listed}) may be it"),
                          expected=name, actual=say(ctx, "未识别", "unrecognised"), locations=[Location(None, name)], key=f"required|{kind}")
        else:
            yield Finding(rule.id, str(entry.get("severity") or rule.severity), say(ctx, f"缺少{number}{name}（{pname}要求公开；模板{'由 --profile 指定' if how == 'requested' else '按文档特征判定' if how == 'detected' else '为默认'}）",
                                                      f"missing {number}{catalog.kinds[kind].en} (required by {pname})"),
                          expected=name, actual=say(ctx, "缺失", "missing"), locations=[Location(None, name)], key=f"required|{kind}")


def section_present(ctx: Context, spec: Mapping) -> bool:
    titles = [compiled(p) for p in spec.get("titles", [])]
    sentences = [compiled(p) for p in spec.get("sentences", [])]
    reasons = [compiled(p) for p in spec.get("reason", [])]
    items = list(narrative_items(ctx))
    matched = [(sec, text) for _, sec, text in items if any(p.search(sec) for p in titles)]
    if reasons:
        return any(p.search(text) for _, text in matched for p in reasons)
    return bool(matched) or any(p.search(text) for _, _, text in items for p in sentences)


def run_required_sections(ctx: Context, rule):
    profile, _ = chosen_profile(ctx)
    if profile is None:
        yield Skip(rule.id, "没有可用的公开模板 / no profile", "not_applicable")
        return
    specs = phrases(ctx).get("sections", {})
    if not ctx.doc.sentences and not ctx.doc.sections:  # a file of tables only (a 报表 published apart from its 情况说明)
        yield Finding(rule.id, "info", say(ctx, "本文件只有报表，没有情况说明；要求说明的事项无法在本文件中核对（情况说明可能另行公开）",
                                            "this file holds tables only, no explanation: the required explanations cannot be checked here"),
                      expected=say(ctx, "情况说明", "an explanation"), actual=say(ctx, "不在本文件中", "not in this file"), locations=[Location(None)], key="sections|no-narrative")
        return
    for key in profile.get("sections", []):
        spec = specs.get(key)
        if spec is None:
            yield Skip(rule.id, f"phrases.yaml 没有 sections.{key} / no aliases for {key}")
            continue
        if not section_present(ctx, spec):
            name = say(ctx, str(spec.get("zh", key)), str(spec.get("en", key)))
            yield Finding(rule.id, rule.severity, say(ctx, f"情况说明缺少「{name}」（{profile_name(ctx, profile)}要求说明）", f"the explanation lacks: {name} (required by {profile_name(ctx, profile)})"),
                          expected=name, actual=say(ctx, "未找到", "not found"), locations=[Location(None, row=name)], key=f"section|{key}")


REQUIRED_KINDS = {
    "required_tables": CheckKind("required_tables", "必须公开的表格（按公开模板）", validate_none, run_required_tables),
    "required_sections": CheckKind("required_sections", "必须说明的事项（按公开模板）", validate_none, run_required_sections),
}
