"""One message mechanism for every check kind: a rule's `message:` (and
`message_en:`) template replaces the kind's own text, with the same fields
everywhere (ruleset/rule.py MESSAGE_FIELDS)."""
from __future__ import annotations

import pytest
from conftest import REAL, altered, build_variant, parsed, sample

from budgetaudit.checks import KINDS, load_rules, run_rule
from budgetaudit.checks.base import Context, message_fields
from budgetaudit.ruleset.rule import MESSAGE_FIELDS
from budgetaudit.safe.errors import RuleFileError

# kind → (document, a shipped rule of that kind that fires on it). "anshan+", "dashuju+" and
# "yongdeng+" are sample variants with one figure changed per kind (see VARIANTS).
FIRING = {
    "classification": ("hanzhong-zwfw-2023", "C-CODE-001"),
    "code_names": ("dashuju+", "T-NAME-001"),
    "contradiction": ("anshan-zwfwzx-2025", "N-CONTRA-001"),
    "coverage": ("hanzhong-zwfw-2023", "N-COV-001"),
    "definition": ("anshan-zwfwzx-2025", "N-DEF-001"),
    "draft_mark": ("yangcheng-zwfw-2025", "P-DRAFT-001"),
    "empty_table": ("anshan-zwfwzx-2025", "P-EMPTY-003"),
    "enumeration": ("yongdeng-zwfw-2024", "N-ENUM-001"),
    "form_tie": ("dashuju+", "X-TIE-011"),
    "hierarchy": ("anshan+", "T-HIER-001"),
    "identity": ("anshan-zwfwzx-2025", "P-ID-001"),
    "item_amount": ("hanzhong-zwfw-2023", "C-ITEM-001"),
    "narrative_empty_table": ("anshan-zwfwzx-2025", "N-EMPTY-001"),
    "narrative_match": ("yongdeng-zwfw-2024", "N-TIE-001"),
    "part_exceeds_whole": ("anshan+", "C-PART-001"),
    "phrase": ("hanzhong-zwfw-2023", "P-REM-001"),
    "project_amounts": ("yangcheng-zwfw-2025", "X-TIE-010"),
    "project_names": ("yongdeng-zwfw-2024", "P-PROJ-001"),
    "rate": ("anshan-zwfwzx-2025", "N-RATE-001"),
    "reading": ("dashuju-2024", "R-READ-004"),
    "required_sections": ("hanzhong-zwfw-2023", "P-REQ-002"),
    "required_tables": ("dashuju-2024", "P-REQ-001"),
    "row_identity": ("anshan+", "T-COL-001"),
    "row_sum": ("hanzhong-zwfw-2023", "T-BAL-006"),
    "share": ("yongdeng+", "N-SHARE-001"),
    "stated_base": ("anshan+", "C-CHG-001"),
    "text_pattern": ("anshan+", "C-TEXT-001"),
    "tie": ("anshan+", "X-TIE-001"),
    "toc": ("yongdeng-zwfw-2024", "P-TOC-003"),
    "year_reference": ("beijing-justice+", "N-YEAR-001"),
    "comparison_word": ("changchun-petitions+", "N-CMP-001"),
    "completion_rate": ("central-final+", "N-DONE-001"),
}

VARIANTS = {
    "anshan+": ("anshan-zwfwzx-2025", [
        ("2014199\t其他数据事务支出\t159.10\t\t\t\t159.10", "2014199\t其他数据事务支出\t159.20\t\t\t\t159.10", 1),
        ("30107\t绩效工资\t197.65\t197.65", "30107\t绩效工资\t197.75\t197.75"),
        ("\t\t十五、住房保障支出\t119.56", "\t\t十五、住房保障支出\t119.65"),
        ("2025年事业运行经费预算为167.92万元，",
         "2024年当年预算执行数为150.00万元，2025年预算安排167.92万元，比2024年预算执行数增加15.00%。2025年事业运行经费预算为167.92万元，"),
        ("特种专业技术用车0辆，其他用车1辆", "特种专业技术用车0辆，其他用车3辆"),
        ("（五）为进驻政务服务大厅的中（省）直垂管部门", "（五）为进驻某某政务服务大厅的中（省）直垂管部门"),
    ]),
    "dashuju+": ("dashuju-2024", [
        ("221\t住房保障支出\t179.76\t179.76\t179.76", "221\t城乡社区支出\t179.76\t179.76\t179.76", 1),
        ("基本支出人员经费（刚性）\t\t\t194.72", "基本支出人员经费（刚性）\t\t\t195.72"),
    ]),
    "yongdeng+": ("yongdeng-zwfw-2024", [("占 65%", "占 60%")]),
}

