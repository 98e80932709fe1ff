"""Choose the held-aside fold of a corpus folder: about a fifth of its PDFs, at random
(fixed seed), stratified by city so that no city dominates.

    python bench/fold.py ../shared/real2 > tests/real/fold.txt

Each city (the file name's first field, e.g. ``cn-xian``) gets its share of the fold by
largest remainder of n/5; the files within a city are drawn with ``random.Random(SEED)``.
Nobody looks at the fold's findings until the end of the work it measures: its first-look
precision is what users of unseen documents get.
"""
from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261207
SHARE = 5


def city(name: str) -> str:
    return name.split("_", 1)[0]


def choose(names: list[str], seed: int = SEED, share: int = SHARE) -> list[str]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        groups[city(name)].append(name)
    target = round(len(names) / share)
    quotas = {c: len(g) / share for c, g in groups.items()}
    counts = {c: int(q) for c, q in quotas.items()}
    rng = random.Random(seed)
    # largest remainder; ties broken by a seeded draw, not by name
    order = sorted(groups, key=lambda c: (-(quotas[c] - counts[c]), rng.random()))
    for c in order[: target - sum(counts.values())]:
        counts[c] += 1
    fold = []
    for c in sorted(groups):
        fold.extend(rng.sample(groups[c], counts[c]))
    return sorted(fold)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "real2"
    names = [p.name for p in folder.glob("*.pdf")]
    if not names:
        sys.exit(f"no PDF in {folder}")
    print(f"# fold of {folder.name}: {len(choose(names))} of {len(names)} PDFs, seed {SEED}, stratified by city")
    print("\n".join(choose(names)))


if __name__ == "__main__":
    main()
