"""Check kinds of rules/checks/items/: patterns read straight off a sentence's text
(sentence_patterns.py: `item_amount`, `stated_base`, `part_exceeds_whole`, `text_pattern`)."""