# Real files (../shared/real) with one sentence of the parsed model changed: kinds that read wording
# the samples do not print (a 决算's completion rates) or print only correctly.
ALTERED = {
    "beijing-justice+": ("cn-beijing_2026_北京市司法局_部门预算", "2026年度收入预算29956.27万元", "2025年度收入预算29956.27万元"),
    "changchun-petitions+": ("cn-changchun_2026_长春市信访局_部门预算", "和2025年相比预算减少1.62万元", "和2025年相比预算增加1.62万元"),
    "central-final+": ("cn-central_2024_国家信访局_部门决算", "完成年初预算的91.14%", "完成年初预算的93.14%"),
}
TEMPLATE = "«{rule}» {title} [{severity}] {expected}|{actual}|{diff}|{difference} p{page} @ {where} :: {message}"
TEMPLATE_EN = "EN «{rule}» {expected}|{actual} :: {message}"


def override_folder(tmp_path):
    """One rule per kind, extending a shipped rule that fires, with message templates."""
    folder = tmp_path / "messages"
    folder.mkdir()
    for kind, (_, rule_id) in FIRING.items():
        (folder / f"MSG-{kind}.yaml").write_text(
            f"id: MSG-{kind}\nextends: {rule_id}\nmessage: '{TEMPLATE}'\nmessage_en: '{TEMPLATE_EN}'\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    docs = {}
    for name in sorted({doc for doc, _ in FIRING.values()}):
        if name in VARIANTS:
            base, replacements = VARIANTS[name]
            docs[name] = parsed(str(build_variant(tmp_path_factory.mktemp("variant"), base, replacements)))
        elif name in ALTERED:
            stem, old, new = ALTERED[name]
            if (REAL / f"{stem}.pdf").is_file():
                docs[name] = altered(parsed(str(REAL / f"{stem}.pdf")), old, new)
        else:
            docs[name] = parsed(str(sample(name)))
    return docs


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory):
    return load_rules([override_folder(tmp_path_factory.mktemp("rules"))])


def test_every_kind_has_a_firing_case():
    assert sorted(FIRING) == sorted(KINDS), "add a document and a firing rule for each new check kind"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(FIRING))
def test_message_template_replaces_the_kinds_text(kind, lang, documents, ruleset):
    name, base_id = FIRING[kind]
    if name not in documents:
        pytest.skip(f"{ALTERED[name][0]}.pdf not found in ../shared/real")
    ctx = Context(documents[name], ruleset, lang)
    own = [f for f in run_rule(ctx, ruleset.rules[base_id]) if hasattr(f, "message")]
    templated = [f for f in run_rule(ctx, ruleset.rules[f"MSG-{kind}"]) if hasattr(f, "message")]
    assert own, f"{base_id} does not fire on {name}"
    assert len(templated) == len(own)
    template = TEMPLATE_EN if lang == "en" else TEMPLATE
    for plain, custom in zip(own, templated):
        fields = message_fields(ctx, ruleset.rules[f"MSG-{kind}"], plain)
        assert custom.message == template.format(**fields)
        assert custom.message.startswith(("EN " if lang == "en" else "") + f"«MSG-{kind}»")
        assert (custom.expected, custom.actual, custom.difference, custom.severity) == (plain.expected, plain.actual, plain.difference, plain.severity)


def test_every_field_is_filled(documents, ruleset):
    ctx = Context(documents["anshan+"], ruleset)
    finding = next(f for f in run_rule(ctx, ruleset.rules["X-TIE-001"]) if hasattr(f, "message"))
    fields = message_fields(ctx, ruleset.rules["X-TIE-001"], finding)
    assert set(fields) == set(MESSAGE_FIELDS)
    assert fields["page"] and "第" in fields["where"] and fields["diff"] == fields["difference"]


def test_unknown_field_is_a_rule_file_error(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "MY-001.yaml").write_text("id: MY-001\nextends: X-TIE-001\nmessage: '{expectd} vs {actual}'\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules([folder])
    assert "MY-001.yaml:3" in str(info.value.message("en")) and "expectd" in str(info.value.message("en"))
