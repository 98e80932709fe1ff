"""Check kinds of rules/checks/narrative/: the figures the narrative states, tied to the
tables (match.py), rates and shares (rates.py), lists (lists.py), comparison words and
completion rates (comparisons.py), the years a sentence writes (years.py); shared.py is
what they share (not a check kind)."""
