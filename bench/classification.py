"""How well rules/classification/ knows the (科目编码, name) pairs real documents print.

    python bench/classification.py               # ../shared/real and samples/
    python bench/classification.py FOLDER …       # any folders of PDFs
    python bench/classification.py --draft        # YAML entries for printed codes the data lacks

Every table row keyed by a 支出功能分类 (2xx), 部门经济分类 (3xx) or 政府经济分类
(5xx) code, and every code/name cell of cross-classified tables, is one pair.
Prints: pairs in the corpus, pairs whose code the data knows, pairs whose printed
name agrees with the data (current name, a former name or a listed alias), and every
disagreement (code, printed name, data name, file, page) for review. Reviewed
disagreements are in tests/real/CLASSIFICATION_REVIEW.md. Parsed documents come from the
parse cache (~/.cache/budgetaudit) when it holds them.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetaudit.checks import load_rules  # noqa: E402
from budgetaudit.ingest.assemble import build_document  # noqa: E402
from budgetaudit.run.cache import DocumentCache, cache_dir  # noqa: E402
from budgetaudit.safe.errors import BudgetAuditError  # noqa: E402
from budgetaudit.vocabulary.classification_codes import classification_of, normalize, printed_pairs  # noqa: E402


def corpus_pairs(paths: list[Path], ruleset) -> list[tuple[str, str, str, int]]:
    """(code, printed name, file, page), each printed pair once per file and page."""
    cache = DocumentCache(cache_dir(), ruleset.catalog)
    seen, out = set(), []
    for path in paths:
        doc = cache.load(path)
        if doc is None:
            try:
                doc = build_document(path, ruleset.catalog)
            except BudgetAuditError as exc:
                print(f"# {path.name}: {exc.key}", file=sys.stderr)
                continue
            cache.store(path, doc)
        for table in doc.tables:
            for pair in printed_pairs(table):
                item = (pair.code, pair.name.strip(), path.name, pair.page)
                if item not in seen:
                    seen.add(item)
                    out.append(item)
    return out


def review(pairs, data) -> tuple[Counter, list]:
    counts, disagreements = Counter(), []
    for code, name, file, page in pairs:
        counts["pairs"] += 1
        entry = data.get(code)
        if entry is None:
            counts["unknown code"] += 1
            disagreements.append(("unknown", code, name, "", file, page))
            continue
        counts["code known"] += 1
        if normalize(name) in entry.names():
            counts["name agrees"] += 1
        else:
            disagreements.append(("differs", code, name, entry.name, file, page))
    return counts, disagreements


def draft(pairs, data) -> None:
    """YAML for codes the data lacks: the name most documents print, with its first source."""
    names: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple[str, str], tuple[str, int]] = {}
    for code, name, file, page in pairs:
        if data.get(code) is None:
            names[code][normalize(name)] += 1
            where.setdefault((code, normalize(name)), (file, page))
    for code in sorted(names):
        name, _ = names[code].most_common(1)[0]
        file, page = where[(code, name)]
        print(f'  "{code}": {{name: {name}, source: "corpus: {file} p.{page}"}}')


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    folders = [Path(a) for a in args] or [ROOT.parent / "shared" / "real", ROOT / "samples"]
    paths = sorted(p for f in folders for p in f.glob("*.pdf"))
    ruleset = load_rules()
    data = classification_of(ruleset)
    pairs = corpus_pairs(paths, ruleset)
    if "--draft" in argv:
        draft(pairs, data)
        return
    counts, disagreements = review(pairs, data)
    systems = Counter(data.system_of(code) or "other" for code, *_ in pairs)
    print(f"documents: {len(paths)}   data entries: {len(data.entries)}")
    print(f"pairs in corpus:      {counts['pairs']}   ({', '.join(f'{k} {v}' for k, v in sorted(systems.items()))})")
    print(f"pairs whose code is known: {counts['code known']} / {counts['pairs']}  ({100 * counts['code known'] / max(1, counts['pairs']):.1f}%)")
    print(f"pairs whose name agrees:   {counts['name agrees']} / {counts['pairs']}  ({100 * counts['name agrees'] / max(1, counts['pairs']):.1f}%)")
    distinct = {(c, normalize(n)) for c, n, *_ in pairs}
    print(f"distinct (code, name): {len(distinct)}; distinct codes: {len({c for c, _ in distinct})}")
    print(f"\ndisagreements ({len(disagreements)}): kind | code | printed name | data name | file | page")
    for kind, code, name, known, file, page in sorted(disagreements, key=lambda d: (d[0], d[1], d[4], d[5])):
        print(f"{kind} | {code} | {name} | {known} | {file} | {page}")


if __name__ == "__main__":
    main(sys.argv[1:])
