"""Stage 4, the rules: what a rule is (rule.py), rule folders loaded and validated with
file:line (loading.py), budgetaudit.yaml (config.py), select/ignore and per-rule
settings (selection.py), and a rule shown as `check` runs it (view.py). The check kinds
themselves are in budgetaudit/checks/; the loader receives them from its caller."""
