"""Stage 9, the command line (main.py): check, baseline, inspect, rules list/show/validate.
It parses the options, runs budgetaudit/run/session.py and hands the results to a reporter."""
