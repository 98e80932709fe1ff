"""Stage 7, running the checks: the rules over one document (engine.py), findings of one
cause merged (merge.py), what was covered (coverage.py), many documents in child
processes with a time limit (batch.py), parsed documents cached (cache.py), baselines
(baseline.py), and a whole check as the command line asks for it (session.py)."""
