"""Real pages of the narrative-context classes (real2, outside the held-aside fold): each FALSE
finding of the class does not return, and every finding reviewed TRUE on the same document is
still reported at error. The synthetic cases of each class are in tests/test_narrative_context.py."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import findings_of, real2_path, with_merged

VERDICTS = yaml.safe_load((Path(__file__).resolve().parent / "verdicts.yaml").read_text(encoding="utf-8"))

# (document, class of misreading): one real2 document per class
CASES = [
    ("cn-shenzhen_2026_深圳市生态环境局_部门预算", "entity/unit-sections"),
    ("cn-xian_2026_西安市科技创新局_部门预算", "entity/two-units"),
    ("cn-xian_2026_西安市生态环境局_部门预算", "classification/309-vs-310"),
    ("cn-xian_2026_西安市生态环境局_部门预算", "classification/503-vs-504"),
    ("cn-xian_2026_西安市人力资源和社会保障局_部门预算", "classification/dept-vs-gov-economic"),
    ("cn-xian_2026_西安市财政局_部门预算", "classification/项-vs-类"),
    ("cn-shenzhen_2026_深圳市医疗保障局_部门预算", "fund-scope/transfer-subset"),
    ("cn-shenzhen_2026_深圳市司法局_部门预算", "other/concept-by-substring"),
    ("cn-fuzhou_2026_福州市医疗保障局_部门预算", "entity"),
]


def verdicts(stem: str, **wanted) -> set[tuple[str, str]]:
    return {(e["rule"], str(e["key"])) for e in VERDICTS
            if e["file"] == stem and all(str(e.get(k)) == str(v) for k, v in wanted.items())}


@pytest.mark.parametrize("stem,klass", CASES, ids=[c[1] for c in CASES])
def test_the_class_does_not_return_and_true_findings_stay(stem, klass):
    errors = {(f.rule, f.key) for f in with_merged(findings_of(str(real2_path(stem)))) if f.severity == "error"}
    false = verdicts(stem, verdict="FALSE", **{"class": klass})
    assert false, f"no FALSE verdict of {klass} on {stem}"
    assert not false & errors
    assert verdicts(stem, verdict="TRUE") <= errors
